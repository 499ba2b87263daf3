/**
 * Terraform tier: a team folder full of text Terraform would evaluate reaches S3 byte for byte. A temporary
 * repository (the example's config plus a `hostile` team) is synthesized through main.ts, then the team's stack
 * goes through a real offline `terraform plan`; the planned `content_base64` of every object must decode to the
 * exact bytes of the file in the repository, and nothing may be planned as `content`.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { initAsync, planAsync, requireTerraform, showJsonAsync } from '../../tools/terraform';

jest.setTimeout(600_000);

const ROOT = join(__dirname, '..', '..');

/** File (repository-relative) → exact bytes. */
const FILES: Record<string, Buffer> = {
  'teams/hostile/dags/interpolation.py': Buffer.from("from airflow.operators.bash import BashOperator\ncmd = 'echo ${HOME} ${path.cwd} ${var.x}'\n"),
  'teams/hostile/dags/escaped_interpolation.py': Buffer.from('literal = "$${HOME} and $$${x}"\n'),
  'teams/hostile/dags/directive.py': Buffer.from('template = "%{ if true }yes%{ endif } %{ for x in [1] }${x}%{ endfor }"\n'),
  'teams/hostile/dags/escaped_directive.py': Buffer.from('literal = "%%{ not a directive }"\n'),
  'teams/hostile/dags/file_call.py': Buffer.from('secret = """${file("/etc/passwd")}"""\nalso = "${filebase64("~/.aws/credentials")}"\n'),
  'teams/hostile/dags/cdktf_token.py': Buffer.from('token = "${TfToken[TOKEN.1]}"\n'),
  'teams/hostile/dags/latin1.py': Buffer.from([0x23, 0x20, 0xe9, 0x74, 0xe9, 0x0a, 0xff, 0xfe, 0x00, 0x80, 0x24, 0x7b, 0x7d, 0x0a]),
  'teams/hostile/dags/empty.py': Buffer.alloc(0),
  'teams/hostile/dags/nested/deeper/crlf.py': Buffer.from('x = 1\r\ny = "${x}"\r\n'),
  'teams/hostile/requirements.txt': Buffer.from('apache-airflow-providers-amazon\n# ${file("/etc/hostname")}\n'),
  'teams/hostile/startup.sh': Buffer.from('#!/bin/sh\nexport GREETING="%{ if true }hi%{ endif } ${HOME}"\n'),
};

const TEAM_FILE = `team: hostile
accountId: "444444444444"
environments:
  - name: hostile-main
    airflowVersion: "2.10.3"
    environmentClass: mw1.small
    requirementsFile: teams/hostile/requirements.txt
    startupScriptFile: teams/hostile/startup.sh
`;

/** Expected key in the bucket → exact bytes. */
const EXPECTED: Record<string, Buffer> = Object.fromEntries(
  Object.entries(FILES).map(([path, bytes]) => [
    path.startsWith('teams/hostile/dags/') ? `dags/${path.slice('teams/hostile/dags/'.length)}` : `environments/hostile-main/${path.endsWith('.txt') ? 'requirements.txt' : 'startup.sh'}`,
    bytes,
  ]),
);

let objects: Array<{ address: string; values: any }>;

beforeAll(async () => {
  requireTerraform();
  const repo = mkdtempSync(join(tmpdir(), 'tf-bytes-'));
  cpSync(join(ROOT, 'config'), join(repo, 'config'), { recursive: true });
  cpSync(join(ROOT, 'teams'), join(repo, 'teams'), { recursive: true });
  writeFileSync(join(repo, 'config', 'teams', 'hostile.yaml'), TEAM_FILE);
  for (const [path, bytes] of Object.entries(FILES)) {
    mkdirSync(dirname(join(repo, path)), { recursive: true });
    writeFileSync(join(repo, path), bytes);
  }
  const outdir = join(repo, 'cdktf.out');
  const synth = spawnSync(join(ROOT, 'node_modules', '.bin', 'tsx'), [join(ROOT, 'main.ts')], {
    cwd: tmpdir(),
    env: { ...process.env, PREVIEW: 'offline', PLATFORM_CONFIG: join(repo, 'config'), CDKTF_OUTDIR: outdir },
    encoding: 'utf8',
  });
  if (synth.status !== 0) throw new Error(`synth failed:\n${synth.stderr}`);
  const dir = join(outdir, 'stacks', 'participant-hostile');
  await initAsync(dir);
  await planAsync(dir, 'tfplan');
  const plan = (await showJsonAsync(dir, 'tfplan')) as any;
  objects = plan.planned_values.root_module.resources.filter((r: any) => r.type === 'aws_s3_object');
  // The synthesized JSON holds the bytes as base64 only: no template text a later tool could evaluate.
  const synthesized = readFileSync(join(dir, 'cdk.tf.json'), 'utf8');
  expect(synthesized).not.toContain('/etc/passwd');
});

describe('terraform: a hostile team folder is uploaded byte for byte', () => {
  it('plans exactly one object per file, under the expected keys', () => {
    expect(objects.map((o) => o.values.key).sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  it.each(Object.keys(EXPECTED))('%s: the planned content_base64 decodes to the exact bytes, and no content is planned', (key) => {
    const object = objects.find((o) => o.values.key === key)!;
    expect(object.values.content ?? null).toBeNull();
    expect(object.values.source ?? null).toBeNull();
    expect(object.values.content_base64).toBe(EXPECTED[key].toString('base64'));
    expect(Buffer.from(object.values.content_base64, 'base64').equals(EXPECTED[key])).toBe(true);
  });

  it('plans the empty file as an empty object, not a missing one', () => {
    expect(objects.find((o) => o.values.key === 'dags/empty.py')!.values.content_base64).toBe('');
  });
});
