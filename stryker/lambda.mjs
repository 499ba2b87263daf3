import { area } from './base.mjs';

export default area('lambda', {
  mutate: ['lambda/endpoint-manager/src/policy.ts', 'lambda/endpoint-manager/src/event.ts', 'lambda/endpoint-manager/src/handler.ts'],
  tests: ['test/lambda/**/*.test.ts'],
  cdktfMatchers: false,
});
