import { App, TerraformOutput, TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import { BOOTSTRAP_OUTPUTS, bootstrapStackName } from '../contracts/bootstrap';
import type { BootstrapAccount, BootstrapPlan } from '../model/bootstrap';
import { accountProvider, type ProviderMode } from '../constructs/common/account-provider';
import { configureBackend } from '../constructs/common/state-backend';
import { CiRole } from '../constructs/bootstrap/ci-roles';
import { GithubOidcProvider } from '../constructs/bootstrap/github-oidc';
import {
  deployPermissions,
  deployTrustPolicy,
  oidcProviderArn,
  planPermissions,
  planTrustPolicy,
  stateBucketPolicy,
  stateKeyPolicy,
} from '../constructs/bootstrap/policies';
import { StateBucket } from '../constructs/bootstrap/state-bucket';
import { awsManagedPolicyArn } from '../contracts/aws';

export interface BootstrapStackProps {
  readonly plan: BootstrapPlan;
  readonly account: BootstrapAccount;
  /** @default 'real' */
  readonly mode?: ProviderMode;
}

/**
 * What one account needs before the platform's own stacks can run there: the GitHub OIDC provider, the deploy and
 * plan roles and, in the state account, the state bucket. Applied by an administrator of the account; its own
 * state is local (the bucket it creates cannot hold the state of its own creation).
 */
export class BootstrapStack extends TerraformStack {
  public readonly deployRole: CiRole;
  public readonly planRole: CiRole;
  public readonly stateBucket?: StateBucket;

  constructor(scope: Construct, props: BootstrapStackProps) {
    const { plan, account } = props;
    const id = bootstrapStackName(account.accountId);
    super(scope, id);
    accountProvider(this, {
      region: plan.region,
      accountId: account.accountId,
      deployRoleArn: account.adminRoleArn,
      sessionName: 'mwaa-platform-bootstrap',
      tags: plan.tags,
      mode: props.mode,
    });
    configureBackend(this, id, { type: 'local' });

    const oidc = new GithubOidcProvider(this, 'github-oidc', {
      arn: oidcProviderArn(plan, account.accountId),
      mode: plan.github.oidcProvider,
    });
    const p = plan.partition;
    this.deployRole = new CiRole(this, 'deploy-role', {
      name: account.deployRoleName,
      description: `Terraform apply of the ${plan.platform} platform from ${plan.github.repository} (${plan.github.deploySubjects.join(', ')})`,
      trust: deployTrustPolicy(plan, account),
      permissions: deployPermissions(plan, account),
      managedPolicyArn: plan.deployRolePolicy === 'administrator' ? awsManagedPolicyArn(p, 'AdministratorAccess') : undefined,
    });
    this.planRole = new CiRole(this, 'plan-role', {
      name: plan.planRoleName,
      description: `Read-only Terraform plan of the ${plan.platform} platform for pull requests of ${plan.github.repository}`,
      trust: planTrustPolicy(plan, account.accountId),
      permissions: planPermissions(plan, account.accountId),
      maxSessionDuration: 3600,
    });
    // The trust names the provider by ARN; order the create so the first apply never races it.
    this.deployRole.node.addDependency(oidc);
    this.planRole.node.addDependency(oidc);

    new TerraformOutput(this, 'deploy-role-arn', { value: this.deployRole.arn }).overrideLogicalId(BOOTSTRAP_OUTPUTS.deployRoleArn);
    new TerraformOutput(this, 'plan-role-arn', { value: this.planRole.arn }).overrideLogicalId(BOOTSTRAP_OUTPUTS.planRoleArn);
    new TerraformOutput(this, 'oidc-provider-arn', { value: oidc.arn }).overrideLogicalId(BOOTSTRAP_OUTPUTS.oidcProviderArn);

    if (account.accountId === plan.stateAccountId) {
      this.stateBucket = new StateBucket(this, 'state', {
        bucket: plan.state.bucket,
        kmsKeyAlias: plan.state.kmsKeyAlias,
        keyPolicy: stateKeyPolicy(plan),
        bucketPolicy: stateBucketPolicy(plan),
        noncurrentVersionDays: plan.state.noncurrentVersionDays,
        lockTable: plan.state.dynamodbTable,
      });
      new TerraformOutput(this, 'state-bucket', { value: this.stateBucket.bucketName }).overrideLogicalId(BOOTSTRAP_OUTPUTS.stateBucket);
      new TerraformOutput(this, 'state-key-alias', { value: plan.state.kmsKeyAliasArn }).overrideLogicalId(
        BOOTSTRAP_OUTPUTS.stateKmsKeyAlias,
      );
    }
  }
}

export interface BuildBootstrapAppOptions {
  readonly outdir: string;
  /** @default 'real' */
  readonly mode?: ProviderMode;
}

/** One bootstrap stack per platform account, the state account first. */
export function buildBootstrapApp(plan: BootstrapPlan, options: BuildBootstrapAppOptions): App {
  const app = new App({ outdir: options.outdir, skipValidation: false });
  for (const account of plan.accounts) new BootstrapStack(app, { plan, account, mode: options.mode });
  return app;
}
