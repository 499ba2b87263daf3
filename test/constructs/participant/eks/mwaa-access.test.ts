import { loadPlatformConfig } from '../../../../model/load';
import { MWAA_ACCESS_POLICY } from '../../../../constructs/participant/eks/mwaa-access';
import { fixtureConfigWith } from '../../../support/config-fixture';
import { one, ref, resources, synthEks } from './support';

const { tf } = synthEks();
const [clusterId] = one(tf, 'aws_eks_cluster');
const [execRoleId, execRole] = one(tf, 'aws_iam_role', (r) => r.name === 'analytics-prod-mwaa-execution');
const execRoleArn = ref('aws_iam_role', execRoleId, 'arn');

describe('MWAA execution roles on the team cluster', () => {
  it('may describe this cluster only (EksPodOperator builds its kubeconfig from it)', () => {
    const [, policy] = one(tf, 'aws_iam_role_policy', (p) => p.name === 'eks-describe-team-cluster');
    expect(policy.role).toBe(ref('aws_iam_role', execRoleId, 'name'));
    expect(JSON.parse(policy.policy).Statement).toEqual([
      {
        Sid: 'KubeconfigForEksPodOperator',
        Effect: 'Allow',
        Action: 'eks:DescribeCluster',
        Resource: ref('aws_eks_cluster', clusterId, 'arn'),
      },
    ]);
    expect(execRole.name).toBe('analytics-prod-mwaa-execution');
  });

  it('get an access entry (no aws-auth mapping) whose policy is scoped to the team namespace only', () => {
    const [entryId, entry] = one(tf, 'aws_eks_access_entry', (e) => e.principal_arn === execRoleArn);
    expect(entry).toMatchObject({ cluster_name: ref('aws_eks_cluster', clusterId, 'name'), type: 'STANDARD' });
    expect(entry.kubernetes_groups).toBeUndefined();
    const associations = resources(tf, 'aws_eks_access_policy_association').filter(([, a]) => a.principal_arn === execRoleArn);
    expect(associations.map(([, a]) => ({ policy: a.policy_arn, scope: a.access_scope, dependsOn: a.depends_on }))).toEqual([
      {
        policy: `arn:aws:eks::aws:cluster-access-policy/${MWAA_ACCESS_POLICY}`,
        scope: { type: 'namespace', namespaces: ['analytics'] },
        dependsOn: [`aws_eks_access_entry.${entryId}`],
      },
    ]);
  });

  it('never get a cluster-scoped or admin access policy', () => {
    const forExec = resources(tf, 'aws_eks_access_policy_association').filter(([, a]) => a.principal_arn === execRoleArn);
    expect(forExec.every(([, a]) => a.access_scope.type === 'namespace' && !/Admin/.test(a.policy_arn))).toBe(true);
  });

  it('covers every environment of the team', () => {
    const config = loadPlatformConfig(
      fixtureConfigWith({ teams: { analytics: (t) => t.environments.push({ name: 'analytics-dev', environmentClass: 'mw1.small' }) } }),
    );
    const edited = synthEks(config).tf;
    const roleArns = ['analytics-prod-mwaa-execution', 'analytics-dev-mwaa-execution'].map((name) =>
      ref('aws_iam_role', one(edited, 'aws_iam_role', (r) => r.name === name)[0], 'arn'),
    );
    const scoped = resources(edited, 'aws_eks_access_policy_association').filter(([, a]) => a.access_scope.type === 'namespace');
    expect(scoped.map(([, a]) => a.principal_arn).sort()).toEqual([...roleArns].sort());
    expect(resources(edited, 'aws_iam_role_policy').filter(([, p]) => p.name === 'eks-describe-team-cluster')).toHaveLength(2);
  });
});
