/**
 * Relative links of the README and docs/*.md that point nowhere: a file that does not exist, or an `#anchor` that
 * no heading of the target produces (GitHub's heading ids). test/docs/links.test.ts runs it over the repository, so a
 * moved section or a renamed doc fails `npm test`. Links in code blocks and inline code are not links.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

export interface BrokenLink {
  /** Repository-relative file holding the link. */
  readonly file: string;
  readonly line: number;
  readonly target: string;
  readonly reason: string;
}

/** GitHub's id for a heading: lower case, punctuation dropped (letters, digits, `-`, `_` and spaces kept), spaces → `-`. */
export function headingSlug(heading: string): string {
  // HTML tags are dropped, but not inside inline code, where `<team>` is text.
  return heading
    .split(/(`[^`]*`)/)
    .map((part) => (part.startsWith('`') ? part : part.replace(/<[^>]*>/g, '')))
    .join('')
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

/** Lines outside fenced code blocks; with `blankInlineCode`, inline code blanked so a `[x](y)` inside backticks is no link. */
function proseLines(markdown: string, blankInlineCode: boolean): Array<[number, string]> {
  const out: Array<[number, string]> = [];
  let fence: string | undefined;
  markdown.split('\n').forEach((text, i) => {
    const opener = /^\s*(`{3,}|~{3,})/.exec(text)?.[1];
    if (opener && (fence === undefined || opener.startsWith(fence))) {
      fence = fence === undefined ? opener : undefined;
      return;
    }
    if (fence === undefined) out.push([i + 1, blankInlineCode ? text.replace(/(`+)[^`]*?\1/g, (m) => ' '.repeat(m.length)) : text]);
  });
  return out;
}

/** Every anchor a markdown file offers: heading ids (duplicates numbered as GitHub does) and explicit `id`/`name` attributes. */
export function anchorsOf(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const [, text] of proseLines(markdown, false)) {
    const heading = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(text)?.[1];
    if (heading !== undefined) {
      const slug = headingSlug(heading);
      const n = seen.get(slug) ?? 0;
      seen.set(slug, n + 1);
      anchors.add(n === 0 ? slug : `${slug}-${n}`);
    }
    for (const m of text.matchAll(/<a\s+(?:id|name)="([^"]+)"/g)) anchors.add(m[1]);
  }
  return anchors;
}

/** The broken relative links of one markdown file; `root` makes the reported paths repository-relative. */
export function brokenLinks(file: string, root: string): BrokenLink[] {
  const markdown = readFileSync(file, 'utf8');
  const broken: BrokenLink[] = [];
  const name = relative(root, file);
  for (const [line, text] of proseLines(markdown, true)) {
    for (const m of text.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) {
      const target = m[1];
      if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // https:, mailto: …
      const [path, anchor] = target.split('#', 2) as [string, string | undefined];
      const resolved = path === '' ? file : resolve(dirname(file), decodeURIComponent(path));
      if (!existsSync(resolved)) {
        broken.push({ file: name, line, target, reason: `${relative(root, resolved)} does not exist` });
        continue;
      }
      if (anchor === undefined || anchor === '') continue;
      if (statSync(resolved).isDirectory() || !resolved.endsWith('.md')) {
        broken.push({ file: name, line, target, reason: `#${anchor} on ${relative(root, resolved)}, which is not a markdown file` });
      } else if (!anchorsOf(readFileSync(resolved, 'utf8')).has(anchor)) {
        broken.push({ file: name, line, target, reason: `no heading of ${relative(root, resolved)} has the id #${anchor}` });
      }
    }
  }
  return broken;
}

/** README.md and every markdown file under docs/. */
export function documentationFiles(root: string): string[] {
  const docs = join(root, 'docs');
  const inDocs = existsSync(docs)
    ? readdirSync(docs, { recursive: true, encoding: 'utf8' })
        .filter((f) => f.endsWith('.md'))
        .map((f) => join(docs, f))
    : [];
  return [join(root, 'README.md'), ...inDocs.sort()];
}
