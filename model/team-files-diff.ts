/**
 * What changed in the files a team uploads, computed from the files themselves (not from Terraform's view,
 * which holds base64 since model/artifacts.ts never lets Terraform see file text). For the plan review: a
 * reviewer reads a unified diff of each changed DAG, requirements file and startup script. Pure: takes the
 * artifacts of two configurations (e.g. `loadPlatformConfig` of the base and of the head checkout).
 */
import { artifactBytes, type ArtifactFile, type TeamArtifacts } from './artifacts';

export interface TeamFileChange {
  readonly team: string;
  /** Key in the team's bucket, e.g. `dags/etl.py` or `environments/prod/requirements.txt`. */
  readonly key: string;
  readonly change: 'added' | 'removed' | 'modified';
  /** Sizes in bytes; undefined on the side where the file does not exist. */
  readonly beforeBytes?: number;
  readonly afterBytes?: number;
  /** Unified diff (`---`/`+++`/`@@` hunks) when both sides are UTF-8 text; undefined for binary files. */
  readonly diff?: string;
  /** True when either side is not UTF-8 text (plugins archives, bytes that do not decode). */
  readonly binary: boolean;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

function textOf(bytes: Buffer): string | undefined {
  if (bytes.includes(0)) return undefined;
  try {
    return utf8.decode(bytes);
  } catch {
    return undefined;
  }
}

/** Every uploaded file of a team by key. */
function filesOf(artifacts: TeamArtifacts | undefined): Map<string, ArtifactFile> {
  const files = new Map<string, ArtifactFile>();
  if (!artifacts) return files;
  for (const file of artifacts.dags) files.set(file.key, file);
  for (const env of Object.values(artifacts.environments)) for (const file of Object.values(env)) if (file) files.set(file.key, file);
  return files;
}

/** Changed files of one team, sorted by key; unchanged files (same MD5) are left out. */
export function diffTeamArtifacts(
  team: string,
  before: TeamArtifacts | undefined,
  after: TeamArtifacts | undefined,
  context = 3,
): TeamFileChange[] {
  const old = filesOf(before);
  const next = filesOf(after);
  const keys = [...new Set([...old.keys(), ...next.keys()])].sort();
  const changes: TeamFileChange[] = [];
  for (const key of keys) {
    const a = old.get(key);
    const b = next.get(key);
    if (a && b && a.md5 === b.md5) continue;
    const aBytes = a ? artifactBytes(a) : undefined;
    const bBytes = b ? artifactBytes(b) : undefined;
    const aText = aBytes ? textOf(aBytes) : '';
    const bText = bBytes ? textOf(bBytes) : '';
    const binary = aText === undefined || bText === undefined;
    changes.push({
      team,
      key,
      change: !a ? 'added' : !b ? 'removed' : 'modified',
      beforeBytes: aBytes?.length,
      afterBytes: bBytes?.length,
      binary,
      diff: binary ? undefined : unifiedDiff(aText!, bText!, a ? `a/${key}` : '/dev/null', b ? `b/${key}` : '/dev/null', context),
    });
  }
  return changes;
}

/** Changed files of every team between two configurations' artifacts (a team added or removed counts too). */
export function diffAllTeamArtifacts(
  before: Readonly<Record<string, TeamArtifacts>>,
  after: Readonly<Record<string, TeamArtifacts>>,
  context = 3,
): TeamFileChange[] {
  const teams = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  return teams.flatMap((team) => diffTeamArtifacts(team, before[team], after[team], context));
}

const splitLines = (text: string): string[] => {
  if (text === '') return [];
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
};

type Op = { readonly kind: ' ' | '-' | '+'; readonly line: string };

/** Myers' O(ND) shortest edit script between two line lists. */
function editScript(a: readonly string[], b: readonly string[]): Op[] {
  const n = a.length;
  const m = b.length;
  const max = n + m;
  const v = new Int32Array(2 * max + 2);
  const trace: Int32Array[] = [];
  let found = false;
  for (let d = 0; d <= max && !found; d++) {
    trace.push(v.slice());
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && v[max + k - 1] < v[max + k + 1]) ? v[max + k + 1] : v[max + k - 1] + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      v[max + k] = x;
      if (x >= n && y >= m) {
        found = true;
        break;
      }
    }
  }
  // Walk the trace back from the end: each round is one insertion or deletion after a run of equal lines.
  const ops: Op[] = [];
  let x = n;
  let y = m;
  for (let d = trace.length - 1; d >= 0; d--) {
    const vd = trace[d];
    const k = x - y;
    const prevK = k === -d || (k !== d && vd[max + k - 1] < vd[max + k + 1]) ? k + 1 : k - 1;
    const prevX = vd[max + prevK];
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) {
      x--;
      y--;
      ops.push({ kind: ' ', line: a[x] });
    }
    if (d > 0) {
      if (x === prevX) ops.push({ kind: '+', line: b[prevY] });
      else ops.push({ kind: '-', line: a[prevX] });
    }
    x = prevX;
    y = prevY;
  }
  return ops.reverse();
}

/** A `diff -u` style text of two files; empty when they are equal. */
export function unifiedDiff(before: string, after: string, fromName: string, toName: string, context = 3): string {
  const a = splitLines(before);
  const b = splitLines(after);
  const ops = editScript(a, b);
  const changed = ops.map((op) => op.kind !== ' ');
  if (!changed.includes(true)) return '';
  const out = [`--- ${fromName}`, `+++ ${toName}`];
  let i = 0;
  while (i < ops.length) {
    if (!changed[i]) {
      i++;
      continue;
    }
    // A hunk: from `context` lines before the first change to `context` after the last change within reach.
    let start = Math.max(0, i - context);
    let end = i;
    while (end < ops.length) {
      if (changed[end]) {
        end++;
        continue;
      }
      let next = end;
      while (next < ops.length && !changed[next] && next - end < 2 * context) next++;
      if (next < ops.length && changed[next] && next - end < 2 * context) end = next;
      else break;
    }
    const stop = Math.min(ops.length, end + context);
    let aLine = 1;
    let bLine = 1;
    for (let j = 0; j < start; j++) {
      if (ops[j].kind !== '+') aLine++;
      if (ops[j].kind !== '-') bLine++;
    }
    const hunk = ops.slice(start, stop);
    const aCount = hunk.filter((op) => op.kind !== '+').length;
    const bCount = hunk.filter((op) => op.kind !== '-').length;
    out.push(`@@ -${aCount === 0 ? aLine - 1 : aLine},${aCount} +${bCount === 0 ? bLine - 1 : bLine},${bCount} @@`);
    for (const op of hunk) out.push(`${op.kind}${op.line}`);
    i = stop;
    start = stop;
  }
  return `${out.join('\n')}\n`;
}
