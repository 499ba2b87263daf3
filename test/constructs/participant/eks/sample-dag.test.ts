import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SAMPLE_DAG_CONFIG_FILE, SAMPLE_DAG_FILE, renderSampleDagConfig } from '../../../../constructs/participant/eks/sample-pipeline';
import { one, ref, resources, synthEks } from './support';
import { FIXTURE_ROOT } from '../../../support/fixture-paths';

const DAGS = join(FIXTURE_ROOT, 'teams', 'analytics', 'dags');
const { stack, tf } = synthEks();
const dagSource = readFileSync(join(DAGS, SAMPLE_DAG_FILE), 'utf8');

describe('the sample DAG', () => {
  it('compiles as Python (python3 -m py_compile)', () => {
    const cache = mkdtempSync(join(tmpdir(), 'pycache-'));
    try {
      // PYTHONPYCACHEPREFIX keeps __pycache__ out of the DAG folder, which is uploaded as is.
      const r = spawnSync('python3', ['-m', 'py_compile', join(DAGS, SAMPLE_DAG_FILE)], {
        encoding: 'utf8',
        env: { ...process.env, PYTHONPYCACHEPREFIX: cache },
      });
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
    } finally {
      rmSync(cache, { recursive: true, force: true });
    }
  });

  it('reads settings that match the configuration (regenerate the JSON when this fails)', () => {
    const committed = readFileSync(join(DAGS, SAMPLE_DAG_CONFIG_FILE), 'utf8');
    expect(committed).toBe(renderSampleDagConfig(stack.eks!.sampleDagConfig!));
  });

  it('has two EksPodOperator tasks, reader then writer, with their own service accounts', () => {
    expect(dagSource.match(/EksPodOperator\(/g)).toHaveLength(2);
    expect(dagSource).toMatch(
      /task_id="list_source_bucket"[\s\S]*service_account_name=CONFIG\["reader_service_account"\][\s\S]*do_xcom_push=True/,
    );
    expect(dagSource).toMatch(/task_id="write_listing"[\s\S]*service_account_name=CONFIG\["writer_service_account"\]/);
    expect(dagSource).toContain('list_source_bucket >> write_listing');
    expect(dagSource).toContain("ti.xcom_pull(task_ids='list_source_bucket')");
  });

  it('is uploaded to the team DAG bucket with its settings file', () => {
    const keys = resources(tf, 'aws_s3_object').map(([, o]) => o.key);
    expect(keys).toEqual(expect.arrayContaining([`dags/${SAMPLE_DAG_FILE}`, `dags/${SAMPLE_DAG_CONFIG_FILE}`]));
  });

  it('pulls its images through the account ECR pull-through cache, including the XCom sidecar', () => {
    const config = stack.eks!.sampleDagConfig!;
    expect(config.image).toBe('222222222222.dkr.ecr.eu-west-1.amazonaws.com/ecr-public/aws-cli/aws-cli:latest');
    expect(one(tf, 'aws_ecr_pull_through_cache_rule')[1]).toMatchObject({
      ecr_repository_prefix: 'ecr-public',
      upstream_registry_url: 'public.ecr.aws',
    });
    const [secretId, secret] = one(tf, 'aws_secretsmanager_secret', (s) => s.name === 'airflow/connections/eks_pod_operator');
    expect(secret.name).toBe(`airflow/connections/${config.kubernetes_conn_id}`);
    const [, version] = one(
      tf,
      'aws_secretsmanager_secret_version',
      (v) => v.secret_id === ref('aws_secretsmanager_secret', secretId, 'id'),
    );
    expect(version.secret_string).toBe(
      'kubernetes://?__extra__=%7B%22xcom_sidecar_container_image%22%3A%22222222222222.dkr.ecr.eu-west-1.amazonaws.com%2Fecr-public%2Fdocker%2Flibrary%2Falpine%3A3%22%7D',
    );
    const extra = JSON.parse(decodeURIComponent(version.secret_string.split('__extra__=')[1]));
    expect(extra).toEqual({
      xcom_sidecar_container_image: '222222222222.dkr.ecr.eu-west-1.amazonaws.com/ecr-public/docker/library/alpine:3',
    });
  });
});

/**
 * The swap experiment, checked against the synthesized policies: each task's first AWS call is
 * ssm:GetParameter on its own parameter, and only its own role allows that, so with the service accounts
 * swapped both tasks stop at AccessDenied before touching S3.
 */
describe('swapping the two service accounts', () => {
  const policyOf = (roleName: string) => {
    const [roleId] = one(tf, 'aws_iam_role', (r) => r.name === roleName);
    return JSON.parse(one(tf, 'aws_iam_role_policy', (p) => p.role === ref('aws_iam_role', roleId, 'id'))[1].policy).Statement as Array<{
      Effect: string;
      Action: string[];
      Resource: string[];
    }>;
  };
  const allows = (roleName: string, action: string, resource: string) =>
    policyOf(roleName).some(
      (s) =>
        s.Effect === 'Allow' &&
        s.Action.includes(action) &&
        s.Resource.some((r) => r === resource || (r.endsWith('/*') && resource.startsWith(r.slice(0, -1)))),
    );
  const READER = 'acme-data-analytics-analytics-source-bucket-reader';
  const WRITER = 'acme-data-analytics-analytics-destination-bucket-writer';
  const param = (name: string) => `arn:aws:ssm:eu-west-1:222222222222:parameter/acme-data/analytics/eks-sample/${name}`;
  const SOURCE = 'arn:aws:s3:::acme-data-analytics-222222222222-eks-source';
  const DESTINATION = 'arn:aws:s3:::acme-data-analytics-222222222222-eks-destination';

  it('works as designed', () => {
    expect(allows(READER, 'ssm:GetParameter', param('source-bucket'))).toBe(true);
    expect(allows(READER, 's3:ListBucket', SOURCE)).toBe(true);
    expect(allows(WRITER, 'ssm:GetParameter', param('destination-bucket'))).toBe(true);
    expect(allows(WRITER, 's3:PutObject', `${DESTINATION}/listings/x.json`)).toBe(true);
  });

  it('makes both tasks fail with access denied', () => {
    // list_source_bucket running as the writer
    expect(allows(WRITER, 'ssm:GetParameter', param('source-bucket'))).toBe(false);
    expect(allows(WRITER, 's3:ListBucket', SOURCE)).toBe(false);
    // write_listing running as the reader
    expect(allows(READER, 'ssm:GetParameter', param('destination-bucket'))).toBe(false);
    expect(allows(READER, 's3:PutObject', `${DESTINATION}/listings/x.json`)).toBe(false);
  });
});
