/** One problem found in a configuration file. */
export interface ConfigProblem {
  /** Path of the file, relative to the working directory. */
  readonly file: string;
  /** Dotted field path inside the file, e.g. `environments[0].name`; empty for the whole file. */
  readonly path: string;
  /** What is wrong and what is allowed. */
  readonly message: string;
}

/** Thrown by the loader when any file is invalid; carries every problem found, not just the first. */
export class ConfigError extends Error {
  public readonly problems: readonly ConfigProblem[];

  constructor(problems: readonly ConfigProblem[]) {
    super(formatProblems(problems));
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

export function formatProblems(problems: readonly ConfigProblem[]): string {
  const lines = problems.map((p) => `  ${p.file}${p.path ? ` at ${p.path}` : ''}: ${p.message}`);
  const noun = problems.length === 1 ? 'problem' : 'problems';
  return `Invalid platform configuration (${problems.length} ${noun}); nothing was synthesized:\n${lines.join('\n')}`;
}

/** Renders a zod-style path (`['environments', 0, 'name']`) as `environments[0].name`. */
export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  return path.map((segment, i) => (typeof segment === 'number' ? `[${segment}]` : `${i === 0 ? '' : '.'}${String(segment)}`)).join('');
}
