import { artifactOf, type TeamArtifacts } from '../../model/artifacts';
import { diffAllTeamArtifacts, diffTeamArtifacts, unifiedDiff } from '../../model/team-files-diff';

const dags = (files: Record<string, string | Buffer>): TeamArtifacts => ({
  dags: Object.entries(files).map(([path, content]) => artifactOf(`dags/${path}`, Buffer.from(content))),
  environments: {},
});

describe('unifiedDiff', () => {
  it('prints diff -u hunks with three lines of context', () => {
    const before = 'a\nb\nc\nd\ne\nf\ng\nh\ni\nj\nk\n';
    const after = 'a\nB\nc\nd\ne\nf\ng\nh\ni\nj\nk\nl\n';
    expect(unifiedDiff(before, after, 'a/x.py', 'b/x.py')).toBe(
      [
        '--- a/x.py',
        '+++ b/x.py',
        '@@ -1,5 +1,5 @@',
        ' a',
        '-b',
        '+B',
        ' c',
        ' d',
        ' e',
        '@@ -9,3 +9,4 @@',
        ' i',
        ' j',
        ' k',
        '+l',
        '',
      ].join('\n'),
    );
  });

  it('is empty for equal texts and shows whole files when one side is empty', () => {
    expect(unifiedDiff('x\n', 'x\n', 'a', 'b')).toBe('');
    expect(unifiedDiff('', 'x\ny\n', '/dev/null', 'b/n.py')).toBe('--- /dev/null\n+++ b/n.py\n@@ -0,0 +1,2 @@\n+x\n+y\n');
  });
});

describe('diffTeamArtifacts', () => {
  it('shows the text of a changed DAG as Terraform never does (its plan holds base64)', () => {
    const changes = diffTeamArtifacts(
      'analytics',
      dags({ 'etl.py': "cmd = 'echo 1'\n", 'same.py': 'x\n' }),
      dags({ 'etl.py': "cmd = 'echo ${HOME}'\n", 'same.py': 'x\n' }),
    );
    expect(changes).toEqual([
      {
        team: 'analytics',
        key: 'dags/etl.py',
        change: 'modified',
        beforeBytes: 15,
        afterBytes: 21,
        binary: false,
        diff: "--- a/dags/etl.py\n+++ b/dags/etl.py\n@@ -1,1 +1,1 @@\n-cmd = 'echo 1'\n+cmd = 'echo ${HOME}'\n",
      },
    ]);
  });

  it('reports added, removed and binary files, and environment files', () => {
    const before: TeamArtifacts = {
      dags: dags({ 'old.py': 'x\n', 'bin.dat': Buffer.from([0xff, 0x00]) }).dags,
      environments: { prod: { requirements: artifactOf('environments/prod/requirements.txt', Buffer.from('a==1\n')) } },
    };
    const after: TeamArtifacts = {
      dags: dags({ 'new.py': 'y\n', 'bin.dat': Buffer.from([0xfe]) }).dags,
      environments: { prod: { requirements: artifactOf('environments/prod/requirements.txt', Buffer.from('a==2\n')) } },
    };
    const changes = diffTeamArtifacts('t', before, after);
    expect(changes.map((c) => [c.key, c.change, c.binary])).toEqual([
      ['dags/bin.dat', 'modified', true],
      ['dags/new.py', 'added', false],
      ['dags/old.py', 'removed', false],
      ['environments/prod/requirements.txt', 'modified', false],
    ]);
    expect(changes[0].diff).toBeUndefined();
    expect(changes[2]).toMatchObject({
      beforeBytes: 2,
      afterBytes: undefined,
      diff: '--- a/dags/old.py\n+++ /dev/null\n@@ -1,1 +0,0 @@\n-x\n',
    });
    expect(changes[3].diff).toBe(
      '--- a/environments/prod/requirements.txt\n+++ b/environments/prod/requirements.txt\n@@ -1,1 +1,1 @@\n-a==1\n+a==2\n',
    );
  });

  it('covers teams added or removed between two configurations', () => {
    const changes = diffAllTeamArtifacts({ gone: dags({ 'a.py': '1\n' }) }, { fresh: dags({ 'b.py': '2\n' }) });
    expect(changes.map((c) => `${c.team} ${c.key} ${c.change}`)).toEqual(['fresh dags/b.py added', 'gone dags/a.py removed']);
  });
});
