import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { MANIFESTS_DIR, renderServiceAccounts } from '../../../../constructs/participant/eks/manifests';
import { one, ref, synthEks } from './support';

const { tf, outdir } = synthEks();
const dir = join(outdir, 'stacks', 'participant-analytics', MANIFESTS_DIR);
const docs = (text: string) =>
  parseAllDocuments(text).map((d) => {
    expect(d.errors).toEqual([]);
    return d.toJS();
  });
const roleId = (name: string) => one(tf, 'aws_iam_role', (r) => r.name === name)[0];

const READER = 'acme-data-analytics-analytics-source-bucket-reader';
const WRITER = 'acme-data-analytics-analytics-destination-bucket-writer';

describe('Kubernetes manifests in the stack output directory', () => {
  it('are written as kubernetes/*.yaml next to cdk.tf.json, in apply order', () => {
    expect(readdirSync(dir)).toEqual(['00-namespaces.yaml', '10-service-accounts.yaml']);
  });

  it('create the team namespace with Pod Security enforcement', () => {
    expect(docs(readFileSync(join(dir, '00-namespaces.yaml'), 'utf8'))).toEqual([
      {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: {
          name: 'analytics',
          labels: {
            'app.kubernetes.io/managed-by': 'mwaa-platform',
            'pod-security.kubernetes.io/enforce': 'baseline',
            'pod-security.kubernetes.io/warn': 'restricted',
          },
        },
      },
    ]);
  });

  it('annotate each service account with the full ARN of the IRSA role Terraform creates under that name', () => {
    const accounts = docs(readFileSync(join(dir, '10-service-accounts.yaml'), 'utf8'));
    expect(accounts.map((a) => [a.kind, a.metadata.namespace, a.metadata.name, a.metadata.annotations])).toEqual([
      [
        'ServiceAccount',
        'analytics',
        'destination-bucket-writer',
        { 'eks.amazonaws.com/role-arn': `arn:aws:iam::222222222222:role/${WRITER}`, 'eks.amazonaws.com/sts-regional-endpoints': 'true' },
      ],
      [
        'ServiceAccount',
        'analytics',
        'source-bucket-reader',
        { 'eks.amazonaws.com/role-arn': `arn:aws:iam::222222222222:role/${READER}`, 'eks.amazonaws.com/sts-regional-endpoints': 'true' },
      ],
    ]);
    // The ARN in the file is the one IAM will return: same name, default path.
    expect(one(tf, 'aws_iam_role', (r) => r.name === READER)[1].path).toBeUndefined();
  });

  it('are also a Terraform output whose role ARNs come from state', () => {
    const output = tf.output.kubernetes_manifests.value as string;
    expect(output).toContain(`eks.amazonaws.com/role-arn: "${ref('aws_iam_role', roleId(READER), 'arn')}"`);
    expect(output).toContain(`eks.amazonaws.com/role-arn: "${ref('aws_iam_role', roleId(WRITER), 'arn')}"`);
    // Once Terraform substitutes the ARNs, the output is the same YAML as the files.
    const applied = output
      .replace(ref('aws_iam_role', roleId(READER), 'arn'), `arn:aws:iam::222222222222:role/${READER}`)
      .replace(ref('aws_iam_role', roleId(WRITER), 'arn'), `arn:aws:iam::222222222222:role/${WRITER}`);
    const files = readdirSync(dir).map((f) => readFileSync(join(dir, f), 'utf8'));
    expect(docs(applied)).toEqual(files.flatMap(docs));
  });

  it('quote every value, so names and ARNs cannot change the YAML structure', () => {
    const text = renderServiceAccounts([{ namespace: 'ns', name: 'sa', roleArn: 'arn:aws:iam::1:role/x"\n  evil: true' }]);
    expect(docs(text)[0].metadata.annotations['eks.amazonaws.com/role-arn']).toBe('arn:aws:iam::1:role/x"\n  evil: true');
    expect(docs(text)[0].metadata).not.toHaveProperty('evil');
  });
});
