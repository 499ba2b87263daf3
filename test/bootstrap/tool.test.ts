import { nextSteps, parseArgs, planSummary, stacksToRun } from '../../tools/bootstrap';
import { ANALYTICS, MARKETING, OWNER, planOf } from './support';

describe('npm run bootstrap arguments', () => {
  it('synthesizes by default, plans or applies on request', () => {
    expect(parseArgs([])).toEqual({ action: 'synth', accounts: [], autoApprove: false, help: false });
    expect(parseArgs(['--plan']).action).toBe('plan');
    expect(parseArgs(['--apply', '--auto-approve', '--account', ANALYTICS])).toEqual({ action: 'apply', accounts: [ANALYTICS], autoApprove: true, help: false });
    expect(parseArgs(['--help']).help).toBe(true);
  });

  it.each([
    [['--plan', '--apply'], '--plan and --apply exclude each other'],
    [['--auto-approve'], '--auto-approve goes with --apply'],
    [['--account'], '--account needs a 12-digit account id, got nothing'],
    [['--account', '12345'], '--account needs a 12-digit account id, got "12345"'],
    [['--destroy'], 'unknown argument "--destroy"'],
  ])('refuses %j', (argv, message) => {
    expect(() => parseArgs(argv)).toThrow(message);
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
    expect(() => stacksToRun(planOf(), ['999999999999'])).toThrow('--account 999999999999: not an account of the platform (111111111111, 222222222222, 333333333333)');
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
    expect(text).toContain('backend: { type: s3, bucket: acme-data-tfstate-111111111111, region: eu-west-1, kmsKeyArn: arn:aws:kms:eu-west-1:111111111111:alias/acme-data-terraform-state }');
    expect(text).toContain('AWS_APPLY_ROLE_ARN=arn:aws:iam::111111111111:role/mwaa-platform-deploy');
    expect(text).toContain('AWS_PLAN_ROLE_ARN=arn:aws:iam::111111111111:role/mwaa-platform-plan');
    expect(text).toContain('In the GitHub repository acme/mwaa-platform');
  });
});
