/**
 * Adapter: the only module that talks to AWS. It applies decisions made by the pure modules and
 * maps SDK shapes to theirs. Retries of throttled or transient calls are left to the SDK's retry
 * strategy (configurable, so tests can shorten delays).
 */
import {
  CreateVpcEndpointCommand,
  DeleteVpcEndpointsCommand,
  DescribeVpcEndpointsCommand,
  EC2Client,
  ModifyVpcEndpointCommand,
  type EC2ClientConfig,
  type Filter,
  type VpcEndpoint,
} from '@aws-sdk/client-ec2';
import { GetEnvironmentCommand, ListEnvironmentsCommand, MWAAClient, type Environment, type MWAAClientConfig } from '@aws-sdk/client-mwaa';
import { AssumeRoleCommand, STSClient, type STSClientConfig } from '@aws-sdk/client-sts';
import { TAG_ACCOUNT, TAG_ENVIRONMENT, TAG_MANAGED_BY, type CreateEndpointRequest, type ObservedEndpoint } from './decide';
import type { EnvironmentRef } from './event';
import { reconcileRoleArn } from './names';
import type { AccountObservation, ObservedEnvironment } from './reconcile-plan';
import type { Settings } from './settings';

/** What the handler needs from AWS; implemented by AwsAdapter. */
export interface AwsPort {
  /** Managed endpoints in the shared VPC (ManagedBy tag), optionally of one environment. */
  describeManagedEndpoints(environment?: EnvironmentRef): Promise<readonly ObservedEndpoint[]>;
  createEndpoint(request: CreateEndpointRequest): Promise<{ readonly id: string; readonly state: string }>;
  deleteEndpoints(endpointIds: readonly string[]): Promise<void>;
  readSqsEndpointPolicy(): Promise<string | undefined>;
  writeSqsEndpointPolicy(document: string): Promise<void>;
  observeAccount(account: string, partition: string): Promise<AccountObservation>;
}

export interface AwsClientOptions {
  readonly ec2?: EC2ClientConfig;
  readonly sts?: STSClientConfig;
  /** Applied to every per-account MWAA client (credentials come from the assumed role). */
  readonly mwaa?: Omit<MWAAClientConfig, 'credentials' | 'region'>;
}

/**
 * SDK attempts per call (the standard retry strategy's default is 3). More, because one invocation makes
 * dozens of EC2 calls in a reconcile and EC2's request-rate limits are shared by the whole owner account;
 * a call that still fails throws, and the invocation is retried by Lambda and EventBridge (see the
 * endpoint manager construct for those retries and why they differ from the participants' forwarder).
 */
export const DEFAULT_MAX_ATTEMPTS = 5;
const ROLE_SESSION_NAME = 'mwaa-endpoint-manager';
const NOT_FOUND_ON_DELETE = new Set(['InvalidVpcEndpoint.NotFound', 'InvalidVpcEndpointId.NotFound']);

export class AwsAdapter implements AwsPort {
  private readonly ec2: EC2Client;
  private readonly sts: STSClient;

  constructor(
    private readonly settings: Settings,
    private readonly options: AwsClientOptions = {},
  ) {
    this.ec2 = new EC2Client({ region: settings.region, maxAttempts: DEFAULT_MAX_ATTEMPTS, ...options.ec2 });
    this.sts = new STSClient({ region: settings.region, maxAttempts: DEFAULT_MAX_ATTEMPTS, ...options.sts });
  }

  async describeManagedEndpoints(environment?: EnvironmentRef): Promise<readonly ObservedEndpoint[]> {
    const filters: Filter[] = [
      { Name: 'vpc-id', Values: [this.settings.sharedVpcId] },
      { Name: `tag:${TAG_MANAGED_BY}`, Values: [this.settings.managedBy] },
    ];
    if (environment) {
      filters.push({ Name: `tag:${TAG_ACCOUNT}`, Values: [environment.account] });
      filters.push({ Name: `tag:${TAG_ENVIRONMENT}`, Values: [environment.name] });
    }
    const endpoints: ObservedEndpoint[] = [];
    let nextToken: string | undefined;
    do {
      const page = await this.ec2.send(new DescribeVpcEndpointsCommand({ Filters: filters, MaxResults: 1000, NextToken: nextToken }));
      endpoints.push(...(page.VpcEndpoints ?? []).map(toObservedEndpoint));
      nextToken = page.NextToken;
    } while (nextToken);
    return endpoints;
  }

  async createEndpoint(request: CreateEndpointRequest): Promise<{ readonly id: string; readonly state: string }> {
    const output = await this.ec2.send(
      new CreateVpcEndpointCommand({
        VpcEndpointType: 'Interface',
        VpcId: request.vpcId,
        ServiceName: request.serviceName,
        SubnetIds: [...request.subnetIds],
        SecurityGroupIds: [...request.securityGroupIds],
        PrivateDnsEnabled: request.privateDnsEnabled,
        ClientToken: request.clientToken,
        TagSpecifications: [{ ResourceType: 'vpc-endpoint', Tags: request.tags.map((tag) => ({ Key: tag.key, Value: tag.value })) }],
      }),
    );
    const id = output.VpcEndpoint?.VpcEndpointId;
    if (!id) throw new Error(`CreateVpcEndpoint for ${request.serviceName} returned no endpoint id`);
    return { id, state: String(output.VpcEndpoint?.State ?? 'unknown') };
  }

  async deleteEndpoints(endpointIds: readonly string[]): Promise<void> {
    if (endpointIds.length === 0) return;
    const output = await this.ec2.send(new DeleteVpcEndpointsCommand({ VpcEndpointIds: [...endpointIds] }));
    // Already gone is the goal state; anything else must surface so the invocation is retried.
    const failures = (output.Unsuccessful ?? []).filter((item) => !NOT_FOUND_ON_DELETE.has(item.Error?.Code ?? ''));
    if (failures.length > 0) {
      throw new Error(
        `DeleteVpcEndpoints failed for ${failures.map((f) => `${f.ResourceId ?? '?'} (${f.Error?.Code ?? '?'}: ${f.Error?.Message ?? ''})`).join(', ')}`,
      );
    }
  }

  async readSqsEndpointPolicy(): Promise<string | undefined> {
    const output = await this.ec2.send(new DescribeVpcEndpointsCommand({ VpcEndpointIds: [this.settings.sqsEndpointId] }));
    const endpoint = output.VpcEndpoints?.[0];
    if (!endpoint) throw new Error(`SQS endpoint ${this.settings.sqsEndpointId} not found`);
    if (endpoint.VpcId !== this.settings.sharedVpcId) {
      throw new Error(
        `SQS endpoint ${this.settings.sqsEndpointId} is in ${String(endpoint.VpcId)}, not the shared VPC ${this.settings.sharedVpcId}`,
      );
    }
    return endpoint.PolicyDocument;
  }

  async writeSqsEndpointPolicy(document: string): Promise<void> {
    await this.ec2.send(new ModifyVpcEndpointCommand({ VpcEndpointId: this.settings.sqsEndpointId, PolicyDocument: document }));
  }

  /**
   * Reads a participant's environments through its read-only reconcile role. Never throws: a
   * failure yields an incomplete observation, which the plan treats as "do not remove anything".
   */
  async observeAccount(account: string, partition: string): Promise<AccountObservation> {
    const roleArn = reconcileRoleArn(partition, account, this.settings.reconcileRoleName);
    const incomplete = (error: string, names: readonly string[] = [], environments: readonly ObservedEnvironment[] = []) => ({
      account,
      environmentNames: names,
      environments,
      complete: false,
      error,
    });
    let mwaa: MWAAClient;
    try {
      const assumed = await this.sts.send(
        new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: ROLE_SESSION_NAME, DurationSeconds: 900 }),
      );
      const credentials = assumed.Credentials;
      if (!credentials?.AccessKeyId || !credentials.SecretAccessKey || !credentials.SessionToken) {
        return incomplete(`AssumeRole ${roleArn} returned no credentials`);
      }
      mwaa = new MWAAClient({
        maxAttempts: DEFAULT_MAX_ATTEMPTS,
        ...this.options.mwaa,
        region: this.settings.region,
        credentials: {
          accessKeyId: credentials.AccessKeyId,
          secretAccessKey: credentials.SecretAccessKey,
          sessionToken: credentials.SessionToken,
          ...(credentials.Expiration ? { expiration: credentials.Expiration } : {}),
        },
      });
    } catch (error) {
      return incomplete(`cannot assume ${roleArn}: ${describeError(error)}`);
    }

    try {
      const names: string[] = [];
      let nextToken: string | undefined;
      try {
        do {
          const page = await mwaa.send(new ListEnvironmentsCommand({ NextToken: nextToken }));
          names.push(...(page.Environments ?? []));
          nextToken = page.NextToken;
        } while (nextToken);
      } catch (error) {
        return incomplete(`ListEnvironments failed: ${describeError(error)}`);
      }

      const existing: string[] = [];
      const environments: ObservedEnvironment[] = [];
      const errors: string[] = [];
      for (const name of names) {
        try {
          const output = await mwaa.send(new GetEnvironmentCommand({ Name: name }));
          existing.push(name);
          if (output.Environment) environments.push(toObservedEnvironment(name, output.Environment));
        } catch (error) {
          if (errorName(error) === 'ResourceNotFoundException') continue; // deleted since the listing
          existing.push(name);
          errors.push(`GetEnvironment ${name} failed: ${describeError(error)}`);
        }
      }
      if (errors.length > 0) return incomplete(errors.join('; '), existing, environments);
      return { account, environmentNames: existing, environments, complete: true };
    } finally {
      mwaa.destroy();
    }
  }
}

function toObservedEndpoint(endpoint: VpcEndpoint): ObservedEndpoint {
  const tags: Record<string, string> = {};
  for (const tag of endpoint.Tags ?? []) if (tag.Key !== undefined) tags[tag.Key] = tag.Value ?? '';
  return {
    id: endpoint.VpcEndpointId ?? '',
    serviceName: endpoint.ServiceName ?? '',
    state: String(endpoint.State ?? 'unknown'),
    tags,
    subnetIds: endpoint.SubnetIds ?? [],
    ...(endpoint.CreationTimestamp ? { createdAt: new Date(endpoint.CreationTimestamp).toISOString() } : {}),
  };
}

/** Maps GetEnvironment's reply to the event's detail shape so one validator serves both paths. */
function toObservedEnvironment(name: string, environment: Environment): ObservedEnvironment {
  return {
    name,
    status: String(environment.Status ?? 'UNKNOWN'),
    endpointManagement: environment.EndpointManagement,
    detail: {
      name,
      status: environment.Status,
      celeryExecutorQueue: environment.CeleryExecutorQueue,
      databaseVpcEndpointService: environment.DatabaseVpcEndpointService,
      webserverVpcEndpointService: environment.WebserverVpcEndpointService,
      webserverAccessMode: environment.WebserverAccessMode,
      networkConfiguration: {
        subnetIds: environment.NetworkConfiguration?.SubnetIds,
        securityGroupIds: environment.NetworkConfiguration?.SecurityGroupIds,
      },
    },
  };
}

function errorName(error: unknown): string {
  return error instanceof Error ? error.name : 'Error';
}

export function describeError(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
