import {
  applyRefusal,
  BOOTSTRAP_COMMAND,
  bootstrapArgs,
  bootstrapOutdir,
  nextSteps,
  planSummary,
  stacksToRun,
} from '../../tools/bootstrap';
import { helpText, parseCommandLine, UsageError } from '../../tools/lib/cli';
import { ANALYTICS, MARKETING, OWNER, planOf } from '../constructs/bootstrap/support';

const parse = (argv: readonly string[]) => {
  const cli = parseCommandLine(BOOTSTRAP_COMMAND, argv);
  return cli && bootstrapArgs(cli);
};

describe('npm run bootstrap arguments', () => {
  it('synthesizes by default, plans or applies on request', () => {
    expect(parse([])).toEqual({ action: 'synth', accounts: [], autoApprove: false });
    expect(parse(['--plan'])!.action).toBe('plan');
    expect(parse(['--apply', '--auto-approve', '--account', `${ANALYTICS},${MARKETING}`])).toEqual({
      action: 'apply',
      accounts: [ANALYTICS, MARKETING],
      autoApprove: true,
    });
    expect(parse(['--help'])).toBeUndefined();
    expect(helpText(BOOTSTRAP_COMMAND)).toContain('--account <id[,id…]>');
  });

  it.each([
    [['--plan', '--apply'], '--plan and --apply exclude each other'],
    [['--auto-approve'], '--auto-approve goes with --apply'],
    [['--account'], "Option '--account <value>' argument missing"],
    [['--account', '12345'], '--account needs 12-digit account ids, got "12345"'],
    [['--destroy'], "Unknown option '--destroy'"],
  ])('refuses %j', (argv, message) => {
    expect(() => parse(argv)).toThrow(UsageError);
    expect(() => parse(argv)).toThrow(message);
  });
});

describe('bootstrap output folder', () => {
  it('is beside the platform output, never the platform output itself', () => {
    expect(bootstrapOutdir('/repo', {})).toBe('/repo/cdktf.out.bootstrap');
    expect(bootstrapOutdir('/repo', { CDKTF_OUTDIR: 'out' })).toBe('/repo/out.bootstrap');
    expect(bootstrapOutdir('/repo', { CDKTF_OUTDIR: '/tmp/x/cdktf.out' })).toBe('/tmp/x/cdktf.out.bootstrap');
  });
});

describe('bootstrap order', () => {
  it('runs the state account first, then the others in configuration order', () => {
    expect(stacksToRun(planOf(), [])).toEqual([`bootstrap-${OWNER}`, `bootstrap-${ANALYTICS}`, `bootstrap-${MARKETING}`]);
    const elsewhere = planOf({ platform: (p) => (p.ci.stateAccountId = MARKETING) });
    expect(stacksToRun(elsewhere, [])).toEqual([`bootstrap-${MARKETING}`, `bootstrap-${OWNER}`, `bootstrap-${ANALYTICS}`]);
  });

  it('runs only the accounts asked for, and refuses accounts outside the platform', () => {
    expect(stacksToRun(planOf(), [MARKETING, OWNER])).toEqual([`bootstrap-${OWNER}`, `bootstrap-${MARKETING}`]);
    expect(() => stacksToRun(planOf(), ['999999999999'])).toThrow(
      '--account 999999999999: not an account of the platform (111111111111, 222222222222, 333333333333)',
    );
  });
});

describe('bootstrap --apply and the credentials it uses', () => {
  it('refuses several accounts with ambient credentials (one account), before applying any', () => {
    expect(applyRefusal(planOf(), stacksToRun(planOf(), []))).toBe(
      '--apply without ci.adminRoleName uses your credentials, which belong to one account, for 3 accounts: ' +
        `run it once per account with that account's administrator credentials, the state account first (--account ${OWNER}), ` +
        'or set ci.adminRoleName (e.g. OrganizationAccountAccessRole) to assume it in every account',
    );
    expect(applyRefusal(planOf(), stacksToRun(planOf(), [OWNER, MARKETING]))).toMatch(/for 2 accounts/);
  });

  it('lets one account through with ambient credentials, and every account with an administrator role', () => {
    expect(applyRefusal(planOf(), stacksToRun(planOf(), [ANALYTICS]))).toBeUndefined();
    const withRole = planOf({ platform: (p) => (p.ci.adminRoleName = 'OrganizationAccountAccessRole') });
    expect(applyRefusal(withRole, stacksToRun(withRole, []))).toBeUndefined();
  });
});

describe('bootstrap output', () => {
  it('summarizes a plan in one line', () => {
    expect(planSummary('...\nPlan: 14 to add, 0 to change, 0 to destroy.\n')).toBe('Plan: 14 to add, 0 to change, 0 to destroy.');
    expect(planSummary('No changes. Your infrastructure matches the configuration.')).toBe('No changes.');
  });

  it('prints the backend block and the repository variables after applying the state account', () => {
    const text = nextSteps(planOf(), {
      state_bucket: { value: 'acme-data-tfstate-111111111111' },
      state_kms_key_alias_arn: { value: 'arn:aws:kms:eu-west-1:111111111111:alias/acme-data-terraform-state' },
      deploy_role_arn: { value: 'arn:aws:iam::111111111111:role/mwaa-platform-deploy' },
      plan_role_arn: { value: 'arn:aws:iam::111111111111:role/mwaa-platform-plan' },
    });
    expect(text).toContain(
      'backend: { type: s3, bucket: acme-data-tfstate-111111111111, region: eu-west-1, kmsKeyArn: arn:aws:kms:eu-west-1:111111111111:alias/acme-data-terraform-state }',
    );
    expect(text).toContain('AWS_APPLY_ROLE_ARN=arn:aws:iam::111111111111:role/mwaa-platform-deploy');
    expect(text).toContain('AWS_PLAN_ROLE_ARN=arn:aws:iam::111111111111:role/mwaa-platform-plan');
    expect(text).toContain('In the GitHub repository acme/mwaa-platform');
  });
});
