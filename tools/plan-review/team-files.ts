/** Difference of the team files (DAGs, requirements, team YAML) between two revisions, from the files themselves. Pure. */
import { unifiedDiff } from '../../model/team-files-diff';

export interface TeamFileChange {
  readonly path: string;
  readonly status: 'added' | 'removed' | 'modified';
  /** Lines added / removed (a multiset line diff, enough for a review summary). */
  readonly added: number;
  readonly removed: number;
  /**
   * Unified diff of the text, for the reviewer to read what changed (the plan shows only base64): present when
   * asked for and the file is text on both sides (see `readTree` for how binary files and links appear).
   */
  readonly diff?: string;
}

const lines = (s: string): string[] => (s === '' ? [] : s.replace(/\n$/, '').split('\n'));

function lineDelta(before: string, after: string): { added: number; removed: number } {
  const left = new Map<string, number>();
  for (const l of lines(before)) left.set(l, (left.get(l) ?? 0) + 1);
  let added = 0;
  for (const l of lines(after)) {
    const n = left.get(l) ?? 0;
    if (n > 0) left.set(l, n - 1);
    else added++;
  }
  const removed = [...left.values()].reduce((a, b) => a + b, 0);
  return { added, removed };
}

/** Files added, removed or modified between `base` and `head` (path → content), sorted by path; `withDiff` adds each one's unified diff. */
export function diffTeamFiles(
  base: ReadonlyMap<string, string>,
  head: ReadonlyMap<string, string>,
  options: { readonly withDiff?: boolean } = {},
): TeamFileChange[] {
  const out: TeamFileChange[] = [];
  const diff = (path: string, before: string | undefined, after: string | undefined) =>
    options.withDiff
      ? {
          diff: unifiedDiff(
            before ?? '',
            after ?? '',
            before === undefined ? '/dev/null' : `a/${path}`,
            after === undefined ? '/dev/null' : `b/${path}`,
          ),
        }
      : {};
  for (const [path, content] of head) {
    const prior = base.get(path);
    if (prior === undefined)
      out.push({ path, status: 'added', added: lines(content).length, removed: 0, ...diff(path, undefined, content) });
    else if (prior !== content) out.push({ path, status: 'modified', ...lineDelta(prior, content), ...diff(path, prior, content) });
  }
  for (const [path, content] of base)
    if (!head.has(path)) out.push({ path, status: 'removed', added: 0, removed: lines(content).length, ...diff(path, content, undefined) });
  return out.sort((a, b) => a.path.localeCompare(b.path));
}
