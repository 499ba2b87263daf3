/**
 * Terraform tier: state written at the old, positional addresses moves to the identity-keyed ones; nothing is
 * destroyed. For every example stack that had positional addresses (LEGACY_MOVES, literal):
 *   1. a targeted offline plan of the moved resources (Terraform adds what they reference) gives their values;
 *   2. those become a local state file in a temp dir, the moved resources at their OLD addresses, unknown
 *      values filled by type from the provider schema and references resolved to the referenced value;
 *   3. a full offline plan (-refresh=false: no AWS) on that state must re-address each of them (old address as
 *      previous_address, no attribute changed), keep everything else of the state, and destroy nothing.
 * Placeholders (ids, ARNs, references inside policy strings) can leave in-place updates of resources that were
 * not moved; those are artefacts of the fabricated state, never a replacement.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { initAsync, planAsync, requireTerraform, runAsync, showJsonAsync } from '../../tools/lib/terraform';
import { LEGACY_MOVES } from '../support/addresses';
import { fixtureOfflineSynth } from '../support/fixture-synth';

jest.setTimeout(600_000);
const AWS_PROVIDER = 'registry.terraform.io/hashicorp/aws';

type SchemaType = string | [string, any];
interface Block {
  attributes?: Record<string, { type?: SchemaType }>;
  block_types?: Record<string, { nesting_mode: string }>;
}
interface Moved {
  from: string;
  to: string;
}
interface StackResult {
  moved: Moved[];
  /** Addresses (new) of the resources put into the state. */
  inState: string[];
  plan: any;
}

/** A placeholder of the attribute's type for a value only known after apply (ids, ARNs, computed sets). */
function placeholder(type: SchemaType | undefined, address: string, key: string): unknown {
  if (type === 'string' && (key === 'arn' || key.endsWith('_arn')))
    return `arn:aws:placeholder:eu-west-1:000000000000:${address.replace(/[^A-Za-z0-9-]/g, '-')}`;
  if (type === 'string' && /(url|issuer|endpoint)$/.test(key))
    return `https://placeholder.example/${address.replace(/[^A-Za-z0-9-]/g, '-')}`;
  if (type === 'string') return `${key}-of-${address}`.slice(0, 200);
  if (type === 'number') return 0;
  if (type === 'bool') return false;
  // A computed list of objects gets one element, so references such as `identity[0].oidc[0].issuer` resolve.
  if (Array.isArray(type) && (type[0] === 'list' || type[0] === 'set'))
    return Array.isArray(type[1]) && type[1][0] === 'object' ? [placeholder(type[1] as SchemaType, address, key)] : [];
  if (Array.isArray(type) && type[0] === 'object') {
    return Object.fromEntries(
      Object.entries<SchemaType>(type[1]).map(([field, fieldType]) => [field, placeholder(fieldType, address, `${key}.${field}`)]),
    );
  }
  if (Array.isArray(type) && type[0] === 'map') return {};
  return null;
}

/** `${type.name.attr}` when the whole expression is one reference to another resource's attribute. */
function directReference(expression: any): [string, string] | undefined {
  const match = /^\$\{([a-z0-9_]+\.[A-Za-z0-9_-]+)\.([a-z0-9_]+)\}$/.exec(String(expression?.constant_value ?? ''));
  return match ? [match[1], match[2]] : undefined;
}

/** State v4 holding the targeted plan's resources, the moved ones at their old addresses. */
function stateFrom(
  targeted: any,
  schema: Record<string, { version: number; block: Block }>,
  moved: Moved[],
): { state: unknown; inState: string[] } {
  const changes: any[] = targeted.resource_changes.filter((c: any) => c.mode === 'managed');
  const expressions = new Map<string, any>(targeted.configuration.root_module.resources.map((r: any) => [r.address, r.expressions ?? {}]));
  const values = new Map<string, Record<string, unknown>>();
  const pending = new Map<string, any>(changes.map((c) => [c.address, c]));
  // Resolve references in dependency order: a value copied from a resource must be filled first.
  while (pending.size > 0) {
    let progressed = false;
    for (const [address, change] of pending) {
      const block = schema[change.type].block;
      const exprs = expressions.get(address);
      const unknown = Object.entries<any>(change.change.after_unknown ?? {})
        .filter(([, u]) => u === true)
        .map(([k]) => k);
      const refs = unknown.map((k) => [k, directReference(exprs[k])] as const);
      if (refs.some(([, ref]) => ref && pending.has(ref[0]) && ref[0] !== address)) continue;
      const attributes: Record<string, unknown> = { ...change.change.after };
      for (const [key, ref] of refs) {
        const referenced = ref && values.get(ref[0]);
        attributes[key] = referenced
          ? referenced[ref[1]]
          : block.attributes?.[key]
            ? placeholder(block.attributes[key].type, address, key)
            : block.block_types?.[key]?.nesting_mode === 'single'
              ? null
              : [];
      }
      values.set(address, attributes);
      pending.delete(address);
      progressed = true;
    }
    if (!progressed) throw new Error(`unresolvable references among ${[...pending.keys()].join(', ')}`);
  }
  const oldAddress = new Map(moved.map((m) => [m.to, m.from]));
  const resources = changes.map((c) => {
    const address = oldAddress.get(c.address) ?? c.address;
    const [type, name] = [address.slice(0, address.indexOf('.')), address.slice(address.indexOf('.') + 1)];
    return {
      mode: 'managed',
      type,
      name,
      provider: `provider["${AWS_PROVIDER}"]`,
      instances: [{ schema_version: schema[c.type].version, attributes: values.get(c.address) }],
    };
  });
  const state = {
    version: 4,
    terraform_version: targeted.terraform_version,
    serial: 1,
    lineage: 'moved-state-test',
    outputs: {},
    resources,
  };
  return { state, inState: changes.map((c) => c.address) };
}

let outdir: string;
let schemas: Promise<Record<string, { version: number; block: Block }>> | undefined;
/** The provider's resource schemas, read once (one provider start) from the first initialized stack: every stack uses the same provider. */
const resourceSchemas = (dir: string) =>
  (schemas ??= runAsync(dir, ['providers', 'schema', '-json']).then(
    (r) => JSON.parse(r.stdout).provider_schemas[AWS_PROVIDER].resource_schemas,
  ));
const results = new Map<string, StackResult | Error>();

async function checkStack(stack: string): Promise<void> {
  const dir = join(outdir, 'stacks', stack);
  try {
    const config = JSON.parse(readFileSync(join(dir, 'cdk.tf.json'), 'utf8'));
    // The expected moves, literal: a resource whose moved block went missing stays at its old address in the
    // state, and the plan destroys it.
    const moved: Moved[] = Object.entries(LEGACY_MOVES[stack]).map(([from, to]) => ({ from, to }));
    const statePath = join(dir, 'legacy.tfstate');
    config.terraform.backend = { local: { path: statePath } };
    // Indented, so Terraform's diagnostics quote one line rather than the whole configuration.
    writeFileSync(join(dir, 'cdk.tf.json'), JSON.stringify(config, null, 1));
    await initAsync(dir);

    await planAsync(dir, 'targeted', ['-refresh=false', ...moved.map((m) => `-target=${m.to}`)]);
    const targeted: any = await showJsonAsync(dir, 'targeted');
    const { state, inState } = stateFrom(targeted, await resourceSchemas(dir), moved);
    writeFileSync(statePath, JSON.stringify(state));

    await planAsync(dir, 'moved', ['-refresh=false']);
    results.set(stack, { moved, inState, plan: await showJsonAsync(dir, 'moved') });
  } catch (error) {
    results.set(stack, error as Error);
  }
}

const stacks = Object.keys(LEGACY_MOVES);

beforeAll(async () => {
  requireTerraform();
  // main.ts with PREVIEW=offline, once per run (shared with the offline-plan test); this suite rewrites its copy's backend.
  outdir = fixtureOfflineSynth('tf-moved-');
  await Promise.all(stacks.map(checkStack));
});

const result = (stack: string): StackResult => {
  const r = results.get(stack);
  if (r instanceof Error) throw r;
  if (!r) throw new Error(`stack ${stack} was not checked`);
  return r;
};

describe.each(stacks)('terraform: state at the old addresses of stack %s', (stack) => {
  it('destroys nothing', () => {
    const destroyed = result(stack)
      .plan.resource_changes.filter((c: any) => c.change.actions.includes('delete'))
      .map((c: any) => `${c.address} ${c.change.actions}`);
    expect(destroyed).toEqual([]);
  });

  it('re-addresses every moved resource and changes none of its attributes', () => {
    const { moved, plan } = result(stack);
    expect(moved.length).toBeGreaterThan(0);
    const byAddress = new Map<string, any>(plan.resource_changes.map((c: any) => [c.address, c]));
    for (const { from, to } of moved) {
      const change = byAddress.get(to)?.change;
      // Placeholder state can leave a provider-side "update" with equal values (e.g. a secret version's
      // version_stages); what matters is the old object, at the new address, with every attribute as it was.
      const changed = Object.keys({ ...change?.before, ...change?.after }).filter(
        (k) => JSON.stringify(change.before[k]) !== JSON.stringify(change.after[k]) || change.after_unknown?.[k] === true,
      );
      expect({
        to,
        previous: byAddress.get(to)?.previous_address,
        inPlace: ['no-op', 'update'].includes(change?.actions.join()),
        changed,
      }).toEqual({
        to,
        previous: from,
        inPlace: true,
        changed: [],
      });
    }
  });

  it('plans nothing at an old address, and keeps every resource of the state', () => {
    const { moved, inState, plan } = result(stack);
    const byAddress = new Map<string, any>(plan.resource_changes.map((c: any) => [c.address, c]));
    for (const { from } of moved) expect(byAddress.has(from)).toBe(false);
    for (const address of inState)
      expect({ address, kept: ['no-op', 'update'].includes(byAddress.get(address)?.change.actions.join()) }).toEqual({
        address,
        kept: true,
      });
  });
});
