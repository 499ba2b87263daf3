import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import type { z } from 'zod';
import { readTeamArtifacts } from './artifacts';
import { eksVersionStatus, isoDate } from './eks-versions';
import { CONTRACT_FILE, networkContractSchema, staleContractReasons, type NetworkContract } from './contract';
import { ConfigError, formatPath, type ConfigProblem } from './errors';
import type { PlatformConfig, TeamConfig } from './model';
import { platformSchema, type PlatformFile } from './schema/platform';
import { teamSchema } from './schema/team';
import { validateIrsa } from './validate/irsa';
import { validateRequirements } from './validate/requirements';
import { validateCapacity } from './validate/capacity';
import { validateNetwork } from './validate/network';
import { validateTeams } from './validate/teams';
import { validateTeamEnvironments } from './validate/environment';

export interface LoadOptions {
  /**
   * Owner-only bootstrap: the network contract is not read, because the owner stack that produces
   * it has not been applied yet. Participant stacks cannot be built from such a configuration.
   * @default false
   */
  readonly ownerOnly?: boolean;
  /**
   * The day support windows are judged on (EKS versions in extended support warn, past it they fail).
   * @default now
   */
  readonly today?: Date;
}

/**
 * Reads and validates a configuration directory: `platform.yaml`, `teams/*.yaml` and
 * `network-contract.json`. Every problem in every file is collected before failing, so one run
 * shows them all. Throws {@link ConfigError}; never returns a partially valid configuration.
 */
export function loadPlatformConfig(configDir: string, options: LoadOptions = {}): PlatformConfig {
  const problems: ConfigProblem[] = [];
  const warnings: ConfigProblem[] = [];
  const today = isoDate(options.today ?? new Date());

  const platformFile = join(configDir, 'platform.yaml');
  const platform = parseFile(platformFile, platformSchema, problems);
  if (platform) problems.push(...validateNetwork(platform).map((p) => ({ file: platformFile, ...p })));

  const teamsDir = join(configDir, 'teams');
  const teamFiles = existsSync(teamsDir)
    ? readdirSync(teamsDir).filter((f) => /\.ya?ml$/.test(f)).sort().map((f) => join(teamsDir, f))
    : [];
  const teams: TeamConfig[] = [];
  for (const file of teamFiles) {
    const team = parseFile(file, teamSchema, problems);
    if (team) teams.push({ ...team, file });
    if (team) problems.push(...validateTeamEnvironments({ ...team, file }).map((p) => ({ file, ...p })));
    if (team && platform) problems.push(...validateIrsa(platform, { ...team, file }));
    if (team?.eks) {
      const status = eksVersionStatus(team.eks.version, today);
      if (status.kind === 'unsupported') problems.push({ file, path: 'eks.version', message: status.message });
      else if (status.kind !== 'standard') warnings.push({ file, path: 'eks.version', message: status.message });
    }
    if (team && platform) problems.push(...validateRequirements(platform, { ...team, file }));
  }
  if (platform) problems.push(...validateTeams(platform, teams));
  if (platform) problems.push(...validateCapacity(platform, teams).map((p) => ({ file: platformFile, ...p })));

  const contract = platform && !options.ownerOnly ? readContract(configDir, platform, problems) : undefined;

  if (problems.length > 0) throw new ConfigError(problems);
  // Files are read once here, at the edge, after validation proved every configured one exists.
  const artifacts = Object.fromEntries(teams.map((team) => [team.team, readTeamArtifacts(team)]));
  return { configDir, platform: platform!, teams, contract, artifacts, warnings };
}

function parseFile<S extends z.ZodTypeAny>(file: string, schema: S, problems: ConfigProblem[]): z.infer<S> | undefined {
  if (!existsSync(file)) {
    problems.push({ file, path: '', message: 'file not found' });
    return undefined;
  }
  const doc = parseDocument(readFileSync(file, 'utf8'), { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    for (const error of doc.errors) problems.push({ file, path: '', message: `not valid YAML: ${error.message.split('\n')[0]}` });
    return undefined;
  }
  const result = schema.safeParse(doc.toJS() ?? {});
  if (!result.success) {
    for (const issue of result.error.issues) problems.push({ file, path: formatPath(issue.path), message: issue.message });
    return undefined;
  }
  return result.data;
}

function readContract(configDir: string, platform: PlatformFile, problems: ConfigProblem[]): NetworkContract | undefined {
  const file = join(configDir, CONTRACT_FILE);
  const howToFix = 'apply the owner stack, then run `npm run publish-network` and commit the file (for a first, owner-only synth set BOOTSTRAP=owner)';
  if (!existsSync(file)) {
    problems.push({ file, path: '', message: `the network contract is missing: ${howToFix}` });
    return undefined;
  }
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    problems.push({ file, path: '', message: `not valid JSON (${(error as Error).message}): ${howToFix}` });
    return undefined;
  }
  const result = networkContractSchema.safeParse(json);
  if (!result.success) {
    for (const issue of result.error.issues) problems.push({ file, path: formatPath(issue.path), message: issue.message });
    return undefined;
  }
  const stale = staleContractReasons(result.data, platform);
  if (stale.length > 0) {
    problems.push({ file, path: '', message: `the network contract is stale: ${stale.join('; ')}; ${howToFix}` });
    return undefined;
  }
  if (result.data.subnetIds.length !== (platform.network.create?.privateSubnetCidrs.length ?? platform.network.adopt!.subnets.length)) {
    problems.push({ file, path: 'subnetIds', message: `lists ${result.data.subnetIds.length} subnets but platform.yaml defines a different number; ${howToFix}` });
  }
  return result.data;
}
