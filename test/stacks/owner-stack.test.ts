import { Vpc } from '@cdktf/provider-aws/lib/vpc';
import { Subnet } from '@cdktf/provider-aws/lib/subnet';
import { RamResourceShare } from '@cdktf/provider-aws/lib/ram-resource-share';
import { VpcEndpoint } from '@cdktf/provider-aws/lib/vpc-endpoint';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import { CloudwatchEventBus } from '@cdktf/provider-aws/lib/cloudwatch-event-bus';
import { FlowLog } from '@cdktf/provider-aws/lib/flow-log';
import { DefaultSecurityGroup } from '@cdktf/provider-aws/lib/default-security-group';
import { loadPlatformConfig } from '../../model/load';
import { adoptVpc, fixtureConfigWith, loadFixture } from '../support/config-fixture';
import { only, resourcesOf, synthOwner } from '../support/synth';

const example = loadFixture();
const { json, tf } = synthOwner(example);

describe('owner stack: shared VPC', () => {
  it('creates a DNS-enabled VPC and one private subnet per configured AZ, with no public IPs', () => {
    expect(json).toHaveResourceWithProperties(Vpc, { cidr_block: '10.40.0.0/16', enable_dns_support: true, enable_dns_hostnames: true });
    expect(json).toHaveResourceWithProperties(Subnet, {
      cidr_block: '10.40.0.0/20',
      availability_zone: 'eu-west-1a',
      map_public_ip_on_launch: false,
    });
    expect(json).toHaveResourceWithProperties(Subnet, {
      cidr_block: '10.40.16.0/20',
      availability_zone: 'eu-west-1b',
      map_public_ip_on_launch: false,
    });
    expect(Object.keys(resourcesOf(tf, 'aws_subnet'))).toHaveLength(2);
  });

  it('has no route to the internet: no internet or NAT gateway, no routes in the private route tables', () => {
    expect(resourcesOf(tf, 'aws_internet_gateway')).toEqual({});
    expect(resourcesOf(tf, 'aws_nat_gateway')).toEqual({});
    for (const table of Object.values(resourcesOf(tf, 'aws_route_table'))) expect(table.route).toBeUndefined();
  });

  it('strips the default security group and logs all traffic', () => {
    expect(json).toHaveResourceWithProperties(DefaultSecurityGroup, { ingress: [], egress: [] });
    expect(json).toHaveResourceWithProperties(FlowLog, { traffic_type: 'ALL', log_destination_type: 'cloud-watch-logs' });
    const flowLogs = Object.values(resourcesOf(tf, 'aws_cloudwatch_log_group')).find(
      (g: any) => g.name === '/vpc/acme-data-shared/flow-logs',
    ) as any;
    expect(flowLogs.retention_in_days).toBe(90);
  });

  it('uses no data source that needs AWS credentials', () => {
    expect(tf.data?.aws_availability_zones).toBeUndefined();
    expect(tf.data?.aws_caller_identity).toBeUndefined();
  });
});

describe('owner stack: RAM share', () => {
  it('shares both subnets with each participant account, never outside the organization', () => {
    expect(json).toHaveResourceWithProperties(RamResourceShare, { name: 'acme-data-mwaa-subnets', allow_external_principals: false });
    expect(Object.keys(resourcesOf(tf, 'aws_ram_resource_association'))).toHaveLength(2);
    const principals = Object.values(resourcesOf(tf, 'aws_ram_principal_association'))
      .map((a: any) => a.principal)
      .sort();
    expect(principals).toEqual(['222222222222', '333333333333']);
  });

  it('shares with the organization instead when configured', () => {
    const orgArn = 'arn:aws:organizations::111111111111:organization/o-abcdef1234';
    const config = loadPlatformConfig(fixtureConfigWith({ platform: (p) => (p.sharing = { organizationArn: orgArn }) }));
    const principals = Object.values(resourcesOf(synthOwner(config).tf, 'aws_ram_principal_association')).map((a: any) => a.principal);
    expect(principals).toEqual([orgArn]);
  });

  it('adopts an existing VPC: creates no VPC and shares the given subnet ARNs', () => {
    const config = loadPlatformConfig(
      fixtureConfigWith({
        platform: (p) => adoptVpc(p, { routeTableIds: ['rtb-0123456789abcdef0'] }),
      }),
      { ownerOnly: true },
    );
    const adopted = synthOwner(config).tf;
    expect(resourcesOf(adopted, 'aws_vpc')).toEqual({});
    expect(resourcesOf(adopted, 'aws_subnet')).toEqual({});
    const shared = Object.values(resourcesOf(adopted, 'aws_ram_resource_association')).map((a: any) => a.resource_arn);
    expect(shared).toEqual([
      'arn:aws:ec2:eu-west-1:111111111111:subnet/subnet-0123456789abcdef0',
      'arn:aws:ec2:eu-west-1:111111111111:subnet/subnet-0123456789abcdef1',
    ]);
    const sqs = Object.values(resourcesOf(adopted, 'aws_vpc_endpoint')).find((e: any) => e.service_name.endsWith('.sqs')) as any;
    expect(sqs.vpc_id).toBe('vpc-0123456789abcdef0');
    const s3 = Object.values(resourcesOf(adopted, 'aws_vpc_endpoint')).find((e: any) => e.vpc_endpoint_type === 'Gateway') as any;
    expect(s3.route_table_ids).toEqual(['rtb-0123456789abcdef0']);
  });
});

describe('owner stack: MWAA endpoints', () => {
  const endpoints = Object.values(resourcesOf(tf, 'aws_vpc_endpoint')) as any[];

  it("creates every interface endpoint MWAA needs, plus the configured extras and the PyPI mirror's, with private DNS", () => {
    const interfaces = endpoints.filter((e) => e.vpc_endpoint_type === 'Interface');
    expect(interfaces.map((e) => e.service_name).sort()).toEqual(
      [
        'airflow.api',
        'airflow.env',
        'airflow.ops',
        'codeartifact.api',
        'codeartifact.repositories',
        'ec2',
        'ecr.api',
        'ecr.dkr',
        'eks',
        'kms',
        'logs',
        'monitoring',
        'secretsmanager',
        'sqs',
        'ssm',
        'sts',
      ]
        .map((s) => `com.amazonaws.eu-west-1.${s}`)
        .sort(),
    );
    for (const endpoint of interfaces) {
      expect(endpoint.private_dns_enabled).toBe(true);
      expect(endpoint.security_group_ids).toHaveLength(1);
      expect(endpoint.subnet_ids).toHaveLength(2);
    }
  });

  it('adds an S3 gateway endpoint on the private route tables', () => {
    expect(json).toHaveResourceWithProperties(VpcEndpoint, { service_name: 'com.amazonaws.eu-west-1.s3', vpc_endpoint_type: 'Gateway' });
    const s3 = endpoints.find((e) => e.vpc_endpoint_type === 'Gateway');
    expect(s3.route_table_ids).toHaveLength(2);
  });

  it('admits only the shared subnets, on 443 and 5432', () => {
    const rules = (Object.values(resourcesOf(tf, 'aws_vpc_security_group_ingress_rule')) as any[]).filter((r) =>
      r.security_group_id.includes('mwaa-endpoints_endpoint-sg'),
    );
    expect(rules.map((r) => `${r.cidr_ipv4}:${r.from_port}-${r.to_port}`).sort()).toEqual([
      '10.40.0.0/20:443-443',
      '10.40.0.0/20:5432-5432',
      '10.40.16.0/20:443-443',
      '10.40.16.0/20:5432-5432',
    ]);
    expect(json).toHaveResourceWithProperties(VpcSecurityGroupIngressRule, {
      ip_protocol: 'tcp',
      from_port: 5432,
      to_port: 5432,
      cidr_ipv4: '10.40.0.0/20',
    });
    expect(resourcesOf(tf, 'aws_vpc_security_group_egress_rule')).toEqual({});
  });

  it('starts the SQS endpoint with a policy that allows no queue, and never reverts the manager changes', () => {
    const sqs = endpoints.find((e) => e.service_name === 'com.amazonaws.eu-west-1.sqs');
    expect(sqs.lifecycle).toEqual({ ignore_changes: ['policy'] });
    const policy = JSON.parse(sqs.policy);
    const allowed = policy.Statement.filter((s: any) => s.Effect === 'Allow').flatMap((s: any) => [s.Resource].flat());
    expect(allowed.every((arn: string) => arn.startsWith('arn:aws:sqs:eu-west-1:000000000000:'))).toBe(true);
    expect(JSON.stringify(policy)).not.toMatch(/"Resource":"\*"|airflow-celery-\*/);
    for (const other of endpoints.filter((e) => e !== sqs)) expect(other.lifecycle).toBeUndefined();
  });
});

describe('owner stack: status event bus', () => {
  it('accepts MWAA status events from registered participant accounts only', () => {
    expect(json).toHaveResourceWithProperties(CloudwatchEventBus, { name: 'acme-data-mwaa-status' });
    const policy = JSON.parse(only(tf, 'aws_cloudwatch_event_bus_policy').policy);
    expect(policy.Statement).toHaveLength(1);
    expect(policy.Statement[0]).toMatchObject({
      Effect: 'Allow',
      Action: 'events:PutEvents',
      Principal: { AWS: ['arn:aws:iam::222222222222:root', 'arn:aws:iam::333333333333:root'] },
      Condition: {
        'ForAllValues:StringEquals': { 'events:source': ['aws.airflow'], 'events:detail-type': ['MWAA Environment Status Change'] },
        Null: { 'events:source': 'false', 'events:detail-type': 'false' },
      },
    });
  });

  it('accepts the organization through aws:PrincipalOrgID when configured', () => {
    const config = loadPlatformConfig(fixtureConfigWith({ platform: (p) => (p.sharing = { organizationId: 'o-abcdef1234' }) }));
    const policy = JSON.parse(only(synthOwner(config).tf, 'aws_cloudwatch_event_bus_policy').policy);
    expect(policy.Statement[0].Principal).toBe('*');
    expect(policy.Statement[0].Condition.StringEquals).toEqual({ 'aws:PrincipalOrgID': 'o-abcdef1234' });
  });
});

describe('owner stack: outputs for the network contract', () => {
  it('exports every value the contract needs', () => {
    expect(Object.keys(tf.output).sort()).toEqual(
      expect.arrayContaining([
        'endpoint_security_group_id',
        'event_bus_arn',
        'network_fingerprint',
        's3_prefix_list_id',
        'sqs_endpoint_id',
        'subnet_ids',
        'vpc_id',
      ]),
    );
    expect(tf.output.network_fingerprint.value).toBe(example.contract!.networkFingerprint);
  });
});
