/**
 * Test helpers: a stateful stand-in for the EC2 endpoint APIs behind aws-sdk-client-mock, and a
 * capture of the JSON log lines Powertools writes to stdout. Not a test file itself.
 */
import {
  CreateVpcEndpointCommand,
  DeleteVpcEndpointsCommand,
  DescribeVpcEndpointsCommand,
  EC2Client,
  ModifyVpcEndpointCommand,
  type CreateVpcEndpointCommandInput,
  type DescribeVpcEndpointsCommandInput,
  type VpcEndpoint,
} from '@aws-sdk/client-ec2';
import { GetEnvironmentCommand, ListEnvironmentsCommand, MWAAClient } from '@aws-sdk/client-mwaa';
import { mockClient } from 'aws-sdk-client-mock';
import { initialSqsEndpointPolicy } from '../../../../contracts/sqs-endpoint-policy';
import { REGION, SQS_ENDPOINT_ID, VPC_ID } from './fixtures';

/** EC2 returns lower-case states on the wire (available, pendingAcceptance, ...); the SDK's enum spells them capitalised. */
export const ec2State = (state: string) => state as NonNullable<VpcEndpoint['State']>;

/**
 * client-mwaa 3.523 and aws-sdk-client-mock resolve different @smithy/types majors: stubbing `send`
 * works at runtime, only their generics disagree, so the MWAA stub is typed loosely here.
 */
export interface LooseBehavior {
  resolves(output: unknown): LooseBehavior;
  resolvesOnce(output: unknown): LooseBehavior;
  rejects(error: unknown): LooseBehavior;
}
export interface LooseStub {
  on(command: typeof ListEnvironmentsCommand | typeof GetEnvironmentCommand, input?: object): LooseBehavior;
  reset(): void;
  calls(): unknown[];
}
export const mockMwaaClient = () => mockClient(MWAAClient as never) as unknown as LooseStub;

export const LAMBDA_CONTEXT = { invokedFunctionArn: `arn:aws:lambda:${REGION}:123456789012:function:mwaa-endpoint-manager` };

/** EC2 as far as the endpoint manager sees it: endpoints with tags and states, ClientToken idempotency, one SQS endpoint policy. */
export class FakeEc2 {
  readonly mock = mockClient(EC2Client);
  readonly endpoints = new Map<string, VpcEndpoint>();
  private readonly tokens = new Map<string, string>();
  private sequence = 0;
  policy: string;

  /** Defaults: the fixtures' region, shared VPC and SQS endpoint; the IAM tests pass the synthesized stack's. */
  constructor(
    private readonly world: { readonly region: string; readonly vpcId: string; readonly sqsEndpointId: string } = {
      region: REGION,
      vpcId: VPC_ID,
      sqsEndpointId: SQS_ENDPOINT_ID,
    },
  ) {
    this.policy = initialSqsEndpointPolicy({ region: world.region, partition: 'aws' });
    this.mock.on(DescribeVpcEndpointsCommand).callsFake((input: DescribeVpcEndpointsCommandInput) => this.describe(input));
    this.mock.on(CreateVpcEndpointCommand).callsFake((input: CreateVpcEndpointCommandInput) => this.create(input));
    this.mock.on(DeleteVpcEndpointsCommand).callsFake((input: { VpcEndpointIds?: string[] }) => this.delete(input.VpcEndpointIds ?? []));
    this.mock.on(ModifyVpcEndpointCommand).callsFake((input: { VpcEndpointId?: string; PolicyDocument?: string }) => {
      if (input.VpcEndpointId !== this.world.sqsEndpointId) throw new Error(`unexpected modify of ${input.VpcEndpointId}`);
      this.policy = input.PolicyDocument ?? '';
      return { Return: true };
    });
  }

  /** Adds an endpoint as if created earlier (by us, by someone else, or by a failed attempt). */
  seed(endpoint: VpcEndpoint): void {
    this.endpoints.set(endpoint.VpcEndpointId!, { VpcId: this.world.vpcId, VpcEndpointType: 'Interface', ...endpoint });
  }

  live(): VpcEndpoint[] {
    return [...this.endpoints.values()].filter((e) => !['deleting', 'deleted'].includes(String(e.State)));
  }

  resources(): string[] {
    return JSON.parse(this.policy).Statement[0].Resource;
  }

  commandInputs<C extends new (...args: any[]) => { readonly input: unknown }>(command: C): InstanceType<C>['input'][] {
    return this.mock.commandCalls(command as never).map((call) => call.args[0].input as InstanceType<C>['input']);
  }

  private describe(input: DescribeVpcEndpointsCommandInput) {
    const { sqsEndpointId, vpcId, region } = this.world;
    if (input.VpcEndpointIds?.includes(sqsEndpointId)) {
      return {
        VpcEndpoints: [
          { VpcEndpointId: sqsEndpointId, VpcId: vpcId, ServiceName: `com.amazonaws.${region}.sqs`, PolicyDocument: this.policy },
        ],
      };
    }
    const matches = [...this.endpoints.values()].filter((endpoint) =>
      (input.Filters ?? []).every((filter) => {
        if (filter.Name === 'vpc-id') return filter.Values?.includes(endpoint.VpcId ?? '');
        if (filter.Name?.startsWith('tag:')) {
          const key = filter.Name.slice(4);
          return filter.Values?.includes(endpoint.Tags?.find((tag) => tag.Key === key)?.Value ?? '\u0000');
        }
        throw new Error(`unsupported filter ${filter.Name}`);
      }),
    );
    return { VpcEndpoints: matches.map((e) => structuredClone(e)) };
  }

  private create(input: CreateVpcEndpointCommandInput) {
    const known = input.ClientToken ? this.tokens.get(input.ClientToken) : undefined;
    if (known) return { VpcEndpoint: structuredClone(this.endpoints.get(known)!), ClientToken: input.ClientToken };
    this.sequence += 1;
    const id = `vpce-0${String(this.sequence).padStart(16, '0')}`;
    const endpoint: VpcEndpoint = {
      VpcEndpointId: id,
      VpcEndpointType: 'Interface',
      VpcId: input.VpcId,
      ServiceName: input.ServiceName,
      State: ec2State('pending'),
      SubnetIds: input.SubnetIds,
      PrivateDnsEnabled: input.PrivateDnsEnabled,
      CreationTimestamp: new Date(Date.UTC(2024, 5, 1, 12, 0, this.sequence)),
      Tags: input.TagSpecifications?.[0]?.Tags,
    };
    this.endpoints.set(id, endpoint);
    if (input.ClientToken) this.tokens.set(input.ClientToken, id);
    return { VpcEndpoint: structuredClone(endpoint), ClientToken: input.ClientToken };
  }

  private delete(ids: string[]) {
    const unsuccessful = [];
    for (const id of ids) {
      const endpoint = this.endpoints.get(id);
      if (endpoint) endpoint.State = ec2State('deleting');
      else
        unsuccessful.push({
          ResourceId: id,
          Error: { Code: 'InvalidVpcEndpoint.NotFound', Message: `The VpcEndpoint Id '${id}' does not exist` },
        });
    }
    return { Unsuccessful: unsuccessful };
  }
}

export interface LogLine {
  readonly level: string;
  readonly message: string;
  readonly [key: string]: unknown;
}

/** Captures Powertools' JSON lines (written through a Console bound to process.stdout/stderr). */
export function captureLogs(): { readonly lines: LogLine[]; restore(): void } {
  const lines: LogLine[] = [];
  const spies = [process.stdout, process.stderr].map((stream) =>
    jest.spyOn(stream, 'write').mockImplementation((chunk: unknown) => {
      for (const text of String(chunk)
        .split('\n')
        .filter((line) => line.trim().startsWith('{')))
        lines.push(JSON.parse(text) as LogLine);
      return true;
    }),
  );
  return { lines, restore: () => spies.forEach((spy) => spy.mockRestore()) };
}
