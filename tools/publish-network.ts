/**
 * `npm run publish-network`: after the owner stack is applied, turns its Terraform outputs into
 * `<config>/network-contract.json`, the reviewed file participant stacks read instead of owner state.
 *
 *   npm run publish-network                 reads `terraform output -json` in cdktf.out/stacks/owner
 *   npm run publish-network -- outputs.json reads outputs saved earlier (e.g. by CI after apply)
 *
 * Exit codes follow tools/cli.ts: 0 written, 1 the outputs are missing or do not make a contract, 2 usage or
 * invalid configuration.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CONTRACT_FILE, networkContractSchema, networkFingerprint, type NetworkContract } from '../model/contract';
import { configuredPythonPackageMirror } from '../model/model';
import { loadPlatformConfig } from '../model/load';
import { configDirOf, outdirOf } from '../model/synth-settings';
import type { PlatformFile } from '../model/model';
import { iamRoleArn, partitionOf } from '../contracts/aws';
import { endpointManagerName } from '../contracts/endpoint-manager';
import { OWNER_STACK, statusBusName } from '../contracts/names';
import { OWNER_OUTPUTS } from '../contracts/outputs';
import { formatPath } from '../model/errors';
import { EXIT, runToolAsMain, UsageError, type CommandLine } from './cli';
import { output } from './terraform';

type TerraformOutputs = Record<string, { value: unknown }>;

/** Builds the contract from owner outputs; throws naming every output that is missing or malformed. */
export function contractFromOutputs(outputs: TerraformOutputs, platform: PlatformFile): NetworkContract {
  const value = (name: string) => outputs[name]?.value;
  const candidate = {
    platform: platform.platform,
    region: platform.region,
    ownerAccountId: platform.owner.accountId,
    vpcId: value(OWNER_OUTPUTS.vpcId),
    subnetIds: value(OWNER_OUTPUTS.subnetIds),
    endpointSecurityGroupId: value(OWNER_OUTPUTS.endpointSecurityGroupId),
    s3PrefixListId: value(OWNER_OUTPUTS.s3PrefixListId),
    eventBusArn: value(OWNER_OUTPUTS.eventBusArn),
    endpointManagerRoleArn:
      value(OWNER_OUTPUTS.endpointManagerRoleArn) ??
      iamRoleArn(partitionOf(platform.region), platform.owner.accountId, endpointManagerName(platform.platform)),
    networkFingerprint: value(OWNER_OUTPUTS.networkFingerprint),
    // Required when platform.yaml sets the PyPI mirror (a missing output is named below), absent otherwise.
    ...(platform.network.pythonPackages.codeArtifact || value(OWNER_OUTPUTS.codeArtifactDomain) !== undefined
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
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `  output for ${formatPath(i.path)}: ${i.message}`).join('\n');
    throw new Error(`The owner stack's outputs do not make a valid network contract (was the owner stack applied?):\n${problems}`);
  }
  return parsed.data;
}

/**
 * A placeholder contract for this platform (fake ids, `source: example`), for a first deployment before the owner
 * exists: the shipped example names the example's accounts, which every synthesis of another platform refuses as
 * stale. Offline previews then synthesize the participants; CI with real credentials still refuses it (the guard).
 */
export function exampleContract(platform: PlatformFile): NetworkContract {
  const subnets = platform.network.create?.privateSubnetCidrs.length ?? platform.network.adopt!.subnets.length;
  const mirror = configuredPythonPackageMirror(platform);
  return networkContractSchema.parse({
    platform: platform.platform,
    region: platform.region,
    ownerAccountId: platform.owner.accountId,
    vpcId: 'vpc-00000000000000001',
    subnetIds: Array.from({ length: subnets }, (_, i) => `subnet-${(0xa + i).toString(16).padStart(17, '0')}`),
    endpointSecurityGroupId: 'sg-0000000000000000e',
    s3PrefixListId: 'pl-00000000000000005',
    eventBusArn: `arn:${partitionOf(platform.region)}:events:${platform.region}:${platform.owner.accountId}:event-bus/${statusBusName(platform.platform)}`,
    endpointManagerRoleArn: iamRoleArn(partitionOf(platform.region), platform.owner.accountId, endpointManagerName(platform.platform)),
    ...(mirror ? { codeArtifact: { domain: mirror.domain, domainOwner: mirror.domainOwner, repository: mirror.repository } } : {}),
    networkFingerprint: networkFingerprint(platform),
    source: 'example',
  });
}

export const PUBLISH_NETWORK_COMMAND = {
  command: 'npm run publish-network --',
  summary: `After the owner stack is applied, write its Terraform outputs as <PLATFORM_CONFIG>/${CONTRACT_FILE}, the reviewed file participant stacks read instead of the owner's state.`,
  options: {
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
  if (values.example) {
    if (source) throw new UsageError('--example writes placeholder ids; it reads no outputs file');
    const file = join(configDir, CONTRACT_FILE);
    writeFileSync(file, `${JSON.stringify(exampleContract(platform), null, 2)}\n`);
    console.log(
      `Wrote ${file} with placeholder ids for ${platform.platform} (source "example"): offline previews synthesize every stack; CI with credentials refuses it until the owner is applied and the contract published.`,
    );
    return EXIT.ok;
  }
  const outputs: TerraformOutputs = source
    ? JSON.parse(readFileSync(source, 'utf8'))
    : // Through the mirror-only CLI config like every other Terraform the scripts run.
      output(join(outdir, 'stacks', OWNER_STACK));
  const contract = contractFromOutputs(outputs, platform);
  const file = join(configDir, CONTRACT_FILE);
  writeFileSync(file, `${JSON.stringify(contract, null, 2)}\n`);
  console.log(`Wrote ${file}; commit it in a pull request so participant stacks plan against the new network.`);
  return EXIT.ok;
}

if (require.main === module) runToolAsMain(PUBLISH_NETWORK_COMMAND, main);
