import { loadPlatformConfig } from '../../../../model/load';
import { fixtureConfigWith } from '../../../support/config-fixture';
import { one, ref, resources, synthEks } from './support';

const { tf } = synthEks();
const [clusterId] = one(tf, 'aws_eks_cluster');
const [oidcId] = one(tf, 'aws_iam_openid_connect_provider');
const ISSUER = `\${replace(aws_eks_cluster.${clusterId}.identity[0].oidc[0].issuer, "https://", "")}`;
const ACCOUNT = '222222222222';
const SOURCE_BUCKET = `arn:aws:s3:::acme-data-analytics-${ACCOUNT}-eks-source`;
const DESTINATION_BUCKET = `arn:aws:s3:::acme-data-analytics-${ACCOUNT}-eks-destination`;
const SOURCE_PARAM = `arn:aws:ssm:eu-west-1:${ACCOUNT}:parameter/acme-data/analytics/eks-sample/source-bucket`;
const DESTINATION_PARAM = `arn:aws:ssm:eu-west-1:${ACCOUNT}:parameter/acme-data/analytics/eks-sample/destination-bucket`;

/** The IRSA role of a service account: its trust document (data source) and its inline policy. */
function irsa(tfJson: any, roleName: string) {
  const [roleId, role] = one(tfJson, 'aws_iam_role', (r) => r.name === roleName);
  const trustId = /^\$\{data\.aws_iam_policy_document\.(.+)\.json\}$/.exec(role.assume_role_policy)![1];
  const trust = tfJson.data.aws_iam_policy_document[trustId];
  const inline = resources(tfJson, 'aws_iam_role_policy').filter(([, p]) => p.role === ref('aws_iam_role', roleId, 'id'));
  return { trust, policy: inline.length === 1 ? JSON.parse(inline[0][1].policy) : undefined };
}

const expectedTrust = (namespace: string, serviceAccount: string, issuer = ISSUER, oidc = oidcId) => ({
  statement: [
    {
      sid: 'ServiceAccountOnly',
      effect: 'Allow',
      actions: ['sts:AssumeRoleWithWebIdentity'],
      principals: [{ type: 'Federated', identifiers: [ref('aws_iam_openid_connect_provider', oidc, 'arn')] }],
      condition: [
        { test: 'StringEquals', variable: `${issuer}:sub`, values: [`system:serviceaccount:${namespace}:${serviceAccount}`] },
        { test: 'StringEquals', variable: `${issuer}:aud`, values: ['sts.amazonaws.com'] },
      ],
    },
  ],
});

describe('IRSA trust policies', () => {
  it.each([
    ['acme-data-analytics-analytics-source-bucket-reader', 'analytics', 'source-bucket-reader'],
    ['acme-data-analytics-analytics-destination-bucket-writer', 'analytics', 'destination-bucket-writer'],
    ['acme-data-analytics-eks-vpc-cni', 'kube-system', 'aws-node'],
  ])('%s trusts exactly system:serviceaccount:%s:%s with the STS audience, through this cluster only', (roleName, namespace, sa) => {
    const { trust } = irsa(tf, roleName);
    const { '//': _metadata, ...document } = trust;
    expect(document).toEqual(expectedTrust(namespace, sa));
  });

  it('never uses StringLike or a wildcard subject', () => {
    const docs = Object.values(tf.data.aws_iam_policy_document) as any[];
    const conditions = docs.flatMap((d) => d.statement.flatMap((s: any) => s.condition ?? []));
    expect(conditions.length).toBeGreaterThan(0);
    expect(conditions.every((c: any) => c.test === 'StringEquals' && c.values.every((v: string) => !v.includes('*')))).toBe(true);
  });
});

describe('IRSA permissions of the sample pipeline', () => {
  const reader = irsa(tf, 'acme-data-analytics-analytics-source-bucket-reader').policy;
  const writer = irsa(tf, 'acme-data-analytics-analytics-destination-bucket-writer').policy;

  it('lets the reader list the source bucket and read its parameter, nothing else', () => {
    expect(reader.Statement).toEqual([
      { Effect: 'Allow', Action: ['s3:ListBucket'], Resource: [SOURCE_BUCKET] },
      { Effect: 'Allow', Action: ['ssm:GetParameter'], Resource: [SOURCE_PARAM] },
    ]);
  });

  it('lets the writer put objects in the destination bucket and read its parameter, nothing else', () => {
    expect(writer.Statement).toEqual([
      { Effect: 'Allow', Action: ['s3:PutObject'], Resource: [`${DESTINATION_BUCKET}/*`] },
      { Effect: 'Allow', Action: ['ssm:GetParameter'], Resource: [DESTINATION_PARAM] },
    ]);
  });

  it('names exactly the buckets and parameters the sample pipeline creates', () => {
    const buckets = resources(tf, 'aws_s3_bucket').map(([, b]) => `arn:aws:s3:::${b.bucket}`);
    expect(buckets).toEqual(expect.arrayContaining([SOURCE_BUCKET, DESTINATION_BUCKET]));
    const params = resources(tf, 'aws_ssm_parameter').map(([, p]) => `arn:aws:ssm:eu-west-1:${ACCOUNT}:parameter${p.name}`);
    expect(params.sort()).toEqual([DESTINATION_PARAM, SOURCE_PARAM]);
  });
});

describe('IRSA roles from declared service accounts', () => {
  const declared = loadPlatformConfig(
    fixtureConfigWith({
      teams: {
        analytics: (t) => {
          t.eks.namespace = 'pipelines';
          t.eks.serviceAccounts = [
            {
              name: 'exporter',
              namespace: 'exports',
              statements: [{ actions: ['ssm:GetParameter'], resources: [`arn:aws:ssm:eu-west-1:${ACCOUNT}:parameter/exports/target`] }],
            },
            {
              name: 'auditor',
              statements: [
                {
                  actions: ['ec2:DescribeInstances'],
                  resources: ['*'],
                  allowWildcardResourceReason: 'ec2:DescribeInstances has no resource-level permissions',
                },
              ],
            },
          ];
        },
      },
    }),
  );
  const { tf: edited } = synthEks(declared);
  const [editedCluster] = one(edited, 'aws_eks_cluster');
  const [editedOidc] = one(edited, 'aws_iam_openid_connect_provider');
  const issuer = `\${replace(aws_eks_cluster.${editedCluster}.identity[0].oidc[0].issuer, "https://", "")}`;

  it('gets a role per service account, trusted for its own namespace (explicit or the team namespace)', () => {
    const exporter = irsa(edited, 'acme-data-analytics-exports-exporter');
    expect((({ '//': _m, ...d }) => d)(exporter.trust)).toEqual(expectedTrust('exports', 'exporter', issuer, editedOidc));
    expect(exporter.policy.Statement).toEqual([
      { Effect: 'Allow', Action: ['ssm:GetParameter'], Resource: [`arn:aws:ssm:eu-west-1:${ACCOUNT}:parameter/exports/target`] },
    ]);
    const auditor = irsa(edited, 'acme-data-analytics-pipelines-auditor');
    expect((({ '//': _m, ...d }) => d)(auditor.trust)).toEqual(expectedTrust('pipelines', 'auditor', issuer, editedOidc));
    expect(auditor.policy.Statement).toEqual([{ Effect: 'Allow', Action: ['ec2:DescribeInstances'], Resource: ['*'] }]);
  });

  it('scopes the MWAA access policy to the configured team namespace', () => {
    const associations = resources(edited, 'aws_eks_access_policy_association').filter(([, a]) => a.access_scope.type === 'namespace');
    expect(associations.map(([, a]) => a.access_scope.namespaces)).toEqual([['pipelines']]);
  });
});
