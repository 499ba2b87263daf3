/**
 * The apply and decommission flows end to end, with a fake Terraform (recorded plan JSON) and MWAA mocked
 * through aws-sdk-client-mock: order, the stale-contract stop, which environments are waited for, and what
 * the user is told.
 */
import { GetEnvironmentCommand, MWAAClient, ResourceNotFoundException } from '@aws-sdk/client-mwaa';
import { mockMwaaClient } from '../../lambda/endpoint-manager/src/fake-aws';
import { loadPlatformConfig } from '../../../model/load';
import type { NetworkContract } from '../../../model/contract';
import { applyAll, contractDrift, decommission, type FlowDeps, type StackRunner } from '../../../tools/apply/flow';
import { getEnvironment } from '../../../tools/apply/sdk';
import { airflowVersionReplacements, applyWaves, environmentsChangedBy, type PlanJson } from '../../../tools/apply/targets';
import type { PlatformConfig } from '../../../model/model';
import { FIXTURE_CONFIG } from '../../support/config-fixture';
import { fakeClock } from '../../support/fake-clock';

let config: PlatformConfig;
beforeAll(() => {
  config = loadPlatformConfig(FIXTURE_CONFIG);
});

const mwaaChange = (name: string, actions: string[]): NonNullable<PlanJson['resource_changes']>[number] => ({
  type: 'aws_mwaa_environment',
  mode: 'managed',
  change: {
    actions,
    before: actions.includes('create') && actions.length === 1 ? null : { name },
    after: actions.includes('delete') && actions.length === 1 ? null : { name },
  },
});
const bucketChange = { type: 'aws_s3_bucket', mode: 'managed', change: { actions: ['create'], before: null, after: { bucket: 'b' } } };

interface FakeTerraform extends StackRunner {
  readonly calls: string[];
}

function fakeTerraform(
  plans: Record<string, PlanJson | undefined>,
  contract: NetworkContract = config.contract!,
  failApply: string[] = [],
): FakeTerraform {
  const calls: string[] = [];
  return {
    calls,
    async plan(stack, options = {}) {
      calls.push(`plan${options.destroy ? ' -destroy' : ''} ${stack}`);
      const json = plans[stack];
      return { changes: json !== undefined, json: json ?? {} };
    },
    async apply(stack, onLine) {
      calls.push(`apply ${stack}`);
      onLine('aws_mwaa_environment.x: Creating...');
      if (failApply.includes(stack)) throw new Error('Error: creating MWAA Environment: ValidationException: bad');
      onLine('Apply complete! Resources: 1 added, 0 changed, 0 destroyed.');
    },
    async ownerContract() {
      calls.push('output owner');
      return contract;
    },
  };
}

const mwaa = mockMwaaClient();
afterEach(() => mwaa.reset());

function deps(terraform: StackRunner): FlowDeps & { lines: string[] } {
  const lines: string[] = [];
  const clock = fakeClock();
  const client = new MWAAClient({ region: 'eu-west-1', credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' } });
  return {
    lines,
    parallel: 2,
    terraform,
    log: (l) => lines.push(l),
    waiter: {
      getEnvironment: (t) => {
        clock.poll();
        return getEnvironment(client, t.name);
      },
      now: clock.now,
      sleep: clock.sleep,
      log: (l) => lines.push(l),
    },
  };
}

const waitOptions = { pendingTimeoutMs: 20 * 60_000, timeoutMs: 120 * 60_000, pollIntervalMs: 30_000, reportEveryMs: 0, wait: true };
const STACKS = ['participant-marketing', 'owner', 'participant-analytics'];
const ok = (status: string) => ({ Environment: { Name: 'x', Status: status as never } });

describe('npm run apply', () => {
  it('applies the owner first, then the participants, and waits for the environments they create or update', async () => {
    const tf = fakeTerraform({
      owner: { resource_changes: [bucketChange] },
      'participant-marketing': { resource_changes: [mwaaChange('marketing-campaigns', ['create'])] },
      'participant-analytics': { resource_changes: [mwaaChange('analytics-prod', ['update']), bucketChange] },
    });
    mwaa.on(GetEnvironmentCommand, { Name: 'marketing-campaigns' }).resolvesOnce(ok('PENDING')).resolves(ok('AVAILABLE'));
    mwaa.on(GetEnvironmentCommand, { Name: 'analytics-prod' }).resolves(ok('AVAILABLE'));
    const d = deps(tf);
    const result = await applyAll(d, config, STACKS, waitOptions);
    expect(result).toEqual({ ok: true, failures: [] });
    expect(tf.calls.slice(0, 3)).toEqual(['plan owner', 'apply owner', 'output owner']);
    expect(tf.calls.slice(3).sort()).toEqual([
      'apply participant-analytics',
      'apply participant-marketing',
      'plan participant-analytics',
      'plan participant-marketing',
    ]);
    expect(d.lines).toContain('participant-marketing: applying the saved plan (MWAA environments: marketing-campaigns)');
    expect(d.lines).toContain('  marketing/marketing-campaigns  PENDING  0s  waiting for the endpoint manager to create endpoints');
    expect(d.lines).toContain('  marketing/marketing-campaigns  AVAILABLE  30s  ready');
    expect(d.lines).toContain('  analytics/analytics-prod  AVAILABLE  0s  ready');
  });

  it("stops before the participants when the owner's outputs changed the network contract", async () => {
    const tf = fakeTerraform(
      {
        owner: { resource_changes: [bucketChange] },
        'participant-marketing': { resource_changes: [mwaaChange('marketing-campaigns', ['create'])] },
      },
      { ...config.contract!, vpcId: 'vpc-0fedcba9876543210' },
    );
    const result = await applyAll(deps(tf), config, STACKS, waitOptions);
    expect(result.ok).toBe(false);
    expect(result.failures).toEqual([
      "the owner's outputs changed the network contract (vpcId): participant stacks were not applied against a stale contract. " +
        'Run `npm run publish-network`, merge config/network-contract.json in a pull request, then run `npm run apply` again.',
    ]);
    expect(tf.calls).toEqual(['plan owner', 'apply owner', 'output owner']);
  });

  // From state, hashicorp/aws plans an Airflow major bump as delete+create (ForceNewIf on airflow_version).
  const versionReplace = (name: string, from: string, to: string): NonNullable<PlanJson['resource_changes']>[number] => ({
    type: 'aws_mwaa_environment',
    mode: 'managed',
    change: { actions: ['delete', 'create'], before: { name, airflow_version: from }, after: { name, airflow_version: to } },
  });

  it('never applies a plan that replaces an environment for its Airflow version; the other stacks still apply', async () => {
    const tf = fakeTerraform({
      'participant-marketing': { resource_changes: [versionReplace('marketing-campaigns', '2.11.0', '3.0.6'), bucketChange] },
      'participant-analytics': { resource_changes: [bucketChange] },
    });
    const result = await applyAll(deps(tf), config, STACKS, waitOptions);
    expect(result.ok).toBe(false);
    expect(result.failures).toEqual([
      'participant-marketing: not applied: it would replace MWAA environment marketing-campaigns (a new, empty environment) for Airflow 2.11.0 → 3.0.6: ' +
        'marketing-campaigns: MWAA upgrades Airflow 2.11.0 → 3.0.6 in place, but the Terraform AWS provider plans a major-version change as a replacement ' +
        '(a new, empty environment): first run `aws mwaa update-environment --name marketing-campaigns --airflow-version 3.0.6`, wait until it is AVAILABLE, then change airflowVersion',
    ]);
    expect(tf.calls).not.toContain('apply participant-marketing');
    expect(tf.calls).toContain('apply participant-analytics');
  });

  it('names the versions MWAA cannot change in place, and lets other replacements and updates through', () => {
    expect(airflowVersionReplacements({ resource_changes: [versionReplace('a', '2.10.3', '3.0.6')] })).toEqual([
      'it would replace MWAA environment a (a new, empty environment) for Airflow 2.10.3 → 3.0.6: a: Airflow 2.10.3 → 3.0.6 cannot be done in place ' +
        '(MWAA upgrades 2.x to 3.x in place only from 2.11.x; upgrade to 2.11.0 first): create a new environment with 3.0.6 and migrate to it, or remove the version change',
    ]);
    const sameVersion = versionReplace('b', '2.10.3', '2.10.3');
    const update = {
      ...versionReplace('c', '2.10.3', '2.11.0'),
      change: { ...versionReplace('c', '2.10.3', '2.11.0').change, actions: ['update'] },
    };
    expect(
      airflowVersionReplacements({ resource_changes: [sameVersion, update, mwaaChange('d', ['delete', 'create']), bucketChange] }),
    ).toEqual([]);
  });

  it('a failing owner apply applies no participant', async () => {
    const tf = fakeTerraform({ owner: { resource_changes: [bucketChange] } }, config.contract!, ['owner']);
    const result = await applyAll(deps(tf), config, STACKS, waitOptions);
    expect(result.ok).toBe(false);
    expect(result.failures[1]).toBe('participant stacks were not applied: fix the owner stack first');
    expect(tf.calls).toEqual(['plan owner', 'apply owner']);
  });

  it("reports a failing stack's whole Terraform error, never cut after its first lines", async () => {
    const message = [
      'Error: No valid credential sources found',
      '',
      'Please see https://registry.terraform.io/providers/hashicorp/aws',
      'for more information about providing credentials.',
      '',
      'Error: failed to refresh cached credentials, no EC2 IMDS role found, operation error ec2imds: GetMetadata,',
      'request canceled, context deadline exceeded',
      '',
      'The most common are:',
      ...Array.from({ length: 10 }, (_, i) => `  - cause ${i + 1}`),
      'Run with TF_LOG=DEBUG for details.',
    ].join('\n');
    const tf = fakeTerraform({ owner: { resource_changes: [bucketChange] } }, config.contract!, []);
    const failing: StackRunner = {
      ...tf,
      async apply() {
        throw new Error(`${message}\n`);
      },
    };
    const result = await applyAll(deps(failing), config, STACKS, waitOptions);
    expect(result.failures[0]).toBe(`owner: ${message.split('\n').join('\n  ')}`);
    expect(result.failures[0]).toContain('  - cause 10\n  Run with TF_LOG=DEBUG for details.');
  });

  it('a stack without changes is not applied and its environments are not waited for', async () => {
    const tf = fakeTerraform({});
    const d = deps(tf);
    const result = await applyAll(d, config, STACKS, waitOptions);
    expect(result.ok).toBe(true);
    expect(tf.calls.filter((c) => c.startsWith('apply'))).toEqual([]);
    expect(mwaa.calls()).toHaveLength(0);
  });

  it('reports an environment that fails to create, after applying every stack', async () => {
    const tf = fakeTerraform({ 'participant-marketing': { resource_changes: [mwaaChange('marketing-campaigns', ['create'])] } });
    mwaa.on(GetEnvironmentCommand).resolves({
      Environment: { Status: 'CREATE_FAILED', LastUpdate: { Error: { ErrorCode: 'ENI', ErrorMessage: 'subnet has no free IPs' } } },
    });
    const result = await applyAll(deps(tf), config, STACKS, waitOptions);
    expect(result).toEqual({ ok: false, failures: ['marketing/marketing-campaigns is CREATE_FAILED: ENI: subnet has no free IPs'] });
  });
});

describe('npm run decommission', () => {
  it('destroys the participant stack, waits for DELETED, then says to remove the file', async () => {
    const tf = fakeTerraform({
      'participant-marketing': { resource_changes: [mwaaChange('marketing-campaigns', ['delete']), bucketChange] },
    });
    mwaa
      .on(GetEnvironmentCommand)
      .resolvesOnce(ok('DELETING'))
      .rejects(new ResourceNotFoundException({ message: 'not found', $metadata: {} }));
    const d = deps(tf);
    const result = await decommission(d, config, 'marketing', waitOptions);
    expect(result).toEqual({ ok: true, failures: [] });
    expect(tf.calls).toEqual(['plan -destroy participant-marketing', 'apply participant-marketing']);
    expect(d.lines).toContain(
      '  marketing/marketing-campaigns  NOT_FOUND  30s  gone; the endpoint manager now removes its endpoints and queues',
    );
    expect(d.lines[d.lines.length - 2]).toBe(
      'The endpoint manager removes the endpoints of marketing-campaigns on their DELETED events. Before removing the file, check in the owner account ' +
        '111111111111 that none is left: aws ec2 describe-vpc-endpoints --region eu-west-1 --filters ' +
        "Name=tag:mwaa:account,Values=333333333333 Name=tag:mwaa:environment,Values=marketing-campaigns Name=tag:ManagedBy,Values=acme-data-endpoint-manager --query 'VpcEndpoints[].VpcEndpointId' " +
        '(an empty list). If some remain after a few minutes, look in the owner account 111111111111 (eu-west-1): the function acme-data-endpoint-manager and its log group ' +
        '/aws/lambda/acme-data-endpoint-manager, the dead-letter queue acme-data-endpoint-manager-dlq (undelivered status events), the alarms acme-data-endpoint-manager-dlq-depth, ' +
        "acme-data-endpoint-manager-errors, acme-data-endpoint-manager-throttles; and check that the participant forwards MWAA status events to the owner's bus.",
    );
    expect(d.lines[d.lines.length - 1]).toBe(
      // The loader names team files relative to the repository root.
      `participant-marketing is destroyed. Now remove config/teams/marketing.yaml (and the team's DAG folder) in a pull request; applying it updates the owner stack, ` +
        'which drops the account from the RAM share, the status bus policy and the endpoint manager. Then delete the empty state of participant-marketing ' +
        '(terraform.participant-marketing.tfstate, or its key in the state bucket).',
    );
  });

  it('refuses a team whose file is gone, and says how to recover', async () => {
    const result = await decommission(deps(fakeTerraform({})), config, 'finance', waitOptions);
    expect(result.failures).toEqual([
      `team "finance" is not in ${FIXTURE_CONFIG}/teams/ (have: analytics, marketing). ` +
        'If you already removed its file, restore it (git checkout <rev> -- the file), run decommission, then remove it again.',
    ]);
  });

  it('keeps the file when an environment fails to delete', async () => {
    const tf = fakeTerraform({ 'participant-marketing': { resource_changes: [mwaaChange('marketing-campaigns', ['delete'])] } });
    mwaa.on(GetEnvironmentCommand).resolves({ Environment: { Status: 'UPDATE_FAILED' } });
    const result = await decommission(deps(tf), config, 'marketing', waitOptions);
    expect(result.ok).toBe(false);
    expect(result.failures[result.failures.length - 1]).toBe('keep config/teams/marketing.yaml until every environment is DELETED');
  });
});

describe('pure parts', () => {
  it('orders the owner first and ignores stacks that are neither owner nor participant', () => {
    expect(applyWaves(['participant-b', 'bootstrap-111111111111', 'owner', 'participant-a'])).toEqual({
      first: ['owner'],
      recovery: [],
      then: ['participant-a', 'participant-b'],
    });
  });

  it('orders the owners, then the recovery stacks, then the participants', () => {
    const stacks = ['participant-b', 'recovery-b', 'owner-recovery', 'participant-a', 'owner', 'recovery-a', 'bootstrap-111111111111'];
    expect(applyWaves(stacks)).toEqual({
      first: ['owner', 'owner-recovery'],
      recovery: ['recovery-a', 'recovery-b'],
      then: ['participant-a', 'participant-b'],
    });
    // A regional outage's apply (REGIONS=recovery): the recovery side alone.
    expect(applyWaves(['recovery-a', 'owner-recovery'])).toEqual({ first: ['owner-recovery'], recovery: ['recovery-a'], then: [] });
  });

  it('reads created, updated, replaced and deleted environments from a plan, and skips no-ops', () => {
    const plan: PlanJson = {
      resource_changes: [
        mwaaChange('c', ['create']),
        mwaaChange('u', ['update']),
        mwaaChange('r', ['delete', 'create']),
        mwaaChange('d', ['delete']),
        mwaaChange('n', ['no-op']),
        bucketChange,
      ],
    };
    expect(environmentsChangedBy(plan, 't', '222222222222').map((t) => `${t.name}:${t.goal}`)).toEqual([
      'c:AVAILABLE',
      'd:DELETED',
      'r:AVAILABLE',
      'u:AVAILABLE',
    ]);
  });

  it('compares every contract field but its source', () => {
    const c = config.contract!;
    expect(contractDrift(c, { ...c, source: 'terraform-output' } as NetworkContract)).toEqual([]);
    expect(
      contractDrift(c, { ...c, subnetIds: [...c.subnetIds].reverse(), eventBusArn: 'arn:aws:events:eu-west-1:111111111111:event-bus/x' }),
    ).toEqual(['subnetIds', 'eventBusArn']);
    expect(contractDrift(undefined, c)).toEqual(['(no committed contract)']);
    // The PyPI mirror's coordinates: changed, added or dropped by the owner.
    expect(c.codeArtifact).toEqual({ domain: 'acme-data', domainOwner: '111111111111', repository: 'pypi' });
    expect(contractDrift(c, { ...c, codeArtifact: { ...c.codeArtifact!, repository: 'pypi-mirror' } })).toEqual(['codeArtifact']);
    const { codeArtifact: _dropped, ...withoutMirror } = c;
    expect(contractDrift(c, withoutMirror as NetworkContract)).toEqual(['codeArtifact']);
    expect(contractDrift(withoutMirror as NetworkContract, c)).toEqual(['codeArtifact']);
  });
});
