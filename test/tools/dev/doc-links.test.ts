import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { anchorsOf, brokenLinks, documentationFiles, headingSlug } from '../../../tools/dev/doc-links';

const REPO = join(__dirname, '..', '..', '..');

describe('the README and docs/ link only to what exists', () => {
  test.each(documentationFiles(REPO).map((f) => [f.slice(REPO.length + 1), f]))(
    '%s: every relative link and #anchor resolves',
    (_name, file) => {
      expect(brokenLinks(file, REPO)).toEqual([]);
    },
  );

  test('every doc under docs/ is linked from the README', () => {
    const readme = documentationFiles(REPO)[0];
    const docs = documentationFiles(REPO)
      .slice(1)
      .map((f) => f.slice(REPO.length + 1));
    const text = readFileSync(readme, 'utf8');
    expect(docs.filter((d) => !text.includes(`](${d}`))).toEqual([]);
  });
});

describe('link checker (on its own fixtures)', () => {
  let root: string;
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'doc-links-'));
    mkdirSync(join(root, 'docs'));
    writeFileSync(
      join(root, 'docs', 'guide.md'),
      [
        '# Guide',
        '## `platform.yaml` and teams',
        '## Exit codes',
        '## Exit codes',
        '<a id="custom"></a>',
        '```sh',
        '# not a heading',
        '```',
      ].join('\n'),
    );
    writeFileSync(
      join(root, 'README.md'),
      [
        'See [guide](docs/guide.md), [yaml](docs/guide.md#platformyaml-and-teams), [twice](docs/guide.md#exit-codes-1),',
        '[custom](docs/guide.md#custom), [web](https://example.com/x.md), [self](#readme-title).',
        '# README title',
        'Broken: [missing](docs/missing.md) and [anchor](docs/guide.md#not-a-heading) and [own](#nowhere).',
        '`[inline](docs/ignored.md)` is code, and so is the block:',
        '```',
        '[fenced](docs/ignored.md)',
        '```',
      ].join('\n'),
    );
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  test('GitHub heading ids', () => {
    expect(headingSlug('`platform.yaml` and teams')).toBe('platformyaml-and-teams');
    expect(headingSlug('`teams/<team>.yaml`')).toBe('teamsteamyaml');
    expect(headingSlug('Exit codes <a id="x"></a>')).toBe('exit-codes');
    expect(headingSlug('Applying, and removing a team')).toBe('applying-and-removing-a-team');
    expect(headingSlug('First deployment: from empty accounts to running environments, and back')).toBe(
      'first-deployment-from-empty-accounts-to-running-environments-and-back',
    );
    expect([...anchorsOf('# A\n## A\n```\n# A\n```\n')]).toEqual(['a', 'a-1']);
  });

  test('reports a missing file, a missing anchor in another file and in the same file, with file and line', () => {
    expect(brokenLinks(join(root, 'README.md'), root)).toEqual([
      { file: 'README.md', line: 4, target: 'docs/missing.md', reason: 'docs/missing.md does not exist' },
      {
        file: 'README.md',
        line: 4,
        target: 'docs/guide.md#not-a-heading',
        reason: 'no heading of docs/guide.md has the id #not-a-heading',
      },
      { file: 'README.md', line: 4, target: '#nowhere', reason: 'no heading of README.md has the id #nowhere' },
    ]);
    expect(brokenLinks(join(root, 'docs', 'guide.md'), root)).toEqual([]);
  });

  test('lists the README first, then docs/*.md', () => {
    expect(documentationFiles(root).map((f) => f.slice(root.length + 1))).toEqual(['README.md', 'docs/guide.md']);
  });
});
