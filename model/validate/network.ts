import { contains, overlaps, parseCidr, type Ipv4Range } from '../cidr';
import type { PlatformFile } from '../schema/platform';

export interface FieldProblem {
  readonly path: string;
  readonly message: string;
}

/** Checks of the VPC layout that span fields: CIDRs inside the VPC, no overlaps, distinct AZs. */
export function validateNetwork(platform: PlatformFile): FieldProblem[] {
  const problems = validateVpcLayout(platform.network, platform.region, 'network');
  const subnets = platform.network.create?.privateSubnetCidrs.length ?? platform.network.adopt!.subnets.length;
  problems.push(...validateWebserverClients(platform, subnets));
  return problems;
}

/** The `create`/`adopt` part of a network section (`network` or `recovery.network`), its AZs in `region`. */
export interface VpcLayoutInput {
  readonly create?: {
    readonly cidr: string;
    readonly availabilityZones: readonly string[];
    readonly privateSubnetCidrs: readonly string[];
  };
  readonly adopt?: {
    readonly cidr: string;
    readonly subnets: ReadonlyArray<{ readonly cidr: string; readonly availabilityZone: string }>;
  };
}

/** Checks of one VPC layout; `at` is the section's field path (`network`, `recovery.network`). */
export function validateVpcLayout(network: VpcLayoutInput, region: string, at: string): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const mode = network.create ? 'create' : 'adopt';
  const layout = network.create ?? network.adopt!;
  const vpc = parseCidr(layout.cidr);
  if (!vpc) {
    problems.push({ path: `${at}.${mode}.cidr`, message: `"${layout.cidr}" is not a valid IPv4 CIDR (host bits must be zero)` });
  } else if (vpc.prefix < 16 || vpc.prefix > 28) {
    problems.push({ path: `${at}.${mode}.cidr`, message: `a VPC CIDR must be between /16 and /28, got /${vpc.prefix}` });
  }

  const subnets = network.create
    ? network.create.privateSubnetCidrs.map((cidr, i) => ({
        cidr,
        az: network.create!.availabilityZones[i],
        path: `${at}.create.privateSubnetCidrs[${i}]`,
      }))
    : network.adopt!.subnets.map((s, i) => ({ cidr: s.cidr, az: s.availabilityZone, path: `${at}.adopt.subnets[${i}].cidr` }));

  if (network.create && network.create.privateSubnetCidrs.length !== network.create.availabilityZones.length) {
    problems.push({
      path: `${at}.create.privateSubnetCidrs`,
      message: `give one private subnet CIDR per availability zone (${network.create.availabilityZones.length} zones, ${network.create.privateSubnetCidrs.length} CIDRs)`,
    });
  }

  const azs = network.create ? network.create.availabilityZones : network.adopt!.subnets.map((s) => s.availabilityZone);
  const azPath = network.create ? `${at}.create.availabilityZones` : `${at}.adopt.subnets`;
  if (new Set(azs).size < 2) problems.push({ path: azPath, message: 'MWAA needs subnets in at least two distinct availability zones' });
  if (new Set(azs).size !== azs.length && network.create) problems.push({ path: azPath, message: 'availability zones must not repeat' });
  for (const az of azs) {
    if (!az.startsWith(region)) problems.push({ path: azPath, message: `${az} is not in region ${region}` });
  }

  const parsed: Array<{ range: Ipv4Range; path: string }> = [];
  for (const subnet of subnets) {
    const range = parseCidr(subnet.cidr);
    if (!range) {
      problems.push({ path: subnet.path, message: `"${subnet.cidr}" is not a valid IPv4 CIDR (host bits must be zero)` });
      continue;
    }
    if (vpc && !contains(vpc, range))
      problems.push({ path: subnet.path, message: `${subnet.cidr} is not inside the VPC CIDR ${layout.cidr}` });
    if (range.prefix > 28) problems.push({ path: subnet.path, message: `a subnet must be /28 or larger, got /${range.prefix}` });
    const clash = parsed.find((p) => overlaps(p.range, range));
    if (clash) problems.push({ path: subnet.path, message: `${subnet.cidr} overlaps ${clash.range.cidr} (${clash.path})` });
    parsed.push({ range, path: subnet.path });
  }
  return problems;
}

/** Inbound rules per security group, the default EC2 quota (rules for IPv4 CIDRs and referenced groups count alike). */
export const SECURITY_GROUP_INBOUND_RULES_QUOTA = 60;
/** Client networks wider than this are not a VPN pool or an office: refused so the webserver is never opened to the world. */
const WIDEST_CLIENT_PREFIX = 8;

/** The webserver endpoints' clients: canonical, not the world, no repeats, within one security group's rules. */
function validateWebserverClients(platform: PlatformFile, sharedSubnets: number): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const { cidrs, securityGroupIds } = platform.network.webserverClients;
  cidrs.forEach((cidr, i) => {
    const path = `network.webserverClients.cidrs[${i}]`;
    const range = parseCidr(cidr);
    if (!range) problems.push({ path, message: `"${cidr}" is not a valid IPv4 CIDR (host bits must be zero)` });
    else if (range.prefix < WIDEST_CLIENT_PREFIX) {
      problems.push({
        path,
        message: `${cidr} would open the webservers to ${range.prefix === 0 ? 'everyone who can route to the VPC' : 'far more than a VPN pool or office'}; name the client networks (/${WIDEST_CLIENT_PREFIX} or narrower)`,
      });
    }
    if (cidrs.indexOf(cidr) !== i) problems.push({ path, message: `${cidr} is listed twice` });
  });
  securityGroupIds.forEach((id, i) => {
    if (securityGroupIds.indexOf(id) !== i)
      problems.push({ path: `network.webserverClients.securityGroupIds[${i}]`, message: `${id} is listed twice` });
  });
  const rules = sharedSubnets + cidrs.length + securityGroupIds.length;
  if (rules > SECURITY_GROUP_INBOUND_RULES_QUOTA) {
    problems.push({
      path: 'network.webserverClients',
      message: `the webserver security group would need ${rules} inbound rules (${sharedSubnets} shared subnets + ${cidrs.length} CIDRs + ${securityGroupIds.length} security groups), above the default quota of ${SECURITY_GROUP_INBOUND_RULES_QUOTA}; summarise the CIDRs or use a client security group`,
    });
  }
  return problems;
}
