/** Command lines of `npm run apply` and `npm run decommission`, parsed purely (every refusal is tested). */

export const APPLY_USAGE = `Usage: npm run apply -- [options]

Synthesizes, then applies the owner stack, then every participant stack (two at a time), each from a saved
plan, and waits until every MWAA environment it created or updated is AVAILABLE.

  --stack NAME           apply one stack only (owner or participant-<team>)
  --no-synth             use the existing cdktf.out
  --no-wait              do not wait for environments after applying
  --pending-timeout MIN  minutes an environment may stay PENDING before the endpoint manager is blamed (default 20)
  --timeout MIN          minutes to wait for each environment in total (default 120)
  --poll SEC             seconds between GetEnvironment calls (default 30)
  --help                 this text

Needs AWS credentials that can assume the deploy role in every account (PREVIEW=offline only plans).
Exit codes: 0 applied and AVAILABLE; 1 a stack failed or an environment did not become AVAILABLE; 2 bad usage.
`;

export const DECOMMISSION_USAGE = `Usage: npm run decommission -- --team TEAM [options]

Destroys the participant stack of TEAM while its file (config/teams/TEAM.yaml) still exists, waits until its
MWAA environments are DELETED (the endpoint manager then removes their endpoints and queues), and tells you to
remove the file. Removing the file afterwards makes the owner drop the account from the RAM share, the status
bus policy and the endpoint manager's participant list.

  --team TEAM            the team to decommission (required)
  --yes                  do not ask for confirmation (required when stdin is not a terminal)
  --no-synth             use the existing cdktf.out
  --timeout MIN          minutes to wait for each environment to be deleted (default 120)
  --poll SEC             seconds between GetEnvironment calls (default 30)
  --help                 this text
`;

export interface ApplyOptions {
  readonly help: boolean;
  readonly stack?: string;
  readonly synth: boolean;
  readonly wait: boolean;
  readonly pendingTimeoutMs: number;
  readonly timeoutMs: number;
  readonly pollIntervalMs: number;
}

export interface DecommissionOptions {
  readonly help: boolean;
  readonly team?: string;
  readonly yes: boolean;
  readonly synth: boolean;
  readonly timeoutMs: number;
  readonly pollIntervalMs: number;
}

export class UsageError extends Error {}

type Spec = Readonly<Record<string, 'value' | 'flag'>>;

function scan(argv: readonly string[], spec: Spec): Map<string, string | true> {
  const out = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [flag, inline] = arg.startsWith('--') ? (arg.includes('=') ? [arg.slice(2, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg.slice(2), undefined]) : [undefined, undefined];
    if (flag === undefined || !(flag in spec)) throw new UsageError(`unknown argument "${arg}"`);
    if (spec[flag] === 'flag') {
      if (inline !== undefined) throw new UsageError(`--${flag} takes no value`);
      out.set(flag, true);
      continue;
    }
    const value = inline ?? argv[++i];
    if (value === undefined || value.startsWith('--')) throw new UsageError(`--${flag} needs a value`);
    out.set(flag, value);
  }
  return out;
}

function minutes(flags: Map<string, string | true>, flag: string, fallback: number, unitMs: number): number {
  const raw = flags.get(flag);
  if (raw === undefined) return fallback * unitMs;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) throw new UsageError(`--${flag} must be a positive number, got "${String(raw)}"`);
  return n * unitMs;
}

const MINUTE = 60_000;

export function parseApplyArgs(argv: readonly string[]): ApplyOptions {
  const f = scan(argv, { stack: 'value', 'no-synth': 'flag', 'no-wait': 'flag', 'pending-timeout': 'value', timeout: 'value', poll: 'value', help: 'flag' });
  return {
    help: f.has('help'),
    stack: f.get('stack') as string | undefined,
    synth: !f.has('no-synth'),
    wait: !f.has('no-wait'),
    pendingTimeoutMs: minutes(f, 'pending-timeout', 20, MINUTE),
    timeoutMs: minutes(f, 'timeout', 120, MINUTE),
    pollIntervalMs: minutes(f, 'poll', 30, 1000),
  };
}

export function parseDecommissionArgs(argv: readonly string[]): DecommissionOptions {
  const f = scan(argv, { team: 'value', yes: 'flag', 'no-synth': 'flag', timeout: 'value', poll: 'value', help: 'flag' });
  const help = f.has('help');
  if (!help && !f.has('team')) throw new UsageError('--team is required: the team whose participant stack to destroy');
  return {
    help,
    team: f.get('team') as string | undefined,
    yes: f.has('yes'),
    synth: !f.has('no-synth'),
    timeoutMs: minutes(f, 'timeout', 120, MINUTE),
    pollIntervalMs: minutes(f, 'poll', 30, 1000),
  };
}
