/**
 * Inserting an item at the front of any list a user edits must not change the address of anything that exists,
 * nor what it is (CIDR, AZ, service, principal, name): otherwise Terraform destroys and re-creates it.
 * Each case synthesizes the fixture platform (or a variant) before and after the insertion, in memory.
 */
import { stringify } from 'yaml';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { loadPlatformConfig } from '../../model/load';
import { FIXTURE_CONFIG, adoptVpc, fixtureConfigWith, type ConfigEdits } from '../support/config-fixture';
import { movedBlocks, resourceAddresses, synthAll } from '../support/addresses';

/** Attributes that say what a resource is; a change to one of them is (or amounts to) a replacement. */
const IDENTITY = [
  'cidr_block',
  'cidr_ipv4',
  'availability_zone',
  'service_name',
  'vpc_endpoint_type',
  'principal',
  'principal_arn',
  'name',
  'resource_arn',
  'referenced_security_group_id',
  'security_group_id',
  'subnet_id',
  'route_table_id',
  'secret_id',
  'from_port',
  'cluster_name',
] as const;

type Yaml = Record<string, any>;
const OU_1 = 'arn:aws:organizations::111111111111:ou/o-abcdef1234/ou-abcd-11111111';
const OU_0 = 'arn:aws:organizations::111111111111:ou/o-abcdef1234/ou-abcd-00000000';
const marketingFile = parse(readFileSync(join(FIXTURE_CONFIG, 'teams', 'marketing.yaml'), 'utf8'));

interface Case {
  readonly list: string;
  /** Edits of the configuration before the insertion (the variant the list lives in). @default the fixture platform */
  readonly base?: ConfigEdits;
  /** The insertion at the front, applied after `base`. */
  readonly insert: ConfigEdits;
  /** Load the owner side only (after a network change the contract would be republished first). */
  readonly ownerOnly?: boolean;
  /** The stacks the list feeds; only these are synthesized (synthesis dominates the run time). @default all */
  readonly stacks?: readonly string[];
}

const both = (first: ConfigEdits, second: ConfigEdits): ConfigEdits => ({
  platform: (p) => (first.platform?.(p), second.platform?.(p)),
  teams: Object.fromEntries(
    [...new Set([...Object.keys(first.teams ?? {}), ...Object.keys(second.teams ?? {})])].map((team) => [
      team,
      (t: Yaml) => (first.teams?.[team]?.(t), second.teams?.[team]?.(t)),
    ]),
  ),
  files: { ...first.files, ...second.files },
});

const cases: Case[] = [
  {
    list: 'availability zones and subnet CIDRs of the created VPC',
    insert: {
      platform: (p) => {
        p.network.create.availabilityZones.unshift('eu-west-1c');
        p.network.create.privateSubnetCidrs.unshift('10.40.32.0/20');
      },
    },
    ownerOnly: true,
  },
  {
    list: 'adopted subnets',
    base: { platform: (p) => adoptVpc(p) },
    insert: {
      platform: (p) =>
        p.network.adopt.subnets.unshift({ id: 'subnet-0123456789abcdef9', cidr: '10.60.32.0/20', availabilityZone: 'eu-west-1c' }),
    },
    ownerOnly: true,
  },
  { list: 'extraInterfaceEndpoints', insert: { platform: (p) => p.network.extraInterfaceEndpoints.unshift('ecs') }, stacks: ['owner'] },
  {
    list: 'participant accounts (a team whose account sorts first)',
    insert: {
      files: {
        'teams/finance.yaml': stringify({
          ...marketingFile,
          team: 'finance',
          accountId: '100000000000',
          access: { ...marketingFile.access, principals: ['arn:aws:iam::100000000000:role/Finance'] },
          environments: [{ ...marketingFile.environments[0], name: 'finance-reports', webserverAccessMode: 'PRIVATE_ONLY' }],
        }),
      },
    },
    stacks: ['owner'],
  },
  {
    list: 'sharing.organizationalUnitArns',
    base: { platform: (p) => (p.sharing = { organizationalUnitArns: [OU_1] }) },
    insert: { platform: (p) => p.sharing.organizationalUnitArns.unshift(OU_0) },
    stacks: ['owner'],
  },
  {
    list: 'access.principals',
    insert: { teams: { analytics: (t) => t.access.principals.unshift('arn:aws:iam::222222222222:role/AnalyticsLeads') } },
    stacks: ['participant-analytics'],
  },
  {
    list: 'eks.clusterAdmins',
    base: { teams: { analytics: (t) => (t.eks.clusterAdmins = ['arn:aws:iam::222222222222:role/PlatformAdmins']) } },
    insert: {
      teams: {
        analytics: (t) =>
          t.eks.clusterAdmins.unshift('arn:aws:iam::222222222222:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Admin_0123'),
      },
    },
    stacks: ['participant-analytics'],
  },
  {
    list: 'environments, with a secrets prefix that sorts first',
    insert: {
      teams: {
        analytics: (t) =>
          t.environments.unshift({
            ...t.environments[0],
            name: 'analytics-dev',
            minWorkers: 1,
            maxWorkers: 2,
            schedulers: 2,
            minWebservers: 2,
            maxWebservers: 2,
            secretsBackend: { connectionsPrefix: 'airflow-dev/connections', variablesPrefix: 'airflow-dev/variables' },
          }),
      },
    },
    stacks: ['participant-analytics'],
  },
  {
    list: 'environments (at the front of a team with one)',
    insert: {
      teams: {
        marketing: (t) => t.environments.unshift({ ...t.environments[0], name: 'marketing-adhoc', webserverAccessMode: 'PRIVATE_ONLY' }),
      },
    },
    stacks: ['participant-marketing'],
  },
];

const synthesized = new Map<string, Map<string, any>>();
/** Synthesized stacks of the edited fixture platform; the unedited one's are shared between cases. */
function stacksOf(edits: ConfigEdits, ownerOnly: boolean, stacks?: readonly string[]): Map<string, any> {
  const key = `${ownerOnly}:${stacks?.join() ?? 'all'}`;
  if (Object.keys(edits).length === 0 && synthesized.has(key)) return synthesized.get(key)!;
  const result = synthAll(loadPlatformConfig(fixtureConfigWith(edits), { ownerOnly }), stacks);
  if (Object.keys(edits).length === 0) synthesized.set(key, result);
  return result;
}

/** Stacks an insertion adds (a new team file). */
const newStacks = (insert: ConfigEdits) =>
  Object.keys(insert.files ?? {})
    .filter((f) => f.startsWith('teams/'))
    .map((f) => `participant-${f.replace(/^teams\/|\.ya?ml$/g, '')}`);

const identityOf = (resource: any) => Object.fromEntries(IDENTITY.filter((a) => a in resource).map((a) => [a, resource[a]]));

describe.each(cases)('inserting at the front of $list', ({ base = {}, insert, ownerOnly = false, stacks }) => {
  const before = stacksOf(base, ownerOnly, stacks);
  const after = stacksOf(both(base, insert), ownerOnly, stacks && [...stacks, ...newStacks(insert)]);

  it('adds resources and keeps every existing address', () => {
    let added = 0;
    for (const [stack, tf] of before) {
      const kept = resourceAddresses(after.get(stack));
      expect({ stack, missing: resourceAddresses(tf).filter((a) => !kept.includes(a)) }).toEqual({ stack, missing: [] });
      added += kept.length - resourceAddresses(tf).length;
    }
    added += [...after.keys()].filter((s) => !before.has(s)).length;
    // access.principals only feeds policies now that the example names its cluster admins.
    expect(added).toBeGreaterThanOrEqual(0);
  });

  it("changes no existing resource's identity (CIDR, AZ, service, principal, name, references)", () => {
    for (const [stack, tf] of before) {
      for (const [type, byId] of Object.entries<Record<string, any>>(tf.resource ?? {})) {
        for (const [id, resource] of Object.entries(byId)) {
          const now = after.get(stack).resource[type][id];
          expect({ address: `${stack}: ${type}.${id}`, identity: identityOf(now) }).toEqual({
            address: `${stack}: ${type}.${id}`,
            identity: identityOf(resource),
          });
        }
      }
    }
  });

  it('moves no existing resource: every moved block starts at a positional address no resource has today', () => {
    for (const [stack, tf] of after) {
      const current = new Set(resourceAddresses(tf));
      for (const moved of movedBlocks(tf))
        expect({ stack, moved, fromIsCurrent: current.has(moved.split(' -> ')[0]) }).toEqual({ stack, moved, fromIsCurrent: false });
    }
  });
});
