import { readFileSync } from 'node:fs';
import type { ConfigProblem } from '../errors';
import type { PlatformFile } from '../schema/platform';
import { configuredPythonPackageMirror, platformInterfaceServices, type TeamConfig } from '../model';
import { confineTeamPath } from '../paths';
import { CODEARTIFACT_ENDPOINTS } from '../../contracts/python-packages';

/** Where MWAA unpacks `plugins.zip` on its containers: wheels shipped there install with `--no-index --find-links`. */
export const MWAA_PLUGINS_DIR = '/usr/local/airflow/plugins';

const HOW_TO_FIX =
  `ship the wheels in plugins.zip and install them with --no-index --find-links ${MWAA_PLUGINS_DIR} ` +
  "(constraints file included), or read them from the platform's CodeArtifact mirror (network.pythonPackages.codeArtifact in platform.yaml) " +
  'through a startup script that sets PIP_INDEX_URL (docs/mwaa-environments.md, "Python packages without internet")';

const URL = /^[a-z][a-z0-9+.-]*:\/\//i;
const VCS = /^(git|hg|svn|bzr)\+/i;

/** One requirements-file line that would need the internet, with the 1-based line number. */
export interface OnlineRequirement {
  readonly line: number;
  readonly text: string;
  readonly reason: string;
}

/** True when the URL's host is a CodeArtifact repository endpoint of the region (`<domain>-<owner>.d.codeartifact.<region>.amazonaws.com`). */
function isCodeArtifact(url: string, region: string): boolean {
  const host = /^https:\/\/(?:[^@/]*@)?([^/:]+)/i.exec(url)?.[1]?.toLowerCase();
  return host !== undefined && host.endsWith(`.d.codeartifact.${region}.amazonaws.com`);
}

/**
 * Lines of a pip requirements file that make pip reach beyond the VPC: package indexes (`-i`, `--index-url`,
 * `--extra-index-url`), remote `--find-links`, `-c`/`-r` files by URL, VCS requirements (`git+…`) and direct
 * URL requirements (`name @ https://…`, a bare `https://…` archive). `privateIndex` accepts URLs reached
 * through VPC endpoints (CodeArtifact). Comments and line continuations are handled as pip does.
 */
export function onlineRequirements(text: string, privateIndex: (url: string) => boolean = () => false): OnlineRequirement[] {
  const found: OnlineRequirement[] = [];
  const physical = text.split(/\r?\n/);
  for (let i = 0; i < physical.length; i++) {
    const start = i;
    let logical = physical[i];
    while (logical.endsWith('\\') && i + 1 < physical.length) logical = logical.slice(0, -1) + physical[++i];
    const line = logical.replace(/(^|\s)#.*$/, '').trim();
    if (line === '') continue;
    const push = (reason: string) => found.push({ line: start + 1, text: line, reason });
    // pip accepts quoted option values (`--constraint "https://…"`).
    const tokens = line.split(/\s+/).map((t) => t.replace(/^["']|["']$/g, ''));
    for (let t = 0; t < tokens.length; t++) {
      const token = tokens[t];
      const option = /^(-[icrfe]|--index-url|--extra-index-url|--find-links|--constraint|--requirement|--editable)(?:=(.*))?$/.exec(token);
      if (option) {
        const value = option[2] ?? tokens[++t] ?? '';
        const name = option[1];
        if (name === '-i' || name === '--index-url' || name === '--extra-index-url') {
          if (!privateIndex(value)) push(`${name} names the package index ${value}`);
        } else if (VCS.test(value)) {
          push(`${name} names the VCS repository ${value}`);
        } else if (URL.test(value) && !/^file:/i.test(value) && !privateIndex(value)) {
          push(`${name} fetches ${value}`);
        }
        continue;
      }
      if (VCS.test(token)) push(`${token} is a VCS requirement`);
      else if (URL.test(token) && !/^file:/i.test(token) && !privateIndex(token)) push(`${token} is a direct URL`);
    }
  }
  return found;
}

/**
 * Refuses requirements files that need the internet when the shared VPC has none: MWAA installs them on its
 * workers and schedulers inside the VPC, and the install fails (the environment stays in UPDATING, then
 * fails) instead of planning red. A created VPC never has an internet route; an adopted one only when
 * `network.adopt.internetAccess` says so. CodeArtifact URLs pass when the platform creates its endpoints.
 */
export function validateRequirements(platform: PlatformFile, team: TeamConfig, repoRoot: string): ConfigProblem[] {
  if (platform.network.adopt?.internetAccess) return [];
  // The mirror brings both endpoints; without it they may still be listed in extraInterfaceEndpoints.
  const endpoints = new Set(platformInterfaceServices(platform));
  const codeArtifactReachable = CODEARTIFACT_ENDPOINTS.every((e) => endpoints.has(e));
  const privateIndex = (url: string) => codeArtifactReachable && isCodeArtifact(url, platform.region);
  const problems: ConfigProblem[] = [];
  team.environments.forEach((env, index) => {
    const text = requirementsText(team, env.requirementsFile, repoRoot);
    if (text === undefined) return;
    for (const r of onlineRequirements(text, privateIndex)) {
      problems.push({
        file: team.file,
        path: `environments[${index}].requirementsFile`,
        message: `${env.requirementsFile} line ${r.line} needs the internet (${r.reason}), and the shared VPC has no route to it; ${HOW_TO_FIX}`,
      });
    }
  });
  return problems;
}

/** The text of a confined, readable requirements file; undefined otherwise (the environment validation reports every other case). */
function requirementsText(team: TeamConfig, file: string | undefined, repoRoot: string): string | undefined {
  if (file === undefined) return undefined;
  const confined = confineTeamPath(repoRoot, team.team, file, 'file');
  if (!confined.ok) return undefined;
  try {
    return readFileSync(confined.real, 'utf8');
  } catch {
    return undefined;
  }
}

/** Whether the file turns the index off (`--no-index`): then pip reads only local wheels and never the mirror. */
const usesNoIndex = (text: string) => text.split(/\r?\n/).some((line) => /^\s*--no-index\b/.test(line));

/**
 * Worth saying, not refusing: with the mirror configured, a requirements file that installs from an index (no
 * `--no-index`) in an environment without a startup script makes pip look on PyPI, which the shared VPC cannot
 * reach. Packages MWAA preinstalls are satisfied without an index, so the file may still work.
 */
export function requirementsWarnings(platform: PlatformFile, team: TeamConfig, repoRoot: string): ConfigProblem[] {
  if (platform.network.adopt?.internetAccess || !configuredPythonPackageMirror(platform)) return [];
  const warnings: ConfigProblem[] = [];
  team.environments.forEach((env, index) => {
    if (env.startupScriptFile !== undefined) return;
    const text = requirementsText(team, env.requirementsFile, repoRoot);
    if (text === undefined || usesNoIndex(text)) return;
    warnings.push({
      file: team.file,
      path: `environments[${index}].startupScriptFile`,
      message:
        `${env.requirementsFile} installs from a package index, but nothing points pip at the platform's CodeArtifact mirror, and PyPI is out of reach of the shared VPC; ` +
        'add a startupScriptFile that exports PIP_INDEX_URL from the AIRFLOW__CODEARTIFACT__* variables (docs/mwaa-environments.md, "Python packages without internet"), or use --no-index with wheels in plugins.zip',
    });
  });
  return warnings;
}
