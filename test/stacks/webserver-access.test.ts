import { loadPlatformConfig } from '../../model/load';
import { fixtureConfigWith, loadFixture } from '../support/config-fixture';
import { resourcesOf, synthOwner } from '../support/synth';

const VPN = '172.16.0.0/22';
const OFFICE = '192.168.10.0/24';
const BASTION_SG = 'sg-0123456789abcdef0';
const { tf } = synthOwner(
  loadPlatformConfig(
    fixtureConfigWith({ platform: (p) => (p.network.webserverClients = { cidrs: [VPN, OFFICE], securityGroupIds: [BASTION_SG] }) }),
  ),
);
const ingress = (t: any) => Object.values(resourcesOf(t, 'aws_vpc_security_group_ingress_rule')) as any[];
const groupAddress = (t: any, name: string) => {
  const [key] = Object.entries(resourcesOf(t, 'aws_security_group')).find(([, g]: [string, any]) => g.name === name)!;
  return `\${aws_security_group.${key}.id}`;
};
const rulesOf = (t: any, name: string) =>
  ingress(t)
    .filter((r) => r.security_group_id === groupAddress(t, name))
    .map((r) => `${r.cidr_ipv4 ?? r.referenced_security_group_id}:${r.ip_protocol}/${r.from_port}-${r.to_port}`)
    .sort();

describe('webserver endpoints reachable over the VPN (network.webserverClients)', () => {
  it('a security group of its own admits HTTPS from the shared subnets and the configured clients', () => {
    expect(rulesOf(tf, 'acme-data-mwaa-webserver-endpoints')).toEqual(
      [
        '10.40.0.0/20:tcp/443-443',
        '10.40.16.0/20:tcp/443-443',
        `${VPN}:tcp/443-443`,
        `${OFFICE}:tcp/443-443`,
        `${BASTION_SG}:tcp/443-443`,
      ].sort(),
    );
  });

  it('database and AWS service endpoints keep admitting the shared subnets only', () => {
    expect(rulesOf(tf, 'acme-data-mwaa-endpoints')).toEqual([
      '10.40.0.0/20:tcp/443-443',
      '10.40.0.0/20:tcp/5432-5432',
      '10.40.16.0/20:tcp/443-443',
      '10.40.16.0/20:tcp/5432-5432',
    ]);
    for (const endpoint of Object.values(resourcesOf(tf, 'aws_vpc_endpoint')) as any[]) {
      expect(endpoint.security_group_ids ?? []).not.toContain(groupAddress(tf, 'acme-data-mwaa-webserver-endpoints'));
    }
  });

  it('the endpoint manager puts that group on webserver endpoints', () => {
    const fn = Object.values(resourcesOf(tf, 'aws_lambda_function'))[0] as any;
    expect(fn.environment.variables.WEBSERVER_SECURITY_GROUP_ID).toBe(groupAddress(tf, 'acme-data-mwaa-webserver-endpoints'));
  });

  it('without clients, the group admits the shared subnets only', () => {
    const plain = synthOwner(loadFixture()).tf;
    expect(rulesOf(plain, 'acme-data-mwaa-webserver-endpoints')).toEqual(['10.40.0.0/20:tcp/443-443', '10.40.16.0/20:tcp/443-443']);
  });

  it('keys each rule by what it admits, so adding a client never replaces another rule', () => {
    const keys = Object.keys(resourcesOf(tf, 'aws_vpc_security_group_ingress_rule')).filter((k) => k.startsWith('webserver-sg_'));
    expect(keys.map((k) => k.replace(/_[0-9A-F]{8}$/, '')).sort()).toEqual([
      'webserver-sg_https-from-client-172-16-0-0-22',
      'webserver-sg_https-from-client-192-168-10-0-24',
      'webserver-sg_https-from-sg-0123456789abcdef0',
      'webserver-sg_https-from-subnet-10-40-0-0-20',
      'webserver-sg_https-from-subnet-10-40-16-0-20',
    ]);
  });
});
