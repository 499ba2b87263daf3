import { existsSync, lstatSync, readdirSync, readFileSync, readlinkSync, statSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { defaultDagsPath, describeType, isInside } from './paths';
import { teamPathsRootOf } from './synth-settings';
import type { z } from 'zod';
import { artifactOf, readTeamArtifacts, type ArtifactFile, type TeamArtifacts } from './artifacts';
import { PLATFORM_DAGS_FOLDER, RECOVERY_DAG_SOURCE } from '../contracts/recovery';
import { eksVersionStatus, isoDate } from './eks-versions';
import {
  CONTRACT_FILE,
  networkContractSchema,
  RECOVERY_CONTRACT_FILE,
  staleContractReasons,
  staleRecoveryContractReasons,
  type NetworkContract,
} from './contract';
import { ConfigError, formatPath, type ConfigProblem } from './errors';
import type { PlatformConfig, TeamConfig } from './model';
import { platformSchema, type PlatformFile } from './schema/platform';
import { teamSchema } from './schema/team';
import { readYamlMapping, schemaProblems, templateProblems, withoutBadFields, type FieldStandIn, type StandIn } from './yaml-input';
import { validateIrsa } from './validate/irsa';
import { requirementsWarnings, validateRequirements } from './validate/requirements';
import { validateCapacity } from './validate/capacity';
import { validateNetwork } from './validate/network';
import { validateTeams } from './validate/teams';
import { validateTeamEnvironments } from './validate/environment';
import { validateTeamTags } from './validate/tags';
import { recoveryWarnings, validateRecoveryNetwork, validateTeamRecovery } from './validate/recovery';
import { podImageProblems } from './validate/pod-images';

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
  /**
   * The repository root: team paths (`dagsPath`, `requirementsFile`, …) are relative to it and confined to its
   * `teams/<team>/`. Nothing depends on the working directory.
   * @default the parent of `configDir` (the layout `<repository>/config`)
   */
  readonly repoRoot?: string;
  /**
   * Only this team matters (the `mwaa` CLI for one team): problems confined to other teams' files become
   * {@link PlatformConfig.skipped} and those teams are left out, instead of failing the load. Problems in
   * platform.yaml, the contract or this team's file still fail it.
   * @default every team must be valid (synthesis)
   */
  readonly onlyTeam?: string;
}

const TEAM_FILE = /\.ya?ml$/;

/**
 * Reads and validates a configuration directory: `platform.yaml`, `teams/*.yaml` (or `.yml`) and
 * `network-contract.json`, plus the files each team uploads from `<repoRoot>/teams/<team>/`. Every problem in
 * every file is collected before failing, so one run shows them all; a schema error in one field still lets
 * the other checks of that file run. Throws {@link ConfigError}; never returns a partially valid configuration.
 */
export function loadPlatformConfig(configDir: string, options: LoadOptions = {}): PlatformConfig {
  const repoRoot = resolve(options.repoRoot ?? teamPathsRootOf(configDir));
  // Files are read by absolute path and named relative to the repository in messages (config/teams/x.yaml).
  const shown = (file: string) => (isInside(repoRoot, file) ? relative(repoRoot, file) : file);
  const configRoot = resolve(configDir);
  const problems: ConfigProblem[] = [];
  const warnings: ConfigProblem[] = [];
  const today = isoDate(options.today ?? new Date());

  const platformPath = join(configRoot, 'platform.yaml');
  const platformFile = shown(platformPath);
  const platform = parseFile(platformPath, platformFile, platformSchema, problems)?.data;
  if (platform) problems.push(...validateNetwork(platform).map((p) => ({ file: platformFile, ...p })));
  if (platform) problems.push(...validateRecoveryNetwork(platform).map((p) => ({ file: platformFile, ...p })));

  const teamsPath = join(configRoot, 'teams');
  const teamsDir = shown(teamsPath);
  const entries = existsSync(teamsPath) ? readdirSync(teamsPath).sort() : [];
  for (const name of entries) {
    // Never ignored: a file that is not a team file says so (dot files such as .gitkeep excepted).
    if (name.startsWith('.') && /\.ya?ml$/i.test(name)) {
      // A hidden team file would be skipped without a word; a team that meant it would wonder why nothing happens.
      problems.push({
        file: join(teamsDir, name),
        path: '',
        message: `not read as a team file: hidden files are skipped; rename it to ${name.replace(/^\.+/, '')} or move it out of config/teams/`,
      });
      continue;
    }
    if (name.startsWith('.') || TEAM_FILE.test(name)) continue;
    const hint = /\.ya?ml$/i.test(name)
      ? `rename it to ${name.replace(/\.ya?ml$/i, (e) => e.toLowerCase())}`
      : 'team files are named <team>.yaml (or <team>.yml); move other files out of config/teams/';
    problems.push({ file: join(teamsDir, name), path: '', message: `not read as a team file: ${hint}` });
  }
  const teamFiles = entries.filter((f) => !f.startsWith('.') && TEAM_FILE.test(f));

  // Teams that parsed (some only after their bad fields were set aside, to run the other checks) and which are whole.
  const teams: TeamConfig[] = [];
  const whole = new Set<TeamConfig>();
  // Problems the checks after parsing find on stand-ins (withoutBadFields) are about the stand-in, not the file.
  const standIns = new Map<string, readonly string[]>();
  // Stand-in values in use: a later problem that names one (an ARN "not in account 000000000000") is about the stand-in.
  const standInValues = new Set<string>();
  const fromSchema = new Set<ConfigProblem>();
  for (const name of teamFiles) {
    const file = join(teamsDir, name);
    const before = problems.length;
    const parsed = parseFile(join(teamsPath, name), file, teamSchema, problems, { untrusted: true });
    for (const p of problems.slice(before)) fromSchema.add(p);
    if (!parsed) continue;
    if (parsed.replaced?.length) standIns.set(file, parsed.replaced);
    for (const s of TEAM_FIELD_STAND_INS) if (parsed.replaced?.includes(s.field)) standInValues.add(s.value);
    const team: TeamConfig = { ...parsed.data, file };
    teams.push(team);
    if (parsed.whole) whole.add(team);
    const at = (list: ReadonlyArray<{ path: string; message: string }>) => list.map((p) => ({ file, ...p }));
    problems.push(...at(validateTeamEnvironments(team, { repoRoot })));
    if (platform) problems.push(...at(validateTeamTags(platform, team)));
    if (platform) problems.push(...validateIrsa(platform, team));
    if (team.eks) {
      const status = eksVersionStatus(team.eks.version, today);
      if (status.kind === 'unsupported') problems.push({ file, path: 'eks.version', message: status.message });
      else if (status.kind !== 'standard') warnings.push({ file, path: 'eks.version', message: status.message });
    }
    if (platform) problems.push(...validateRequirements(platform, team, repoRoot));
    if (platform) warnings.push(...requirementsWarnings(platform, team, repoRoot));
    if (platform) problems.push(...validateTeamRecovery(platform, team));
    warnings.push(...recoveryWarnings(team));
  }
  if (platform) problems.push(...validateTeams(platform, teams));
  if (platform) problems.push(...validateCapacity(platform, teams).map((p) => ({ file: platformFile, ...p })));

  // Files are read once here, at the edge; the walk of each DAG tree finds links and special files at any depth.
  const artifacts: Record<string, TeamArtifacts> = {};
  for (const team of teams) {
    const read = readTeamArtifacts(team, repoRoot);
    problems.push(...read.problems.map((p) => ({ file: team.file, ...p })));
    // Pods run in the shared VPC: an image it cannot pull would fail only when the task starts.
    if (platform) {
      const images = podImageProblems(read.artifacts.dags, team.dagsPath ?? defaultDagsPath(team.team), team.accountId, platform.region);
      problems.push(...images.map((p) => ({ file: team.file, ...p })));
    }
    artifacts[team.team] = read.artifacts;
  }

  // The platform's backup and restore DAGs, uploaded into every recovered environment's reserved folder.
  const platformDags = platform?.recovery ? readPlatformDags(repoRoot) : [];

  // A mistake in platform.yaml's network section is reported once, not again as "the contract is stale".
  const networkBroken = !platform || problems.some((p) => p.file === platformFile && /^network\b/.test(p.path));
  const contract =
    platform && !options.ownerOnly && !networkBroken
      ? readContract(configRoot, shown(join(configRoot, CONTRACT_FILE)), platform, problems)
      : undefined;
  const recoveryBroken = networkBroken || problems.some((p) => p.file === platformFile && /^recovery\b/.test(p.path));
  const recoveryContract =
    platform?.recovery && !options.ownerOnly && !recoveryBroken
      ? readContract(configRoot, shown(join(configRoot, RECOVERY_CONTRACT_FILE)), platform, problems, 'recovery')
      : undefined;

  const onStandIn = (p: ConfigProblem) =>
    (standIns.get(p.file) ?? []).some((at) => p.path === at || p.path.startsWith(`${at}.`) || p.path.startsWith(`${at}[`)) ||
    [...standInValues].some((value) => p.message.includes(value));
  problems.splice(0, problems.length, ...problems.filter((p) => fromSchema.has(p) || !onStandIn(p)));

  let skipped: ConfigProblem[] = [];
  let kept = teams;
  if (options.onlyTeam !== undefined) {
    const isFocus = (file: string) => {
      const team = teams.find((t) => t.file === file);
      return team ? team.team === options.onlyTeam : basename(file).replace(TEAM_FILE, '') === options.onlyTeam;
    };
    const otherTeamFile = (file: string) => file.startsWith(join(teamsDir, '')) && !isFocus(file);
    skipped = problems.filter((p) => otherTeamFile(p.file));
    const broken = new Set(skipped.map((p) => p.file));
    problems.splice(0, problems.length, ...problems.filter((p) => !otherTeamFile(p.file)));
    kept = teams.filter((t) => !broken.has(t.file) && whole.has(t));
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return {
    configDir: configRoot,
    files: { platform: platformFile },
    repoRoot,
    platform: platform!,
    teams: kept,
    contract,
    ...(recoveryContract ? { recoveryContract } : {}),
    ...(platformDags.length > 0 ? { platformDags } : {}),
    artifacts: Object.fromEntries(kept.map((t) => [t.team, artifacts[t.team]])),
    warnings:
      options.onlyTeam === undefined
        ? warnings
        : warnings.filter((w) => kept.some((t) => t.file === w.file) || !w.file.startsWith(join(teamsDir, ''))),
    skipped,
  };
}

interface Parsed<T> {
  readonly data: T;
  /** False when bad fields were set aside to run the other checks: such a file never reaches synthesis. */
  readonly whole: boolean;
  /** Elements replaced by a stand-in to run the other checks ({@link StandIn}); their later problems are dropped. */
  readonly replaced?: readonly string[];
}

/**
 * An environment whose name is missing or bad (or that is not a mapping) is replaced by a stand-in of that
 * name, so the other environments' checks (unique names per account, files, tags) still run. The name matches
 * the schema but no real team would write it.
 */
const ENVIRONMENT_STAND_IN: StandIn = { list: 'environments', make: (index) => ({ name: `unparsed-environment-${index}-stand-in` }) };

/**
 * A team file's required fields, when missing or bad, are replaced by these so the rest of the file (its
 * environments' classes and versions, tags, IRSA, files) is still checked in the same run: an 11-digit account id
 * does not hide a class typo. Valid for the schema, but no real team would write them.
 */
const TEAM_FIELD_STAND_INS: readonly FieldStandIn[] = [
  { field: 'team', value: 'unparsed-team-stand-in' },
  { field: 'accountId', value: '000000000000' },
];

/** Reads `path`; problems name it `file`. */
function parseFile<S extends z.ZodTypeAny>(
  path: string,
  file: string,
  schema: S,
  problems: ConfigProblem[],
  how: { untrusted?: boolean } = {},
): Parsed<z.infer<S>> | undefined {
  if (!existsSync(path) && !(how.untrusted && isSymlink(path))) {
    problems.push({ file, path: '', message: 'file not found' });
    return undefined;
  }
  // A team file is read and quoted in messages ("the line reads …"): a link to a file of the CI runner would
  // print that file into the CI log, so team files are never followed.
  if (how.untrusted && isSymlink(path)) {
    problems.push({
      file,
      path: '',
      message: `is a symbolic link (to ${readlinkSync(path)}); a team file must be a regular file in ${dirname(file)}/, not a link`,
    });
    return undefined;
  }
  const stats = statSync(path);
  if (!stats.isFile()) {
    problems.push({ file, path: '', message: `is ${describeType(stats)}; it must be a regular file` });
    return undefined;
  }
  const read = readYamlMapping(readFileSync(path), schema);
  if ('problem' in read) {
    problems.push({ file, path: '', message: read.problem });
    return undefined;
  }
  const { doc, value } = read;
  const templates = how.untrusted ? templateProblems(value) : [];
  problems.push(...templates.map((p) => ({ file, ...p })));
  const result = schema.safeParse(value);
  if (result.success && templates.length === 0) return { data: result.data, whole: true };
  if (result.success) return { data: result.data, whole: false };
  problems.push(...schemaProblems(result.error.issues, doc, value).map((p) => ({ file, ...p })));
  // Set the bad fields aside (their defaults apply) so the file's other checks still run; never synthesized.
  const repaired = withoutBadFields(
    schema,
    value,
    result.error.issues,
    how.untrusted ? [ENVIRONMENT_STAND_IN] : [],
    how.untrusted ? TEAM_FIELD_STAND_INS : [],
  );
  return repaired === undefined ? undefined : { data: repaired.data, whole: false, replaced: repaired.replaced };
}

const isSymlink = (path: string) => {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
};

/** The next step for a contract the owner's outputs must replace. */
const AFTER_THE_OWNER = {
  primary:
    'apply the owner stack, then run `npm run publish-network` and commit the file (for a first, owner-only synth set BOOTSTRAP=owner)',
  recovery:
    'apply the recovery owner stack, then run `npm run publish-network -- --recovery` and commit the file (for a first, owner-only synth set BOOTSTRAP=owner)',
} as const;
/** The next step while the owner stack does not exist yet: a placeholder contract for this platform. */
const FIRST_DEPLOYMENT = {
  primary:
    'before the owner stack exists (first deployment), write a placeholder contract for this platform with `npm run publish-network -- --example` and commit it',
  recovery:
    'before the recovery owner stack exists (first deployment), write a placeholder contract with `npm run publish-network -- --recovery --example` and commit it',
} as const;

function readContract(
  configDir: string,
  file: string,
  platform: PlatformFile,
  problems: ConfigProblem[],
  site: 'primary' | 'recovery' = 'primary',
): NetworkContract | undefined {
  const path = join(configDir, site === 'primary' ? CONTRACT_FILE : RECOVERY_CONTRACT_FILE);
  const kind = site === 'primary' ? 'network' : 'recovery network';
  const howToFix = AFTER_THE_OWNER[site];
  if (!existsSync(path)) {
    problems.push({ file, path: '', message: `the ${kind} contract is missing: ${FIRST_DEPLOYMENT[site]}; ${howToFix}` });
    return undefined;
  }
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    problems.push({ file, path: '', message: `not valid JSON (${(error as Error).message}): ${howToFix}` });
    return undefined;
  }
  const result = networkContractSchema.safeParse(json);
  if (!result.success) {
    for (const issue of result.error.issues) problems.push({ file, path: formatPath(issue.path), message: issue.message });
    return undefined;
  }
  const stale = site === 'primary' ? staleContractReasons(result.data, platform) : staleRecoveryContractReasons(result.data, platform);
  if (stale.length > 0) {
    // A placeholder (the shipped example's, or one of an earlier platform.yaml) means the owner does not exist yet.
    const step = result.data.source === 'example' ? FIRST_DEPLOYMENT[site] : howToFix;
    problems.push({ file, path: '', message: `the ${kind} contract is stale: ${stale.join('; ')}; ${step}` });
    return undefined;
  }
  const network = site === 'primary' ? platform.network : platform.recovery!.network;
  if (result.data.subnetIds.length !== (network.create?.privateSubnetCidrs.length ?? network.adopt!.subnets.length)) {
    problems.push({
      file,
      path: 'subnetIds',
      message: `lists ${result.data.subnetIds.length} subnets but platform.yaml defines a different number; ${howToFix}`,
    });
  }
  return result.data;
}

/** Every regular file under the platform's recovery DAG source, keyed under the reserved folder; none when it is absent. */
function readPlatformDags(repoRoot: string): ArtifactFile[] {
  const root = join(repoRoot, RECOVERY_DAG_SOURCE);
  if (!existsSync(root)) return [];
  const files: ArtifactFile[] = [];
  const walk = (dir: string, rel: string) => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      const stats = lstatSync(path);
      if (stats.isDirectory()) {
        if (name !== '__pycache__') walk(path, `${rel}${name}/`);
      } else if (stats.isFile()) files.push(artifactOf(`${PLATFORM_DAGS_FOLDER}/${rel}${name}`, readFileSync(path)));
    }
  };
  walk(root, '');
  return files;
}
