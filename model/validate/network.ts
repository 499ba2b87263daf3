import { contains, overlaps, parseCidr, type Ipv4Range } from '../cidr';
import type { PlatformFile } from '../schema/platform';

export interface FieldProblem {
  readonly path: string;
  readonly message: string;
}

/** Checks of the VPC layout that span fields: CIDRs inside the VPC, no overlaps, distinct AZs. */
export function validateNetwork(platform: PlatformFile): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const mode = platform.network.create ? 'create' : 'adopt';
  const layout = platform.network.create ?? platform.network.adopt!;
  const vpc = parseCidr(layout.cidr);
  if (!vpc) {
    problems.push({ path: `network.${mode}.cidr`, message: `"${layout.cidr}" is not a valid IPv4 CIDR (host bits must be zero)` });
  } else if (vpc.prefix < 16 || vpc.prefix > 28) {
    problems.push({ path: `network.${mode}.cidr`, message: `a VPC CIDR must be between /16 and /28, got /${vpc.prefix}` });
  }

  const subnets = platform.network.create
    ? platform.network.create.privateSubnetCidrs.map((cidr, i) => ({ cidr, az: platform.network.create!.availabilityZones[i], path: `network.create.privateSubnetCidrs[${i}]` }))
    : platform.network.adopt!.subnets.map((s, i) => ({ cidr: s.cidr, az: s.availabilityZone, path: `network.adopt.subnets[${i}].cidr` }));

  if (platform.network.create && platform.network.create.privateSubnetCidrs.length !== platform.network.create.availabilityZones.length) {
    problems.push({
      path: 'network.create.privateSubnetCidrs',
      message: `give one private subnet CIDR per availability zone (${platform.network.create.availabilityZones.length} zones, ${platform.network.create.privateSubnetCidrs.length} CIDRs)`,
    });
  }

  const azs = platform.network.create ? platform.network.create.availabilityZones : platform.network.adopt!.subnets.map((s) => s.availabilityZone);
  const azPath = platform.network.create ? 'network.create.availabilityZones' : 'network.adopt.subnets';
  if (new Set(azs).size < 2) problems.push({ path: azPath, message: 'MWAA needs subnets in at least two distinct availability zones' });
  if (new Set(azs).size !== azs.length && platform.network.create) problems.push({ path: azPath, message: 'availability zones must not repeat' });
  for (const az of azs) {
    if (!az.startsWith(platform.region)) problems.push({ path: azPath, message: `${az} is not in region ${platform.region}` });
  }

  const parsed: Array<{ range: Ipv4Range; path: string }> = [];
  for (const subnet of subnets) {
    const range = parseCidr(subnet.cidr);
    if (!range) {
      problems.push({ path: subnet.path, message: `"${subnet.cidr}" is not a valid IPv4 CIDR (host bits must be zero)` });
      continue;
    }
    if (vpc && !contains(vpc, range)) problems.push({ path: subnet.path, message: `${subnet.cidr} is not inside the VPC CIDR ${layout.cidr}` });
    if (range.prefix > 28) problems.push({ path: subnet.path, message: `a subnet must be /28 or larger, got /${range.prefix}` });
    const clash = parsed.find((p) => overlaps(p.range, range));
    if (clash) problems.push({ path: subnet.path, message: `${subnet.cidr} overlaps ${clash.range.cidr} (${clash.path})` });
    parsed.push({ range, path: subnet.path });
  }
  return problems;
}
