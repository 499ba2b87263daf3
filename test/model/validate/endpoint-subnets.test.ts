import { endpointSubnetIndexes, mwaaSubnetIds, type SharedSubnetLayout } from '../../../model/model';
import { capacityUsage } from '../../../model/validate/capacity';
import { loadPlatformConfig } from '../../../model/load';
import { adoptVpc, fixtureConfigWith, loadFixture, problemsOf } from '../../support/config-fixture';
import { resourcesOf, synthOwner } from '../../support/synth';
import { terraformRefs } from '../../support/iam';

const subnet = (id: string, availabilityZone: string, cidr = '10.60.0.0/24'): SharedSubnetLayout => ({ id, availabilityZone, cidr });

/** An adopted VPC with two subnets in eu-west-1a (listed first and third) and one in eu-west-1b. */
function twoSubnetsInOneZone(p: any): void {
  adoptVpc(p);
  p.network.adopt.subnets = [
    { id: 'subnet-0aaaaaaaaaaaaaaa1', cidr: '10.60.0.0/20', availabilityZone: 'eu-west-1a' },
    { id: 'subnet-0bbbbbbbbbbbbbbb1', cidr: '10.60.16.0/20', availabilityZone: 'eu-west-1b' },
    { id: 'subnet-0aaaaaaaaaaaaaaa2', cidr: '10.60.32.0/20', availabilityZone: 'eu-west-1a' },
  ];
}

describe('interface endpoint subnets: one per availability zone', () => {
  it('are the first subnet listed in each zone, in configuration order', () => {
    expect(endpointSubnetIndexes([subnet('a1', 'eu-west-1a'), subnet('b1', 'eu-west-1b'), subnet('a2', 'eu-west-1a')])).toEqual([0, 1]);
    expect(
      endpointSubnetIndexes([
        subnet('a1', 'eu-west-1a'),
        subnet('a2', 'eu-west-1a'),
        subnet('b1', 'eu-west-1b'),
        subnet('c1', 'eu-west-1c'),
      ]),
    ).toEqual([0, 2, 3]);
    expect(endpointSubnetIndexes([subnet('a', 'eu-west-1a'), subnet('b', 'eu-west-1b')])).toEqual([0, 1]);
  });

  it('an adopted VPC with two subnets in one zone gives every interface endpoint one subnet per zone, and MWAA the same two', () => {
    const config = loadPlatformConfig(fixtureConfigWith({ platform: twoSubnetsInOneZone }), { ownerOnly: true });
    const { tf } = synthOwner(config);
    const interfaces = (Object.values(resourcesOf(tf, 'aws_vpc_endpoint')) as any[]).filter((e) => e.vpc_endpoint_type === 'Interface');
    expect(interfaces.length).toBeGreaterThan(0);
    for (const endpoint of interfaces) expect(endpoint.subnet_ids).toEqual(['subnet-0aaaaaaaaaaaaaaa1', 'subnet-0bbbbbbbbbbbbbbb1']);
    // All three are still shared, and the endpoint manager accepts environments in any of them.
    const shared = (Object.values(resourcesOf(tf, 'aws_ram_resource_association')) as any[])
      .map((a) => a.resource_arn.split('/').pop())
      .sort();
    expect(shared).toEqual(['subnet-0aaaaaaaaaaaaaaa1', 'subnet-0aaaaaaaaaaaaaaa2', 'subnet-0bbbbbbbbbbbbbbb1']);
    const fn = Object.values(resourcesOf(tf, 'aws_lambda_function'))[0] as any;
    expect(terraformRefs(tf, { region: 'eu-west-1', accountId: '111111111111' }).resolve(fn.environment.variables.SHARED_SUBNET_IDS)).toBe(
      'subnet-0aaaaaaaaaaaaaaa1,subnet-0bbbbbbbbbbbbbbb1,subnet-0aaaaaaaaaaaaaaa2',
    );
    const contract = {
      ...loadFixture().contract!,
      subnetIds: ['subnet-0aaaaaaaaaaaaaaa1', 'subnet-0bbbbbbbbbbbbbbb1', 'subnet-0aaaaaaaaaaaaaaa2'],
    };
    expect(mwaaSubnetIds(config.platform, contract)).toEqual(['subnet-0aaaaaaaaaaaaaaa1', 'subnet-0bbbbbbbbbbbbbbb1']);
  });
});

describe('capacity of the endpoint subnets', () => {
  it('counts one network interface per endpoint in each zone: platform endpoints everywhere, environment endpoints in the two MWAA subnets', () => {
    const config = loadPlatformConfig(fixtureConfigWith({ platform: twoSubnetsInOneZone }), { ownerOnly: true });
    // 16 platform endpoints (the PyPI mirror's two included); the example's environments need 3 (database ×2, one private webserver).
    expect(capacityUsage(config.platform, config.teams).endpointSubnets).toEqual([
      { availabilityZone: 'eu-west-1a', cidr: '10.60.0.0/20', path: 'network.adopt.subnets[0].cidr', used: 19, limit: 4091 },
      { availabilityZone: 'eu-west-1b', cidr: '10.60.16.0/20', path: 'network.adopt.subnets[1].cidr', used: 19, limit: 4091 },
    ]);
    const example = loadFixture();
    expect(capacityUsage(example.platform, example.teams).endpointSubnets.map((s) => `${s.availabilityZone} ${s.used}/${s.limit}`)).toEqual(
      ['eu-west-1a 19/4091', 'eu-west-1b 19/4091'],
    );
  });

  it('fails synthesis when an endpoint subnet has fewer addresses than the endpoints need', () => {
    const small = (p: any) => (p.network.create.privateSubnetCidrs = ['10.40.0.0/28', '10.40.0.16/28']);
    const platformProblems = (edit: (p: any) => void) => problemsOf({ platform: edit }).filter((p) => p.startsWith('platform.yaml'));
    expect(platformProblems(small)).toEqual([
      'platform.yaml at network.create.privateSubnetCidrs[0]: 10.40.0.0/28 (the endpoint subnet of eu-west-1a) has 11 usable addresses, but the endpoints need 19 network interfaces there (one per interface endpoint per availability zone); use a larger subnet',
      'platform.yaml at network.create.privateSubnetCidrs[1]: 10.40.0.16/28 (the endpoint subnet of eu-west-1b) has 11 usable addresses, but the endpoints need 19 network interfaces there (one per interface endpoint per availability zone); use a larger subnet',
    ]);
    expect(platformProblems((p: any) => (p.network.create.privateSubnetCidrs = ['10.40.0.0/27', '10.40.0.32/27']))).toEqual([]);
  });
});
