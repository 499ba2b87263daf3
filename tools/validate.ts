/**
 * `npm run validate`: the CI step for the platform's own configuration. Validates the working tree's config/ and
 * teams/ (PLATFORM_CONFIG, default config), synthesizes every stack with offline providers (no AWS credentials, no
 * network) and runs every security rule over them: `npm run check` with PREVIEW=offline. `npm test` runs on the
 * tests' own fixtures, so this is where a team's pull request fails for a problem in its own files.
 */
import { EXIT, runToolAsMain, type CommandLine } from './lib/cli';
import { CHECK_COMMAND, checkWith } from './check';

export const VALIDATE_COMMAND = {
  command: 'npm run validate --',
  summary:
    "Validate the platform's configuration (PLATFORM_CONFIG, default config, and the teams/ files it names), synthesize every stack offline and run every security rule over them: npm run check without AWS credentials, the CI step for a platform's own config/ and teams/.",
  options: { json: CHECK_COMMAND.options.json },
  exitCodes: {
    [EXIT.ok]: 'valid, synthesized, no unsuppressed finding',
    [EXIT.failed]: 'unsuppressed findings, or synthesis failed',
  },
} as const;

export function validate(env: NodeJS.ProcessEnv, { values }: CommandLine<typeof VALIDATE_COMMAND.options>): number {
  // An invalid configuration is exit 2 (tools/lib/cli.ts) with every problem: file, field and what is allowed.
  return checkWith({ ...env, PREVIEW: 'offline' }, { values: { json: values.json, 'no-synth': false, stack: undefined }, positionals: [] });
}

if (require.main === module) runToolAsMain(VALIDATE_COMMAND, (cli) => validate(process.env, cli));
