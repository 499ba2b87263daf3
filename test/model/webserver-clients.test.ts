import { loadPlatformConfig } from '../../model/load';
import { fixtureConfigWith, problemsOf } from '../support/config-fixture';

const clients = (webserverClients: Record<string, unknown>) => (p: any) => (p.network.webserverClients = webserverClients);

describe('network.webserverClients', () => {
  it('defaults to no clients beyond the shared subnets', () => {
    const { platform } = loadPlatformConfig(fixtureConfigWith());
    expect(platform.network.webserverClients).toEqual({ cidrs: [], securityGroupIds: [] });
  });

  it('accepts VPN, office and bastion networks and client security groups', () => {
    expect(
      problemsOf({ platform: clients({ cidrs: ['172.16.0.0/22', '192.168.10.0/24'], securityGroupIds: ['sg-0123456789abcdef0'] }) }),
    ).toEqual([]);
  });

  it.each([
    [
      'a malformed CIDR',
      { cidrs: ['172.16.0.0'] },
      'platform.yaml at network.webserverClients.cidrs[0]: must be an IPv4 CIDR such as 10.40.0.0/16',
    ],
    [
      'host bits set',
      { cidrs: ['172.16.0.1/22'] },
      'platform.yaml at network.webserverClients.cidrs[0]: "172.16.0.1/22" is not a valid IPv4 CIDR (host bits must be zero)',
    ],
    [
      'the world',
      { cidrs: ['0.0.0.0/0'] },
      'platform.yaml at network.webserverClients.cidrs[0]: 0.0.0.0/0 would open the webservers to everyone who can route to the VPC; name the client networks (/8 or narrower)',
    ],
    [
      'a network wider than /8',
      { cidrs: ['64.0.0.0/2'] },
      'platform.yaml at network.webserverClients.cidrs[0]: 64.0.0.0/2 would open the webservers to far more than a VPN pool or office; name the client networks (/8 or narrower)',
    ],
    [
      'a CIDR listed twice',
      { cidrs: ['172.16.0.0/22', '172.16.0.0/22'] },
      'platform.yaml at network.webserverClients.cidrs[1]: 172.16.0.0/22 is listed twice',
    ],
    [
      'a malformed security group id',
      { securityGroupIds: ['vpn'] },
      'platform.yaml at network.webserverClients.securityGroupIds[0]: must be a security group id such as sg-0123456789abcdef0',
    ],
    [
      'a security group listed twice',
      { securityGroupIds: ['sg-0123456789abcdef0', 'sg-0123456789abcdef0'] },
      'platform.yaml at network.webserverClients.securityGroupIds[1]: sg-0123456789abcdef0 is listed twice',
    ],
    [
      'a typo in a key',
      { cidr: ['172.16.0.0/22'] },
      'platform.yaml at network.webserverClients: unknown field "cidr"; allowed fields: cidrs, securityGroupIds',
    ],
  ])('rejects %s', (_what, value, expected) => {
    expect(problemsOf({ platform: clients(value) })).toContain(expected);
  });

  it('rejects more clients than one security group has inbound rules for, with the arithmetic', () => {
    const cidrs = Array.from({ length: 59 }, (_, i) => `172.16.${i}.0/24`);
    expect(problemsOf({ platform: clients({ cidrs }) })).toEqual([
      'platform.yaml at network.webserverClients: the webserver security group would need 61 inbound rules (2 shared subnets + 59 CIDRs + 0 security groups), above the default quota of 60; summarise the CIDRs or use a client security group',
    ]);
    expect(problemsOf({ platform: clients({ cidrs: cidrs.slice(1) }) })).toEqual([]);
  });
});
