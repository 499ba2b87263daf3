/**
 * Pull-request plans during a first deployment: in CI with credentials the committed contract is still the example,
 * which synthesis refuses (the guards protect applies). The read-only review compares offline instead of failing,
 * only in that case; a local backend still fails with the guard's message.
 */
import { loadPlatformConfig } from '../../../model/load';
import type { PlatformConfig } from '../../../model/model';
import { FIRST_DEPLOYMENT_NOTE, isFirstDeploymentPlan } from '../../../tools/plan-review/run';
import { FIXTURE_CONFIG, fixtureConfigWith } from '../../support/config-fixture';

let example: PlatformConfig;
let onS3: PlatformConfig;
let published: PlatformConfig;
beforeAll(() => {
  example = loadPlatformConfig(FIXTURE_CONFIG);
  onS3 = loadPlatformConfig(
    fixtureConfigWith({ platform: (p) => (p.backend = { type: 's3', bucket: 'acme-data-tfstate-111111111111', region: 'eu-west-1' }) }),
  );
  published = { ...onS3, contract: { ...onS3.contract!, source: 'terraform-output' } };
});

const withoutContract = ({ contract: _contract, ...config }: PlatformConfig): PlatformConfig => config;
const prPlan = { CI: 'true', TERRAFORM_ROLE: 'plan', AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE', AWS_SECRET_ACCESS_KEY: 'secret' };

describe('first-deployment pull-request plans', () => {
  it('fall back to the offline comparison when the contract is the example and state is in S3', () => {
    expect(onS3.contract?.source).toBe('example');
    expect(isFirstDeploymentPlan(prPlan, () => onS3)).toBe(true);
  });

  it.each([
    ['the contract is published (the contract pull request and every one after it)', prPlan, () => published],
    ['the backend is still local (the guard says to bootstrap the state bucket)', prPlan, () => example],
    ['outside CI', { ...prPlan, CI: undefined }, () => onS3],
    ['the deploy role (the apply job: its synthesis must refuse)', { ...prPlan, TERRAFORM_ROLE: 'deploy' }, () => onS3],
    ['no TERRAFORM_ROLE (deploy by default)', { ...prPlan, TERRAFORM_ROLE: undefined }, () => onS3],
    ['no credentials (offline anyway)', { CI: 'true', TERRAFORM_ROLE: 'plan' }, () => onS3],
    ['PREVIEW=offline (offline anyway)', { ...prPlan, PREVIEW: 'offline' }, () => onS3],
    [
      'an invalid configuration (the run reports it)',
      prPlan,
      () => {
        throw new Error('invalid');
      },
    ],
    ['no configuration', prPlan, (): PlatformConfig | undefined => undefined],
    ['a configuration without a network contract', prPlan, (): PlatformConfig => withoutContract(onS3)],
  ] as const)('plan live (or as before) when %s', (_when, env, config) => {
    expect(isFirstDeploymentPlan(env as NodeJS.ProcessEnv, config as () => PlatformConfig)).toBe(false);
  });

  it('say why in the review', () => {
    expect(FIRST_DEPLOYMENT_NOTE).toContain('the committed network contract is still the shipped example');
    expect(FIRST_DEPLOYMENT_NOTE).toContain('compared offline');
    expect(FIRST_DEPLOYMENT_NOTE).toContain('"Publish the network contract" pull request');
  });
});
