import { area } from './base.mjs';

// Config validation. Nearly every mutant in a zod schema is static (the schema is built at module load), so each runs
// all of the area's tests: the area's tests are the fast schema and option tests, not the loader tests that copy the
// fixture platform per case (test/model/platform-config, test/corpus), which cost seconds per run.
export default area('config', {
  mutate: ['model/airflow-options.ts', 'model/schema/eks.ts', 'model/schema/platform.ts'],
  // test/tools/dev/docs.test.ts: the README's configuration reference is generated from the schemas' descriptions.
  tests: ['test/model/schema/*.test.ts', 'test/model/airflow-options.test.ts', 'test/tools/dev/docs.test.ts'],
  cdktfMatchers: false,
});
