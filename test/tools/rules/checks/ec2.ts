import { stack, type RuleCases } from '../harness';

export const cases: RuleCases[] = [
  {
    rule: 'CKV_AWS_79',
    compliant: [
      {
        name: 'launch template requires tokens',
        stack: stack({ aws_launch_template: { lt: { metadata_options: { http_tokens: 'required', http_put_response_hop_limit: 1 } } } }),
      },
      {
        name: 'node group with a launch template',
        stack: stack({
          aws_eks_node_group: { ng: { cluster_name: 'c', launch_template: { id: '${aws_launch_template.lt.id}', version: '$Latest' } } },
        }),
      },
    ],
    noncompliant: [
      {
        name: 'optional tokens',
        stack: stack({ aws_launch_template: { lt: { metadata_options: { http_tokens: 'optional' } } } }),
        resource: 'aws_launch_template.lt',
        expect: /optional, not required/,
      },
      {
        name: 'instance without metadata_options',
        stack: stack({ aws_instance: { i: { ami: 'ami-1' } } }),
        resource: 'aws_instance.i',
        expect: /unset/,
      },
      {
        name: 'node group without launch template',
        stack: stack({ aws_eks_node_group: { ng: { cluster_name: 'c' } } }),
        resource: 'aws_eks_node_group.ng',
        expect: /IMDSv1/,
      },
    ],
  },
  {
    rule: 'SG_NO_WORLD_INGRESS',
    compliant: [
      {
        name: 'inline ingress from VPC CIDR and egress anywhere',
        stack: stack({
          aws_security_group: {
            sg: {
              ingress: [{ from_port: 443, to_port: 443, protocol: 'tcp', cidr_blocks: ['10.0.0.0/16'] }],
              egress: [{ from_port: 0, to_port: 0, protocol: '-1', cidr_blocks: ['0.0.0.0/0'] }],
            },
          },
        }),
      },
      {
        name: 'standalone ingress from a security group',
        stack: stack({
          aws_vpc_security_group_ingress_rule: {
            r: {
              security_group_id: 'sg-1',
              referenced_security_group_id: '${aws_security_group.sg.id}',
              ip_protocol: 'tcp',
              from_port: 443,
              to_port: 443,
            },
          },
        }),
      },
      {
        name: 'egress-type security_group_rule to 0.0.0.0/0',
        stack: stack({
          aws_security_group_rule: { r: { type: 'egress', cidr_blocks: ['0.0.0.0/0'], protocol: '-1', from_port: 0, to_port: 0 } },
        }),
      },
    ],
    noncompliant: [
      {
        name: 'inline ingress 0.0.0.0/0',
        stack: stack({
          aws_security_group: { sg: { ingress: { from_port: 22, to_port: 22, protocol: 'tcp', cidr_blocks: ['0.0.0.0/0'] } } },
        }),
        resource: 'aws_security_group.sg',
        expect: /port 22.*0\.0\.0\.0\/0/,
      },
      {
        name: 'ingress rule ::/0',
        stack: stack({ aws_vpc_security_group_ingress_rule: { r: { cidr_ipv6: '::/0', ip_protocol: '-1' } } }),
        resource: 'aws_vpc_security_group_ingress_rule.r',
        expect: /::\/0/,
      },
      {
        name: 'security_group_rule ingress',
        stack: stack({
          aws_security_group_rule: { r: { type: 'ingress', cidr_blocks: ['0.0.0.0/0'], protocol: 'tcp', from_port: 443, to_port: 443 } },
        }),
        resource: 'aws_security_group_rule.r',
        expect: /0\.0\.0\.0\/0/,
      },
    ],
  },
];
