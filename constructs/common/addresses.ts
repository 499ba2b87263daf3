/**
 * Resource addresses are identities. A construct id (and so the Terraform address cdktf derives from it) names
 * what a resource is (an AZ, a CIDR, a principal, a prefix), never its position in a list: inserting an item
 * before another must not re-point the other's address, which Terraform would turn into destroy and create.
 */
import { createHash } from 'node:crypto';
import { TerraformStack, type TerraformResource } from 'cdktf';
import type { Node } from 'constructs';

const SAFE = /^[A-Za-z0-9-]+$/;
const SAFE_PATH = /^[A-Za-z0-9-]+(\/[A-Za-z0-9-]+)+$/;

const shortHash = (value: string) => createHash('sha256').update(value).digest('hex').slice(0, 8);

/**
 * Terraform-safe construct-id part for a value, one-to-one: a value of letters, digits and `-` is used as it is;
 * a `/`-separated path of such segments joins them with `_` (which the first form never contains), e.g.
 * `airflow/connections` → `airflow_connections`; anything else is sanitized and suffixed with a short hash of
 * the value, so two values never share an id. The id depends on the value alone, never on the other items.
 */
export function keyOf(value: string): string {
  if (SAFE.test(value)) return value;
  if (SAFE_PATH.test(value)) return value.replace(/\//g, '_');
  return `${value.replace(/[^A-Za-z0-9-]/g, '_')}_${shortHash(value)}`;
}

/** Construct-id part of an IPv4 CIDR, one-to-one: `10.40.0.0/20` → `10-40-0-0_20`. */
export function cidrKey(cidr: string): string {
  if (!/^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/.test(cidr)) return keyOf(cidr);
  return cidr.replace(/\./g, '-').replace('/', '_');
}

/**
 * Construct-id part of an IAM principal ARN: `<account>-role-<name>` (or `-user-`) for a role or user without
 * a path whose name is letters, digits and `-`; any other ARN through `keyOf` (sanitized plus a short hash).
 * The partition is left out: a stack lives in one partition.
 */
export function principalKey(arn: string): string {
  const simple = /^arn:aws[a-z-]*:iam::(\d{12}):(role|user)\/([A-Za-z0-9-]+)$/.exec(arn);
  return simple ? `${simple[1]}-${simple[2]}-${simple[3]}` : keyOf(arn);
}

/**
 * Moves existing state from the address this resource had when its construct id was `legacyId` (a positional
 * id in the same scope, e.g. `private-0`) to its identity-keyed address, with cdktf's `moveFromId`: the stack
 * gets `moved { from = <old address>, to = <this address> }`, so Terraform re-addresses the object instead of
 * destroying it. The old address is computed by the stack's own logical-id scheme for the old construct path.
 *
 * Terraform ignores a moved block whose `from` is not in state, so the block is harmless once applied (and for
 * new deployments). `legacyId` must be the id the resource had in the configuration last applied: apply this
 * version once before reordering the list it came from. The blocks can be deleted once every deployment has
 * applied them.
 */
export function moveFromLegacyId(resource: TerraformResource, legacyId: string): void {
  const stack = TerraformStack.of(resource);
  const legacyPath = { scopes: [...resource.node.scopes.slice(0, -1), { node: { id: legacyId } }] } as unknown as Node;
  resource.moveFromId(`${resource.terraformResourceType}.${stack.getLogicalId(legacyPath)}`);
}
