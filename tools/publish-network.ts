/**
 * `npm run publish-network`: after the owner stack is applied, turns its Terraform outputs into
 * `<config>/network-contract.json`, the reviewed file participant stacks read instead of owner state.
 *
 *   npm run publish-network                 reads `terraform output -json` in cdktf.out/stacks/owner
 *   npm run publish-network -- outputs.json reads outputs saved earlier (e.g. by CI after apply)
 *
 * Exit codes follow tools/lib/cli.ts: 0 written, 1 the outputs are missing or do not make a contract, 2 usage or
 * invalid configuration.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  CONTRACT_FILE,
  networkContractSchema,
  networkFingerprint,
  RECOVERY_CONTRACT_FILE,
  recoveryNetworkFingerprint,
  type NetworkContract,
} from '../model/contract';
import { configuredPythonPackageMirror } from '../model/model';
import { loadPlatformConfig } from '../model/load';
import { configDirOf, outdirOf } from '../model/synth-settings';
import type { PlatformFile } from '../model/model';
import { formatArn, iamRoleArn, partitionOf } from '../contracts/aws';
import { endpointManagerName } from '../contracts/endpoint-manager';
import { OWNER_STACK, RECOVERY_OWNER_STACK, recoveryResourcePrefix, statusBusName } from '../contracts/names';
import { OWNER_OUTPUTS } from '../contracts/outputs';
import { formatPath } from '../model/errors';
import { EXIT, runToolAsMain, UsageError, type CommandLine } from './lib/cli';
import { needsInit, output } from './lib/terraform';

type TerraformOutputs = Record<string, { value: unknown }>;

/** Which owner stack a contract describes: the primary region's, or the recovery region's (platform.yaml `recovery`). */
export type NetworkSite = 'primary' | 'recovery';

/** Region, name prefix and fingerprint of a site's owner stack; the recovery site needs platform.yaml `recovery`. */
function siteOf(platform: PlatformFile, site: NetworkSite) {
  if (site === 'primary') return { region: platform.region, prefix: platform.platform, fingerprint: networkFingerprint(platform) };
  if (!platform.recovery) throw new UsageError('--recovery: platform.yaml has no recovery section');
  return {
    region: platform.recovery.region,
    prefix: recoveryResourcePrefix(platform.platform, platform.recovery.region),
    fingerprint: recoveryNetworkFingerprint(platform),
  };
}

/** Builds the contract from owner outputs; throws naming every output that is missing or malformed. */
export function contractFromOutputs(outputs: TerraformOutputs, platform: PlatformFile, site: NetworkSite = 'primary'): NetworkContract {
  const value = (name: string) => outputs[name]?.value;
  const { region, prefix } = siteOf(platform, site);
  // Both owner stacks create the mirror when platform.yaml sets it (the recovery one in its own region).
  const mirrorWanted = Boolean(platform.network.pythonPackages.codeArtifact);
  const candidate = {
    platform: platform.platform,
    region,
    ownerAccountId: platform.owner.accountId,
    vpcId: value(OWNER_OUTPUTS.vpcId),
    subnetIds: value(OWNER_OUTPUTS.subnetIds),
    endpointSecurityGroupId: value(OWNER_OUTPUTS.endpointSecurityGroupId),
    s3PrefixListId: value(OWNER_OUTPUTS.s3PrefixListId),
    eventBusArn: value(OWNER_OUTPUTS.eventBusArn),
    endpointManagerRoleArn:
      value(OWNER_OUTPUTS.endpointManagerRoleArn) ?? iamRoleArn(partitionOf(region), platform.owner.accountId, endpointManagerName(prefix)),
    networkFingerprint: value(OWNER_OUTPUTS.networkFingerprint),
    // Required when platform.yaml sets the PyPI mirror (a missing output is named below), absent otherwise.
    ...(mirrorWanted || value(OWNER_OUTPUTS.codeArtifactDomain) !== undefined
      ? {
          codeArtifact: {
            domain: value(OWNER_OUTPUTS.codeArtifactDomain),
            domainOwner: value(OWNER_OUTPUTS.codeArtifactDomainOwner),
            repository: value(OWNER_OUTPUTS.codeArtifactRepository),
          },
        }
      : {}),
    source: 'terraform-output' as const,
  };
  const parsed = networkContractSchema.safeParse(candidate);
  const stack = site === 'primary' ? 'owner stack' : 'recovery owner stack';
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `  output for ${formatPath(i.path)}: ${i.message}`).join('\n');
    throw new Error(`The ${stack}'s outputs do not make a valid network contract (was the ${stack} applied?):\n${problems}`);
  }
  return parsed.data;
}

/**
 * A placeholder contract for this platform (fake ids, `source: example`), for a first deployment before the owner
 * exists: the shipped example names the example's accounts, which every synthesis of another platform refuses as
 * stale. Offline previews then synthesize the participants; CI with real credentials still refuses it (the guard).
 */
export function exampleContract(platform: PlatformFile, site: NetworkSite = 'primary'): NetworkContract {
  const network = site === 'primary' ? platform.network : platform.recovery?.network;
  const { region, prefix, fingerprint } = siteOf(platform, site);
  const subnets = network!.create?.privateSubnetCidrs.length ?? network!.adopt!.subnets.length;
  const mirror = configuredPythonPackageMirror(platform);
  // Recovery ids differ from the primary's in their last digits, so a test can tell which contract a stack read.
  const id = (n: number) => (site === 'primary' ? n : n + 0x100).toString(16);
  return networkContractSchema.parse({
    platform: platform.platform,
    region,
    ownerAccountId: platform.owner.accountId,
    vpcId: `vpc-${id(1).padStart(17, '0')}`,
    subnetIds: Array.from({ length: subnets }, (_, i) => `subnet-${id(0xa + i).padStart(17, '0')}`),
    endpointSecurityGroupId: `sg-${id(0xe).padStart(17, '0')}`,
    s3PrefixListId: `pl-${id(5).padStart(17, '0')}`,
    eventBusArn: formatArn({
      partition: partitionOf(region),
      service: 'events',
      region,
      account: platform.owner.accountId,
      resource: 'event-bus',
      resourceName: statusBusName(prefix),
    }),
    endpointManagerRoleArn: iamRoleArn(partitionOf(region), platform.owner.accountId, endpointManagerName(prefix)),
    ...(mirror ? { codeArtifact: { domain: mirror.domain, domainOwner: mirror.domainOwner, repository: mirror.repository } } : {}),
    networkFingerprint: fingerprint,
    source: 'example',
  });
}

/** Prettier's print width, the house style for every file in the repository. */
const PRINT_WIDTH = 140;

/**
 * JSON as Prettier prints it at the house width: a list or mapping on one line when it fits (`["a", "b"]`,
 * `{ "k": "v" }`), one entry per line otherwise. The committed contract is in that style, so republishing the same
 * values changes no byte and a contract pull request shows only the ids that changed.
 */
export function formatJson(value: unknown, indent = 0, prefix = ''): string {
  const inline = (v: unknown): string => {
    if (Array.isArray(v)) return `[${v.map(inline).join(', ')}]`;
    if (v && typeof v === 'object') {
      const entries = Object.entries(v).map(([k, x]) => `${JSON.stringify(k)}: ${inline(x)}`);
      return entries.length ? `{ ${entries.join(', ')} }` : '{}';
    }
    return JSON.stringify(v);
  };
  const flat = inline(value);
  // The entry's key and the comma after it count toward the width, as in Prettier.
  if (!value || typeof value !== 'object' || indent + prefix.length + flat.length + 1 <= PRINT_WIDTH) return flat;
  const pad = ' '.repeat(indent + 2);
  const lines = Array.isArray(value)
    ? value.map((v) => pad + formatJson(v, indent + 2))
    : Object.entries(value).map(([k, v]) => `${pad}${JSON.stringify(k)}: ${formatJson(v, indent + 2, `${JSON.stringify(k)}: `)}`);
  const [open, close] = Array.isArray(value) ? ['[', ']'] : ['{', '}'];
  return `${open}\n${lines.join(',\n')}\n${' '.repeat(indent)}${close}`;
}

/** What to do when the owner stack has no outputs to publish yet: a placeholder before it exists, the real thing after. */
export function ownerNotAppliedMessage(ownerDir: string, why: string): string {
  return (
    `${ownerDir} ${why}, so there are no owner outputs to publish. ` +
    'Before the owner stack exists (first deployment), write a placeholder contract for this platform instead: `npm run publish-network -- --example`. ' +
    'Once the owner is applied (`BOOTSTRAP=owner npm run apply -- --stack owner`), run `npm run publish-network` where it was applied, ' +
    'or pass the outputs saved there: `npm run publish-network -- outputs.json`.'
  );
}

/** `terraform output -json` of the owner stack, or an error in this tool's words when the owner was not applied from here. */
export function ownerOutputs(ownerDir: string, read: (dir: string) => TerraformOutputs = output): TerraformOutputs {
  if (!existsSync(join(ownerDir, 'cdk.tf.json')))
    throw new Error(ownerNotAppliedMessage(ownerDir, 'does not exist (the owner stack was not synthesized)'));
  let outputs: TerraformOutputs;
  try {
    outputs = read(ownerDir);
  } catch (error) {
    // Terraform's own words ("Backend initialization required … run terraform init") say nothing of what to do here.
    if (needsInit(error)) throw new Error(ownerNotAppliedMessage(ownerDir, 'was never initialized or applied'));
    throw error;
  }
  if (Object.keys(outputs).length === 0)
    throw new Error(ownerNotAppliedMessage(ownerDir, 'has no outputs in its state (the owner stack was not applied)'));
  return outputs;
}

export const PUBLISH_NETWORK_COMMAND = {
  command: 'npm run publish-network --',
  summary: `After the owner stack is applied, write its Terraform outputs as <PLATFORM_CONFIG>/${CONTRACT_FILE}, the reviewed file participant stacks read instead of the owner's state.`,
  options: {
    recovery: {
      type: 'boolean',
      description: `the recovery region's owner stack (${RECOVERY_OWNER_STACK}) instead, written as <PLATFORM_CONFIG>/${RECOVERY_CONTRACT_FILE}`,
    },
    example: {
      type: 'boolean',
      description:
        'write a placeholder contract for this platform (fake ids, source "example") instead, for a first deployment before the owner exists',
    },
  },
  positionals: {
    usage: '[outputs.json]',
    description: `saved \`terraform output -json\` of the owner stack; default: run it in <CDKTF_OUTDIR>/stacks/${OWNER_STACK}`,
    max: 1,
  },
  exitCodes: { [EXIT.ok]: 'contract written', [EXIT.failed]: 'the outputs could not be read or do not make a valid contract' },
} as const;

function main({ values, positionals }: CommandLine<typeof PUBLISH_NETWORK_COMMAND.options>): number {
  // Relative to the repository like main.ts, not to the directory the command was typed in.
  const configDir = configDirOf(process.env);
  const outdir = outdirOf(process.env);
  const { platform } = loadPlatformConfig(configDir, { ownerOnly: true });
  const [source] = positionals;
  const site: NetworkSite = values.recovery ? 'recovery' : 'primary';
  const file = join(configDir, site === 'primary' ? CONTRACT_FILE : RECOVERY_CONTRACT_FILE);
  if (values.example) {
    if (source) throw new UsageError('--example writes placeholder ids; it reads no outputs file');
    writeFileSync(file, `${formatJson(exampleContract(platform, site))}\n`);
    console.log(
      `Wrote ${file} with placeholder ids for ${platform.platform} (source "example"): offline previews synthesize every stack; CI with credentials refuses it until the owner is applied and the contract published.`,
    );
    return EXIT.ok;
  }
  const outputs: TerraformOutputs = source
    ? JSON.parse(readFileSync(source, 'utf8'))
    : // Through the mirror-only CLI config like every other Terraform the scripts run.
      ownerOutputs(join(outdir, 'stacks', site === 'primary' ? OWNER_STACK : RECOVERY_OWNER_STACK));
  const contract = contractFromOutputs(outputs, platform, site);
  writeFileSync(file, `${formatJson(contract)}\n`);
  console.log(
    `Wrote ${file}; commit it in a pull request so ${site === 'primary' ? 'participant' : 'recovery'} stacks plan against the new network.`,
  );
  return EXIT.ok;
}

if (require.main === module) runToolAsMain(PUBLISH_NETWORK_COMMAND, main);
