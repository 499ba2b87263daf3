import { Construct } from 'constructs';
import { SecretsmanagerSecret } from '@cdktf/provider-aws/lib/secretsmanager-secret';
import { SecretsmanagerSecretVersion } from '@cdktf/provider-aws/lib/secretsmanager-secret-version';
import { keyOf, moveFromLegacyId } from '../../common/addresses';
import { EKS_POD_OPERATOR_CONN_ID, podOperatorSecretName } from '../../../contracts/account-scoped-names';

/**
 * Airflow connection URI (the Secrets Manager backend's default `full_url_mode`) carrying only the XCom sidecar
 * image: the operator's default (`alpine` from Docker Hub) cannot be pulled from the private shared subnets.
 */
export const podOperatorConnectionUri = (sidecarImage: string) =>
  `kubernetes://?__extra__=${encodeURIComponent(JSON.stringify({ xcom_sidecar_container_image: sidecarImage }))}`;

export interface PodOperatorConnectionProps {
  /** Secrets Manager connection prefixes of the team's environments (`secretsBackend.connectionsPrefix`). */
  readonly connectionsPrefixes: readonly string[];
  /** Image of the XCom sidecar, e.g. the pull-through-cache copy of `docker/library/alpine`. */
  readonly sidecarImage: string;
  /**
   * Secrets to replicate to the recovery region (an environment with recovery reads this prefix), and with which key.
   * @default none replicated
   */
  readonly replica?: SecretReplica;
}

export interface SecretReplica {
  readonly region: string;
  /** A key of `region` (ARN or alias ARN: the recovery stack owns the key, this stack reads nothing of it). */
  readonly kmsKeyId: string;
  /** Names of the secrets to replicate. */
  readonly secretNames: readonly string[];
}

/**
 * The `eks_pod_operator` Airflow connection, once per connections prefix, in the secrets backend the team's
 * environments already read (their execution roles may read `<prefix>/*`). Nothing in it is secret.
 */
export class PodOperatorConnection extends Construct {
  public readonly connId = EKS_POD_OPERATOR_CONN_ID;

  constructor(scope: Construct, id: string, props: PodOperatorConnectionProps) {
    super(scope, id);
    // Keyed by prefix: a recreated secret of the same name would fail during its recovery window, so adding a
    // prefix that sorts first must not re-point the others.
    [...new Set(props.connectionsPrefixes)].sort().forEach((prefix, index) => {
      const key = keyOf(prefix);
      const secret = new SecretsmanagerSecret(this, `secret-${key}`, {
        name: podOperatorSecretName(prefix),
        description: 'Airflow connection for EksPodOperator: XCom sidecar image from the ECR pull-through cache',
        recoveryWindowInDays: 7,
        ...(props.replica?.secretNames.includes(podOperatorSecretName(prefix))
          ? { replica: [{ region: props.replica.region, kmsKeyId: props.replica.kmsKeyId }] }
          : {}),
      });
      const value = new SecretsmanagerSecretVersion(this, `secret-${key}-value`, {
        secretId: secret.id,
        secretString: podOperatorConnectionUri(props.sidecarImage),
      });
      // Until this version the ids were positions in the sorted prefixes (`secret-<index>`): move that state here.
      moveFromLegacyId(secret, `secret-${index}`);
      moveFromLegacyId(value, `secret-${index}-value`);
    });
  }
}
