/**
 * What a zod schema may carry for the generated configuration reference (`npm run docs`, docs/configuration.md).
 * Every field of `platform.yaml` and `teams/<team>.yaml` gets `.meta({ description })` next to its definition;
 * the generator infers the type and default from the schema and these keys override what it cannot infer.
 *
 * Put `.meta()` last on a chain of checks (`.regex()`/`.refine()` return a schema without the metadata)
 * and before or after `.optional()`/`.default()` (the generator reads every wrapper).
 */
declare module 'zod' {
  interface GlobalMeta {
    /** The Type column when the schema alone says too little, e.g. "12-digit string" for a regex-checked string. */
    typeLabel?: string;
    /** The Default column when it is not the schema's `.default()`, e.g. "team name" or "required with create". */
    defaultLabel?: string;
    /** One row for this mapping; its fields are described in the row instead of rows of their own. */
    collapse?: boolean;
  }
}

export {};
