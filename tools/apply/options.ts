/** Command lines of `npm run apply` and `npm run decommission`, under the tools' convention (tools/lib/cli.ts). */
import { EXIT, parseCommandLine, UsageError, type CommandLine } from '../lib/cli';

export const APPLY_SPEC = {
  command: 'npm run apply --',
  summary:
    'Synthesizes, then applies the owner stack, the recovery region’s owner stack, every recovery stack and then every participant stack ' +
    '(two at a time; a participant replicates into its recovery stack, so it waits for it), each from a saved plan, ' +
    'and waits until every MWAA environment it created or updated is AVAILABLE, in its region. Stops before the stacks that read a ' +
    "network contract when its owner's outputs changed it. Needs a session of the state account's deploy role (CI's, or an operator's: docs/bootstrap.md) " +
    '(PREVIEW=offline only plans).',
  options: {
    stack: {
      type: 'string',
      valueName: 'name',
      description: 'apply one stack only (owner, owner-recovery, participant-<team> or recovery-<team>)',
    },
    'no-synth': { type: 'boolean', description: 'use the existing cdktf.out' },
    'no-wait': { type: 'boolean', description: 'do not wait for environments after applying' },
    'pending-timeout': {
      type: 'string',
      valueName: 'minutes',
      default: '20',
      description: 'minutes an environment may stay PENDING before the endpoint manager is blamed',
    },
    timeout: { type: 'string', valueName: 'minutes', default: '120', description: 'minutes to wait for each environment in total' },
    poll: { type: 'string', valueName: 'seconds', default: '30', description: 'seconds between GetEnvironment calls' },
  },
  exitCodes: {
    [EXIT.ok]: 'applied, and every environment it created or updated is AVAILABLE',
    [EXIT.failed]: 'a stack failed to apply or an environment did not become AVAILABLE',
  },
} as const;

export const DECOMMISSION_SPEC = {
  command: 'npm run decommission --',
  summary:
    'Destroys the participant stack of a team, then its recovery stack if it has one, while its file (config/teams/<team>.yaml) ' +
    'still exists, waits until its MWAA environments are DELETED in both regions (each endpoint manager then removes their ' +
    'endpoints and queues), and tells you to remove the ' +
    'file. Removing the file afterwards makes the owners of both regions drop the account from the RAM share, the status bus policy and the ' +
    "endpoint manager's participant list.",
  options: {
    team: { type: 'string', valueName: 'team', description: 'the team to decommission (required)' },
    'recovery-only': {
      type: 'boolean',
      description: 'destroy only the team’s recovery stack (recovery-<team>), before turning its recovery off; the participant stack stays',
    },
    yes: { type: 'boolean', description: 'do not ask for confirmation (required when stdin is not a terminal)' },
    'no-synth': { type: 'boolean', description: 'use the existing cdktf.out' },
    timeout: { type: 'string', valueName: 'minutes', default: '120', description: 'minutes to wait for each environment to be deleted' },
    poll: { type: 'string', valueName: 'seconds', default: '30', description: 'seconds between GetEnvironment calls' },
  },
  exitCodes: {
    [EXIT.ok]: 'destroyed, every environment DELETED',
    [EXIT.failed]: 'the destroy failed or an environment was not deleted; keep the team file',
  },
} as const;

export interface ApplyOptions {
  readonly stack?: string;
  readonly synth: boolean;
  readonly wait: boolean;
  readonly pendingTimeoutMs: number;
  readonly timeoutMs: number;
  readonly pollIntervalMs: number;
}

export interface DecommissionOptions {
  readonly team: string;
  /** Destroy only recovery-<team>. */
  readonly recoveryOnly: boolean;
  readonly yes: boolean;
  readonly synth: boolean;
  readonly timeoutMs: number;
  readonly pollIntervalMs: number;
}

function positive(flag: string, raw: string, unitMs: number): number {
  const n = Number(raw);
  if (!/^\d+(\.\d+)?$/.test(raw) || !(n > 0)) throw new UsageError(`option --${flag} must be a positive number, got "${raw}"`);
  return n * unitMs;
}

const MINUTE = 60_000;

export function applyOptions({ values: v }: CommandLine<typeof APPLY_SPEC.options>): ApplyOptions {
  return {
    stack: v.stack,
    synth: !v['no-synth'],
    wait: !v['no-wait'],
    pendingTimeoutMs: positive('pending-timeout', v['pending-timeout'], MINUTE),
    timeoutMs: positive('timeout', v.timeout, MINUTE),
    pollIntervalMs: positive('poll', v.poll, 1000),
  };
}

export function decommissionOptions({ values: v }: CommandLine<typeof DECOMMISSION_SPEC.options>): DecommissionOptions {
  if (!v.team) throw new UsageError('option --team is required: the team whose participant stack to destroy');
  return {
    team: v.team,
    recoveryOnly: v['recovery-only'],
    yes: v.yes,
    synth: !v['no-synth'],
    timeoutMs: positive('timeout', v.timeout, MINUTE),
    pollIntervalMs: positive('poll', v.poll, 1000),
  };
}

/** For tests: argv → options (undefined for --help). */
export function parseApplyArgs(argv: readonly string[]): ApplyOptions | undefined {
  const cli = parseCommandLine(APPLY_SPEC, argv);
  return cli && applyOptions(cli);
}

export function parseDecommissionArgs(argv: readonly string[]): DecommissionOptions | undefined {
  const cli = parseCommandLine(DECOMMISSION_SPEC, argv);
  return cli && decommissionOptions(cli);
}
