import { createHash } from 'node:crypto';
import type { Construct } from 'constructs';
import { S3Object } from '@cdktf/provider-aws/lib/s3-object';
import type { ArtifactFile } from '../../../model/artifacts';
import { keyOf, moveFromLegacyId } from '../../common/addresses';
import { boundedName } from '../../common/names';
import { SecureBucket } from '../../common/secure-bucket';
import { PlatformStack } from '../../common/platform-stack';

export interface DagBucketProps {
  /** Resource name prefix, e.g. `acme-data-analytics`. */
  readonly name: string;
  /**
   * The team's customer-managed key for default encryption.
   * @default the AWS managed key `aws/s3` (SSE-KMS)
   */
  readonly kmsKeyArn?: string;
  /** The team's DAG files, keyed `dags/...`. */
  readonly dags: readonly ArtifactFile[];
  /**
   * User metadata on every object. Replication copies only objects written after it is configured, so turning
   * recovery on names the recovery region here: the changed metadata uploads every object again, and replicates it.
   * @default none
   */
  readonly objectMetadata?: Readonly<Record<string, string>>;
}

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  py: 'text/x-python',
  txt: 'text/plain',
  sh: 'text/x-sh',
  zip: 'application/zip',
  json: 'application/json',
  sql: 'text/plain',
  yaml: 'text/yaml',
  yml: 'text/yaml',
};

/** The DAG folder's prefix in the bucket (MWAA `dag_s3_path`). */
export const DAGS_PREFIX = 'dags';

/** Construct id of a DAG object: keyed one-to-one by its key under `dags/`, whatever the other files are. */
export const dagObjectId = (key: string): string => `dag-${keyOf(key.slice(DAGS_PREFIX.length + 1))}`;

/**
 * The ids DAG objects had before {@link dagObjectId}, for moving their state: `/` became `--`, any other character
 * outside `[A-Za-z0-9_-]` became `_`, and a clash with an earlier file of the list took the key's hash as a suffix.
 * Lossy and order-dependent, hence replaced; kept only to compute the `moved` blocks' old addresses.
 */
function legacyDagObjectIds(dags: readonly ArtifactFile[]): string[] {
  const used = new Set<string>();
  return dags.map((file) => {
    let id = `dag-${file.key
      .slice(DAGS_PREFIX.length + 1)
      .replace(/\//g, '--')
      .replace(/[^A-Za-z0-9_-]/g, '_')}`;
    if (used.has(id)) id = `${id}-${createHash('sha256').update(file.key).digest('hex').slice(0, 8)}`;
    used.add(id);
    return id;
  });
}

/**
 * A team's MWAA source bucket: the platform's {@link SecureBucket} baseline (versioned, which MWAA requires
 * and reads requirements, plugins and the startup script by object version; never public; SSE-KMS; TLS-only;
 * bucket-owner objects). A subclass rather than a child, so the bucket's resource addresses stay the same.
 * DAG objects carry their bytes (base64, never evaluated) and MD5, so a changed DAG is an in-place update of one object.
 */
export class DagBucket extends SecureBucket {
  /** The uploaded DAG files. */
  public readonly dagObjects: readonly S3Object[];
  /** Every object uploaded, DAGs and environment files alike. */
  public readonly objects: S3Object[] = [];
  private readonly kmsKeyArn?: string;
  private readonly objectMetadata?: Readonly<Record<string, string>>;

  constructor(scope: Construct, id: string, props: DagBucketProps) {
    // S3 names are global: the stack's account id makes the name unique.
    super(scope, id, {
      bucketName: boundedName(`${props.name}-mwaa-${PlatformStack.of(scope).accountId}`, 63),
      kmsKeyArn: props.kmsKeyArn,
    });
    this.kmsKeyArn = props.kmsKeyArn;
    this.objectMetadata = props.objectMetadata;

    const ids = props.dags.map((file) => dagObjectId(file.key));
    const legacyIds = legacyDagObjectIds(props.dags);
    const current = new Set(ids);
    this.dagObjects = props.dags.map((file, i) => {
      const object = this.addObject(ids[i], file);
      // State written under the old id moves (a `moved` block) unless the old id is another file's id now.
      if (legacyIds[i] !== ids[i] && !current.has(legacyIds[i])) moveFromLegacyId(object, legacyIds[i]);
      return object;
    });
  }

  /** Uploads one file; returns the object (its `versionId` pins MWAA to this content). */
  public addObject(id: string, file: ArtifactFile): S3Object {
    const extension = file.key.split('.').pop() ?? '';
    const object = new S3Object(this, id, {
      bucket: this.bucket.id,
      key: file.key,
      // Always base64, never `content`: Terraform would evaluate `${…}`/`%{…}` inside a DAG (model/artifacts.ts).
      contentBase64: file.contentBase64,
      // ETag is not an MD5 under SSE-KMS, so the content hash is tracked explicitly.
      sourceHash: file.md5,
      contentType: CONTENT_TYPES[extension] ?? 'application/octet-stream',
      kmsKeyId: this.kmsKeyArn,
      ...(this.objectMetadata ? { metadata: { ...this.objectMetadata } } : {}),
      dependsOn: [this.versioning],
    });
    this.objects.push(object);
    return object;
  }
}
