/** Owner-side constructs on their own (aws-cdk style): props, defaults and guards, without the owner stack. */
import { Testing } from 'cdktf';
import { CloudwatchEventBusPolicy } from '@cdktf/provider-aws/lib/cloudwatch-event-bus-policy';
import { FlowLog } from '@cdktf/provider-aws/lib/flow-log';
import { LambdaFunction } from '@cdktf/provider-aws/lib/lambda-function';
import { Subnet } from '@cdktf/provider-aws/lib/subnet';
import { Vpc } from '@cdktf/provider-aws/lib/vpc';
import { VpcEndpoint } from '@cdktf/provider-aws/lib/vpc-endpoint';
import { EndpointManager, type EndpointManagerProps } from '../../../constructs/owner/endpoint-manager';
import { MwaaEndpoints, type MwaaEndpointsProps } from '../../../constructs/owner/mwaa-endpoints';
import { AdoptedSharedVpc, CreatedSharedVpc } from '../../../constructs/owner/shared-vpc';
import { StatusEventBus } from '../../../constructs/owner/status-event-bus';
import { SubnetShare } from '../../../constructs/owner/subnet-share';
import { WebserverSecurityGroup } from '../../../constructs/owner/webserver-security-group';
import { resourcesOf, only, synthPlatformScope } from '../../support/synth';

const SUBNETS = [
  { availabilityZone: 'eu-west-1a', cidr: '10.1.0.0/20' },
  { availabilityZone: 'eu-west-1b', cidr: '10.1.16.0/20' },
];

describe('CreatedSharedVpc', () => {
  const synth = () =>
    synthPlatformScope(
      (scope) => new CreatedSharedVpc(scope, 'vpc', { name: 'p', cidr: '10.1.0.0/16', subnets: SUBNETS as any, flowLogRetentionDays: 30 }),
    );

  it('is private only: DNS on for private endpoints, one subnet per AZ without public IPs, the default group emptied', () => {
    const { json, tf } = synth();
    expect(json).toHaveResourceWithProperties(Vpc, {
      cidr_block: '10.1.0.0/16',
      enable_dns_support: true,
      enable_dns_hostnames: true,
      tags: { Name: 'p-shared' },
    });
    expect(
      Object.values(resourcesOf(tf, 'aws_subnet')).map((s: any) => [s.availability_zone, s.cidr_block, s.map_public_ip_on_launch]),
    ).toEqual([
      ['eu-west-1a', '10.1.0.0/20', false],
      ['eu-west-1b', '10.1.16.0/20', false],
    ]);
    expect(only(tf, 'aws_default_security_group')).toMatchObject({ ingress: [], egress: [] });
    expect(resourcesOf(tf, 'aws_internet_gateway')).toEqual({});
    expect(resourcesOf(tf, 'aws_nat_gateway')).toEqual({});
    // A route table per subnet, with no routes of its own (only the implicit local route).
    expect(Object.values(resourcesOf(tf, 'aws_route_table')).map((t: any) => t.route)).toEqual([undefined, undefined]);
    expect(Object.keys(resourcesOf(tf, 'aws_route_table_association'))).toHaveLength(2);
  });

  it('names and tags each subnet by its AZ as private', () => {
    expect(synth().json).toHaveResourceWithProperties(Subnet, {
      availability_zone: 'eu-west-1a',
      tags: { Name: 'p-private-eu-west-1a', Tier: 'private' },
    });
  });

  it('keys subnets by AZ and moves the state of the positional ids', () => {
    const { tf } = synth();
    const ids = Object.keys(resourcesOf(tf, 'aws_subnet'));
    expect(ids.map((id) => id.replace(/_[0-9A-F]{8}$/, ''))).toEqual(['vpc_private-eu-west-1a', 'vpc_private-eu-west-1b']);
    expect(tf.moved.filter((m: any) => m.to.startsWith('aws_subnet.')).map((m: any) => m.from.replace(/_[0-9A-F]{8}$/, ''))).toEqual([
      'aws_subnet.vpc_private-0',
      'aws_subnet.vpc_private-1',
    ]);
  });

  it('logs all traffic to a log group with the given retention through a role only this account’s flow logs may assume', () => {
    const { json, tf } = synth();
    expect(json).toHaveResourceWithProperties(FlowLog, { traffic_type: 'ALL', log_destination_type: 'cloud-watch-logs' });
    expect(only(tf, 'aws_cloudwatch_log_group')).toMatchObject({ name: '/vpc/p-shared/flow-logs', retention_in_days: 30 });
    expect(JSON.parse(only(tf, 'aws_iam_role').assume_role_policy).Statement).toEqual([
      {
        Effect: 'Allow',
        Principal: { Service: 'vpc-flow-logs.amazonaws.com' },
        Action: 'sts:AssumeRole',
        Condition: {
          StringEquals: { 'aws:SourceAccount': '123456789012' },
          ArnLike: { 'aws:SourceArn': 'arn:aws:ec2:eu-west-1:123456789012:vpc-flow-log/*' },
        },
      },
    ]);
  });
});

describe('AdoptedSharedVpc', () => {
  it('creates nothing and exposes the adopted ids in configuration order', () => {
    let adopted!: AdoptedSharedVpc;
    const json = Testing.synthScope((scope) => {
      adopted = new AdoptedSharedVpc(scope, 'vpc', {
        vpcId: 'vpc-0123456789abcdef0',
        cidr: '10.60.0.0/16',
        subnets: [
          { id: 'subnet-0000000000000000b', cidr: '10.60.16.0/20', availabilityZone: 'eu-west-1b' },
          { id: 'subnet-0000000000000000a', cidr: '10.60.0.0/20', availabilityZone: 'eu-west-1a' },
        ] as any,
        routeTableIds: ['rtb-1'],
      });
    });
    expect(JSON.parse(json).resource).toBeUndefined();
    expect(adopted.subnetIds).toEqual(['subnet-0000000000000000b', 'subnet-0000000000000000a']);
    expect(adopted.subnetCidrs).toEqual(['10.60.16.0/20', '10.60.0.0/20']);
    expect(adopted.privateRouteTableIds).toEqual(['rtb-1']);
  });
});

describe('MwaaEndpoints', () => {
  const props: MwaaEndpointsProps = {
    name: 'p',
    vpcId: 'vpc-1',
    subnetIds: ['subnet-a', 'subnet-b'],
    clientCidrs: ['10.1.0.0/20', '10.1.16.0/20'],
    routeTableIds: ['rtb-a', 'rtb-b'],
    interfaceServices: ['sqs', 'logs', 'airflow.api'],
    initialSqsPolicy: '{"Version":"2012-10-17","Statement":[]}',
  };

  it('creates one private-DNS interface endpoint per service in the stack’s region, plus the S3 gateway on the route tables', () => {
    const { tf } = synthPlatformScope((scope) => new MwaaEndpoints(scope, 'endpoints', props), { region: 'eu-central-1' });
    const endpoints = Object.values(resourcesOf(tf, 'aws_vpc_endpoint')) as any[];
    // Synthesis orders resources by id; compare as sets.
    const interfaces = endpoints
      .filter((e) => e.vpc_endpoint_type === 'Interface')
      .map((e) => [e.service_name, e.private_dns_enabled, e.subnet_ids]);
    expect(interfaces.sort()).toEqual([
      ['com.amazonaws.eu-central-1.airflow.api', true, ['subnet-a', 'subnet-b']],
      ['com.amazonaws.eu-central-1.logs', true, ['subnet-a', 'subnet-b']],
      ['com.amazonaws.eu-central-1.sqs', true, ['subnet-a', 'subnet-b']],
    ]);
    expect(endpoints.filter((e) => e.vpc_endpoint_type === 'Gateway')).toEqual([
      expect.objectContaining({ service_name: 'com.amazonaws.eu-central-1.s3', route_table_ids: ['rtb-a', 'rtb-b'] }),
    ]);
  });

  it('gives the SQS endpoint the initial policy and leaves later policy edits to the endpoint manager', () => {
    const { json } = synthPlatformScope((scope) => new MwaaEndpoints(scope, 'endpoints', props));
    expect(json).toHaveResourceWithProperties(VpcEndpoint, {
      service_name: 'com.amazonaws.eu-west-1.sqs',
      policy: '{"Version":"2012-10-17","Statement":[]}',
      lifecycle: { ignore_changes: ['policy'] },
    });
    expect(json).not.toHaveResourceWithProperties(VpcEndpoint, {
      service_name: 'com.amazonaws.eu-west-1.logs',
      lifecycle: { ignore_changes: ['policy'] },
    });
  });

  it('admits HTTPS and PostgreSQL from each client CIDR only, one rule each keyed by CIDR and port', () => {
    const { tf } = synthPlatformScope((scope) => new MwaaEndpoints(scope, 'endpoints', props));
    const rules = Object.entries(resourcesOf(tf, 'aws_vpc_security_group_ingress_rule')).map(([id, r]: [string, any]) => [
      id.replace(/_[0-9A-F]{8}$/, ''),
      r.cidr_ipv4,
      r.from_port,
      r.to_port,
    ]);
    expect(rules).toEqual([
      ['endpoints_endpoint-sg-subnet-10-1-0-0_20-443', '10.1.0.0/20', 443, 443],
      ['endpoints_endpoint-sg-subnet-10-1-0-0_20-5432', '10.1.0.0/20', 5432, 5432],
      ['endpoints_endpoint-sg-subnet-10-1-16-0_20-443', '10.1.16.0/20', 443, 443],
      ['endpoints_endpoint-sg-subnet-10-1-16-0_20-5432', '10.1.16.0/20', 5432, 5432],
    ]);
    expect(resourcesOf(tf, 'aws_vpc_security_group_egress_rule')).toEqual({});
  });

  it('refuses a service list without sqs (the endpoint manager edits the SQS endpoint policy)', () => {
    expect(() => synthPlatformScope((scope) => new MwaaEndpoints(scope, 'endpoints', { ...props, interfaceServices: ['logs'] }))).toThrow(
      'MwaaEndpoints: the interface services must include sqs',
    );
  });
});

describe('StatusEventBus', () => {
  const policyOf = (tf: any) => JSON.parse(only(tf, 'aws_cloudwatch_event_bus_policy').policy).Statement[0];

  it('admits MWAA status events only, from the participant accounts (sorted) of the stack’s partition', () => {
    const { tf } = synthPlatformScope(
      (scope) => new StatusEventBus(scope, 'bus', { name: 'p', participantAccountIds: ['333333333333', '222222222222'] }),
      {
        region: 'us-gov-west-1',
      },
    );
    expect(only(tf, 'aws_cloudwatch_event_bus').name).toBe('p-mwaa-status');
    expect(policyOf(tf)).toMatchObject({
      Sid: 'MwaaStatusFromParticipants',
      Principal: { AWS: ['arn:aws-us-gov:iam::222222222222:root', 'arn:aws-us-gov:iam::333333333333:root'] },
      Action: 'events:PutEvents',
      Condition: {
        'ForAllValues:StringEquals': { 'events:source': ['aws.airflow'], 'events:detail-type': ['MWAA Environment Status Change'] },
        Null: { 'events:source': 'false', 'events:detail-type': 'false' },
      },
    });
  });

  it('admits the organization instead of accounts when organizationId is set', () => {
    const { tf } = synthPlatformScope(
      (scope) => new StatusEventBus(scope, 'bus', { name: 'p', participantAccountIds: ['222222222222'], organizationId: 'o-abc123' }),
    );
    expect(policyOf(tf)).toMatchObject({
      Sid: 'MwaaStatusFromOrganization',
      Principal: '*',
      Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-abc123' } },
    });
  });

  it('has no policy at all without participants (an empty principal list is not a valid policy)', () => {
    const { json } = synthPlatformScope((scope) => new StatusEventBus(scope, 'bus', { name: 'p', participantAccountIds: [] }));
    expect(json).not.toHaveResource(CloudwatchEventBusPolicy);
  });
});

describe('EndpointManager', () => {
  const props: EndpointManagerProps = {
    name: 'p',
    vpcId: 'vpc-1',
    subnetIds: ['subnet-a', 'subnet-b'],
    endpointSecurityGroupId: 'sg-endpoints',
    webserverSecurityGroupId: 'sg-webserver',
    sqsEndpointId: 'vpce-sqs',
    statusBusName: 'p-mwaa-status',
    participantAccountIds: ['333333333333', '222222222222'],
    reconcileRoleName: 'p-mwaa-endpoint-reconcile',
    reconcileSchedule: 'rate(15 minutes)',
    logRetentionDays: 90,
  };
  let synthesized: { json: string; tf: any };
  beforeAll(() => {
    synthesized = synthPlatformScope((scope) => new EndpointManager(scope, 'manager', props));
  });

  it('runs one invocation at a time with the network settings as environment variables', () => {
    expect(synthesized.json).toHaveResourceWithProperties(LambdaFunction, {
      function_name: 'p-endpoint-manager',
      reserved_concurrent_executions: 1,
      environment: {
        variables: expect.objectContaining({
          SHARED_VPC_ID: 'vpc-1',
          ENDPOINT_SECURITY_GROUP_ID: 'sg-endpoints',
          WEBSERVER_SECURITY_GROUP_ID: 'sg-webserver',
          SQS_ENDPOINT_ID: 'vpce-sqs',
          PARTICIPANT_ACCOUNTS: '222222222222,333333333333',
          RECONCILE_ROLE_NAME: 'p-mwaa-endpoint-reconcile',
          MANAGED_BY: 'p-endpoint-manager',
        }),
      },
    });
    expect(only(synthesized.tf, 'aws_cloudwatch_log_group')).toMatchObject({
      name: '/aws/lambda/p-endpoint-manager',
      retention_in_days: 90,
    });
  });

  it('is trusted by Lambda for this function of this account only', () => {
    expect(JSON.parse(only(synthesized.tf, 'aws_iam_role').assume_role_policy).Statement[0].Condition).toEqual({
      StringEquals: { 'aws:SourceAccount': '123456789012' },
      ArnLike: { 'aws:SourceArn': 'arn:aws:lambda:eu-west-1:123456789012:function:p-endpoint-manager' },
    });
  });

  it('may create endpoints only in the shared VPC, subnets and security groups, and assume only the participants’ reconcile roles', () => {
    const statements = JSON.parse(only(synthesized.tf, 'aws_iam_role_policy').policy).Statement;
    const sid = (s: string) => statements.find((x: any) => x.Sid === s);
    expect(sid('CreateEndpointsInSharedVpcOnly').Resource).toEqual([
      'arn:aws:ec2:eu-west-1:123456789012:vpc/vpc-1',
      'arn:aws:ec2:eu-west-1:123456789012:subnet/subnet-a',
      'arn:aws:ec2:eu-west-1:123456789012:subnet/subnet-b',
      'arn:aws:ec2:eu-west-1:123456789012:security-group/sg-endpoints',
      'arn:aws:ec2:eu-west-1:123456789012:security-group/sg-webserver',
    ]);
    expect(sid('EditSqsEndpointPolicyOnly').Resource).toBe('arn:aws:ec2:eu-west-1:123456789012:vpc-endpoint/vpce-sqs');
    expect(sid('ReadParticipantEnvironments').Resource).toEqual([
      'arn:aws:iam::222222222222:role/p-mwaa-endpoint-reconcile',
      'arn:aws:iam::333333333333:role/p-mwaa-endpoint-reconcile',
    ]);
  });

  it('defaults: alarms notify nobody; without participants the role may assume no role', () => {
    const alarms = Object.values(resourcesOf(synthesized.tf, 'aws_cloudwatch_metric_alarm')) as any[];
    expect(alarms.map((a) => [a.alarm_name, a.alarm_actions])).toEqual([
      ['p-endpoint-manager-dlq-depth', []],
      ['p-endpoint-manager-errors', []],
      ['p-endpoint-manager-throttles', []],
    ]);
    const { tf } = synthPlatformScope(
      (scope) =>
        new EndpointManager(scope, 'manager', {
          ...props,
          participantAccountIds: [],
          alarmTopicArn: 'arn:aws:sns:eu-west-1:123456789012:t',
        }),
    );
    expect(JSON.parse(only(tf, 'aws_iam_role_policy').policy).Statement.map((s: any) => s.Sid)).not.toContain(
      'ReadParticipantEnvironments',
    );
    expect(
      (Object.values(resourcesOf(tf, 'aws_cloudwatch_metric_alarm')) as any[]).every(
        (a) => a.alarm_actions[0] === 'arn:aws:sns:eu-west-1:123456789012:t',
      ),
    ).toBe(true);
  });
});

describe('SubnetShare', () => {
  it('shares each subnet with each principal, inside the organization only, keyed by subnet and principal', () => {
    const json = Testing.synthScope((scope) => {
      new SubnetShare(scope, 'share', {
        name: 'p',
        subnets: [
          { key: 'eu-west-1a', arn: 'arn:aws:ec2:eu-west-1:111111111111:subnet/subnet-a' },
          { key: 'eu-west-1b', arn: 'arn:aws:ec2:eu-west-1:111111111111:subnet/subnet-b' },
        ],
        principals: ['222222222222', 'arn:aws:organizations::111111111111:ou/o-abc/ou-xyz'],
      });
    });
    const tf = JSON.parse(json);
    expect(only(tf, 'aws_ram_resource_share')).toMatchObject({ name: 'p-mwaa-subnets', allow_external_principals: false });
    expect(Object.keys(resourcesOf(tf, 'aws_ram_resource_association')).map((id) => id.replace(/_[0-9A-F]{8}$/, ''))).toEqual([
      'share_subnet-eu-west-1a',
      'share_subnet-eu-west-1b',
    ]);
    expect(
      Object.entries(resourcesOf(tf, 'aws_ram_principal_association')).map(([id, a]: [string, any]) => [
        id.replace(/_[0-9A-F]{8}$/, ''),
        a.principal,
      ]),
    ).toEqual([
      ['share_principal-222222222222', '222222222222'],
      ['share_principal-ou-o-abc-ou-xyz', 'arn:aws:organizations::111111111111:ou/o-abc/ou-xyz'],
    ]);
  });
});

describe('WebserverSecurityGroup', () => {
  it('admits HTTPS from the shared subnets and, when given, the client CIDRs and groups; nothing else', () => {
    const tf = JSON.parse(
      Testing.synthScope((scope) => {
        new WebserverSecurityGroup(scope, 'web', {
          name: 'p',
          vpcId: 'vpc-1',
          subnetCidrs: ['10.1.0.0/20'],
          clientCidrs: ['172.16.0.0/22'],
          clientSecurityGroupIds: ['sg-bastion'],
        });
      }),
    );
    const rules = (Object.values(resourcesOf(tf, 'aws_vpc_security_group_ingress_rule')) as any[]).map((r) => [
      r.cidr_ipv4 ?? r.referenced_security_group_id,
      r.from_port,
      r.to_port,
      r.ip_protocol,
    ]);
    expect(rules.sort()).toEqual([
      ['10.1.0.0/20', 443, 443, 'tcp'],
      ['172.16.0.0/22', 443, 443, 'tcp'],
      ['sg-bastion', 443, 443, 'tcp'],
    ]);
  });

  it('defaults: the shared subnets only', () => {
    const tf = JSON.parse(
      Testing.synthScope(
        (scope) =>
          void new WebserverSecurityGroup(scope, 'web', { name: 'p', vpcId: 'vpc-1', subnetCidrs: ['10.1.0.0/20', '10.1.16.0/20'] }),
      ),
    );
    expect((Object.values(resourcesOf(tf, 'aws_vpc_security_group_ingress_rule')) as any[]).map((r) => r.cidr_ipv4)).toEqual([
      '10.1.0.0/20',
      '10.1.16.0/20',
    ]);
  });
});
