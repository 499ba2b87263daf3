import { parseApplyArgs, parseDecommissionArgs } from '../../../tools/apply/options';
import { preflight } from '../../../tools/apply/run';

describe('npm run apply arguments', () => {
  it('defaults: synth, wait, 20 minutes PENDING, 120 minutes in total, poll every 30 s', () => {
    expect(parseApplyArgs([])).toEqual({
      stack: undefined,
      synth: true,
      wait: true,
      pendingTimeoutMs: 1_200_000,
      timeoutMs: 7_200_000,
      pollIntervalMs: 30_000,
    });
  });

  it('takes every flag, in both --flag value and --flag=value forms; --help gives no options', () => {
    expect(
      parseApplyArgs(['--stack', 'owner', '--no-synth', '--no-wait', '--pending-timeout=5', '--timeout', '60', '--poll', '10']),
    ).toEqual({
      stack: 'owner',
      synth: false,
      wait: false,
      pendingTimeoutMs: 300_000,
      timeoutMs: 3_600_000,
      pollIntervalMs: 10_000,
    });
    expect(parseApplyArgs(['--help'])).toBeUndefined();
  });

  it.each([
    [['--bogus'], "Unknown option '--bogus'"],
    [['owner'], 'unexpected argument: owner'],
    [['--stack'], "Option '--stack <value>' argument missing"],
    [['--pending-timeout', '0'], 'option --pending-timeout must be a positive number, got "0"'],
    [['--timeout', 'soon'], 'option --timeout must be a positive number, got "soon"'],
  ])('refuses %j: %s', (argv, message) => expect(() => parseApplyArgs(argv)).toThrow(message));

  it('refuses to run without credentials or with PREVIEW=offline', () => {
    const message =
      "AWS credentials are needed: a session of the state account's deploy role (CI's, or an operator's profile: docs/bootstrap.md, By hand), from which Terraform assumes the deploy role of every account; PREVIEW=offline (or no credentials) can only plan: npm run plan";
    expect(preflight({})).toBe(message);
    expect(preflight({ AWS_PROFILE: 'deploy', PREVIEW: 'offline' })).toBe(message);
    expect(preflight({ AWS_PROFILE: 'deploy' })).toBeUndefined();
  });
});

describe('npm run decommission arguments', () => {
  it('needs --team', () => {
    expect(() => parseDecommissionArgs([])).toThrow('option --team is required: the team whose participant stack to destroy');
    expect(parseDecommissionArgs(['--help'])).toBeUndefined();
  });

  it('takes --team, --yes, --no-synth, --timeout and --poll', () => {
    expect(parseDecommissionArgs(['--team', 'marketing', '--yes', '--no-synth', '--timeout', '30', '--poll', '5'])).toEqual({
      team: 'marketing',
      yes: true,
      synth: false,
      timeoutMs: 1_800_000,
      pollIntervalMs: 5_000,
      recoveryOnly: false,
    });
  });

  it('--recovery-only asks for the recovery stack alone', () => {
    expect(parseDecommissionArgs(['--team', 'marketing', '--recovery-only'])?.recoveryOnly).toBe(true);
  });

  it('refuses apply-only flags', () =>
    expect(() => parseDecommissionArgs(['--team', 't', '--no-wait'])).toThrow("Unknown option '--no-wait'"));
});
