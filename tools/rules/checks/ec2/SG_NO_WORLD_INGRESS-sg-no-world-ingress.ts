import { nested, strings } from '../../helpers';
import type { Rule } from '../../types';

const WORLD = ['0.0.0.0/0', '::/0'];

/** Nothing in the shared VPC is internet-facing, so no port is open to 0.0.0.0/0 (broader than CKV_AWS_24/25/260/277). */
export const rule: Rule = {
  id: 'SG_NO_WORLD_INGRESS',
  service: 'ec2',
  title: 'Security group allows no ingress from 0.0.0.0/0 or ::/0',
  details: 'no ingress from `0.0.0.0/0` or `::/0` on any port',
  severity: 'HIGH',
  appliesTo: ['aws_security_group', 'aws_security_group_rule', 'aws_vpc_security_group_ingress_rule'],
  check(r) {
    const open = (cidrs: string[], where: string): string[] =>
      cidrs.filter((c) => WORLD.includes(c)).map((c) => `${where} allows ingress from ${c}`);
    if (r.type === 'aws_security_group') {
      return nested(r.props.ingress).flatMap((i, n) =>
        open([...strings(i.cidr_blocks), ...strings(i.ipv6_cidr_blocks)], `ingress #${n + 1} (port ${String(i.from_port)})`),
      );
    }
    if (r.type === 'aws_security_group_rule') {
      return r.props.type === 'ingress' ? open([...strings(r.props.cidr_blocks), ...strings(r.props.ipv6_cidr_blocks)], 'rule') : [];
    }
    return open([...strings(r.props.cidr_ipv4), ...strings(r.props.cidr_ipv6)], 'rule');
  },
};
