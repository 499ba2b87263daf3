/**
 * `npm run publish-network`: after the owner stack is applied, turns its Terraform outputs into
 * `<config>/network-contract.json`, the reviewed file participant stacks read instead of owner state.
 *
 *   npm run publish-network                 reads `terraform output -json` in cdktf.out/stacks/owner
 *   npm run publish-network -- outputs.json reads outputs saved earlier (e.g. by CI after apply)
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CONTRACT_FILE, networkContractSchema, type NetworkContract } from '../model/contract';
import { ConfigError } from '../model/errors';
import { loadPlatformConfig } from '../model/load';
import type { PlatformFile } from '../model/model';
import { iamRoleArn, partitionOf } from '../contracts/aws';
import { endpointManagerName } from '../contracts/endpoint-manager';
import { OWNER_STACK } from '../contracts/names';
import { OWNER_OUTPUTS } from '../contracts/outputs';
import { formatPath } from '../model/errors';

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
      value(OWNER_OUTPUTS.endpointManagerRoleArn) ?? iamRoleArn(partitionOf(platform.region), platform.owner.accountId, endpointManagerName(platform.platform)),
    networkFingerprint: value(OWNER_OUTPUTS.networkFingerprint),
    source: 'terraform-output' as const,
  };
  const parsed = networkContractSchema.safeParse(candidate);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `  output for ${formatPath(i.path)}: ${i.message}`).join('\n');
    throw new Error(`The owner stack's outputs do not make a valid network contract (was the owner stack applied?):\n${problems}`);
  }
  return parsed.data;
}

function main(): number {
  const configDir = process.env.PLATFORM_CONFIG || 'config';
  const outdir = process.env.CDKTF_OUTDIR || 'cdktf.out';
  try {
    const { platform } = loadPlatformConfig(configDir, { ownerOnly: true });
    const source = process.argv[2];
    const outputs: TerraformOutputs = source
      ? JSON.parse(readFileSync(source, 'utf8'))
      : JSON.parse(execFileSync('terraform', ['output', '-json'], { cwd: join(outdir, 'stacks', OWNER_STACK), encoding: 'utf8' }));
    const contract = contractFromOutputs(outputs, platform);
    const file = join(configDir, CONTRACT_FILE);
    writeFileSync(file, `${JSON.stringify(contract, null, 2)}\n`);
    console.log(`Wrote ${file}; commit it in a pull request so participant stacks plan against the new network.`);
    return 0;
  } catch (error) {
    console.error(error instanceof ConfigError ? error.message : `publish-network failed: ${(error as Error).message}`);
    return 1;
  }
}

if (require.main === module) process.exitCode = main();
