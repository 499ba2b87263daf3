import { readFileSync } from 'node:fs';
import type { ConfigProblem } from '../errors';
import type { PlatformFile } from '../schema/platform';
import type { TeamConfig } from '../model';
import { confineTeamPath } from '../paths';

/** Where MWAA unpacks `plugins.zip` on its containers: wheels shipped there install with `--no-index --find-links`. */
export const MWAA_PLUGINS_DIR = '/usr/local/airflow/plugins';

/** Interface endpoints that make a CodeArtifact repository reachable from the shared VPC (token API and PyPI endpoint). */
export const CODEARTIFACT_ENDPOINTS = ['codeartifact.api', 'codeartifact.repositories'] as const;

const HOW_TO_FIX =
  `ship the wheels in plugins.zip and install them with --no-index --find-links ${MWAA_PLUGINS_DIR} ` +
  '(constraints file included), or use a CodeArtifact repository through its VPC endpoints (docs/mwaa-environments.md, "Python packages without internet")';

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
  const endpoints = new Set(platform.network.extraInterfaceEndpoints);
  const codeArtifactReachable = CODEARTIFACT_ENDPOINTS.every((e) => endpoints.has(e));
  const privateIndex = (url: string) => codeArtifactReachable && isCodeArtifact(url, platform.region);
  const problems: ConfigProblem[] = [];
  team.environments.forEach((env, index) => {
    if (env.requirementsFile === undefined) return;
    // Only a confined regular file is read; the environment validation reports every other case.
    const confined = confineTeamPath(repoRoot, team.team, env.requirementsFile, 'file');
    if (!confined.ok) return;
    let text: string;
    try {
      text = readFileSync(confined.real, 'utf8');
    } catch {
      return;
    }
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
