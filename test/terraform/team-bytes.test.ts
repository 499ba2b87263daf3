/**
 * Terraform tier: a team folder full of text Terraform would evaluate reaches S3 byte for byte. A temporary
 * repository (the example's config plus a `hostile` team) is synthesized through main.ts, then the team's stack
 * goes through a real offline `terraform plan`; the planned `content_base64` of every object must decode to the
 * exact bytes of the file in the repository, and nothing may be planned as `content`.
 *
 * Issue 10's "done when": the folder holds every hostile input the platform accepts at once (template syntax in
 * DAGs, requirements, plugins and startup script, non-UTF-8 and empty files, links that stay inside the team's
 * folder, odd but legal names, accepted tags and options), and a twin repository with the same team file but
 * harmless files must synthesize every other stack byte for byte the same: the folder can change nothing
 * outside its own stack, and inside it nothing but the objects' bytes.
 */
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { initAsync, planAsync, requireTerraform, showJsonAsync } from '../../tools/lib/terraform';
import { FIXTURE_ROOT } from '../support/fixture-paths';
import { runMain } from '../support/synth';

jest.setTimeout(600_000);

/** File (repository-relative) → exact bytes. */
const FILES: Record<string, Buffer> = {
  'teams/hostile/dags/interpolation.py': Buffer.from(
    "from airflow.operators.bash import BashOperator\ncmd = 'echo ${HOME} ${path.cwd} ${var.x}'\n",
  ),
  'teams/hostile/dags/escaped_interpolation.py': Buffer.from('literal = "$${HOME} and $$${x}"\n'),
  'teams/hostile/dags/directive.py': Buffer.from('template = "%{ if true }yes%{ endif } %{ for x in [1] }${x}%{ endfor }"\n'),
  'teams/hostile/dags/escaped_directive.py': Buffer.from('literal = "%%{ not a directive }"\n'),
  'teams/hostile/dags/file_call.py': Buffer.from('secret = """${file("/etc/passwd")}"""\nalso = "${filebase64("~/.aws/credentials")}"\n'),
  'teams/hostile/dags/cdktf_token.py': Buffer.from('token = "${TfToken[TOKEN.1]}"\n'),
  'teams/hostile/dags/latin1.py': Buffer.from([0x23, 0x20, 0xe9, 0x74, 0xe9, 0x0a, 0xff, 0xfe, 0x00, 0x80, 0x24, 0x7b, 0x7d, 0x0a]),
  'teams/hostile/dags/empty.py': Buffer.alloc(0),
  'teams/hostile/dags/nested/deeper/crlf.py': Buffer.from('x = 1\r\ny = "${x}"\r\n'),
  'teams/hostile/dags/names/with space é ü.py': Buffer.from('# odd but legal file name\n'),
  'teams/hostile/dags/names/quote"d\'.py': Buffer.from('x = "${var.quoted}"\n'),
  'teams/hostile/dags/.airflowignore': Buffer.from('names/.*\n${HOME}\n'),
  'teams/hostile/dags/dollar_only.py': Buffer.from('plain = "$HOME %s 100% $ {x} % {y}"\n'),
  'teams/hostile/lib/shared.py': Buffer.from('shared = "${file(\\"/etc/shadow\\")}"\n'),
  'teams/hostile/requirements.txt': Buffer.from('apache-airflow-providers-amazon\n# ${file("/etc/hostname")}\n'),
  'teams/hostile/startup.sh': Buffer.from('#!/bin/sh\nexport GREETING="%{ if true }hi%{ endif } ${HOME}"\n'),
  'teams/hostile/plugins.zip': Buffer.concat([
    Buffer.from('PK\x03\x04${file("/etc/passwd")}%{ for x in [1] }'),
    Buffer.from([0, 0xff, 0xfe, 0x80]),
  ]),
};

/** Links inside the team's folder (a file and a folder), followed like the files they point at. */
const LINKS: Record<string, string> = {
  'teams/hostile/dags/shared_link.py': '../lib/shared.py',
  'teams/hostile/dags/lib_link': '../lib',
};

/** Not uploaded: byte code and caches (model/artifacts.ts). */
const SKIPPED: Record<string, Buffer> = {
  'teams/hostile/dags/__pycache__/x.cpython-311.pyc': Buffer.from([0x6f, 0x0d, 0x0d, 0x0a, 0x24, 0x7b]),
};

const TEAM_FILE = `team: hostile
accountId: "444444444444"
environments:
  - name: hostile-main
    airflowVersion: "2.10.3"
    environmentClass: mw1.small
    requirementsFile: teams/hostile/requirements.txt
    startupScriptFile: teams/hostile/startup.sh
    pluginsFile: teams/hostile/plugins.zip
    airflowConfigurationOptions:
      core.default_task_retries: "3"
      webserver.instance_name: "$HOME 100% {not a template}"
    tags:
      Équipe: "données/été @x=y+z"
tags:
  Owner: "data:eng/é_1 +=@."
`;

const ENVIRONMENT_FILES: Record<string, string> = {
  'teams/hostile/requirements.txt': 'environments/hostile-main/requirements.txt',
  'teams/hostile/startup.sh': 'environments/hostile-main/startup.sh',
  'teams/hostile/plugins.zip': 'environments/hostile-main/plugins.zip',
};

/** Expected key in the bucket → exact bytes (a linked folder uploads its files under the link's name). */
const EXPECTED: Record<string, Buffer> = {
  ...Object.fromEntries(
    Object.entries(FILES)
      .filter(([path]) => path.startsWith('teams/hostile/dags/') || ENVIRONMENT_FILES[path])
      .map(([path, bytes]) => [ENVIRONMENT_FILES[path] ?? `dags/${path.slice('teams/hostile/dags/'.length)}`, bytes]),
  ),
  'dags/shared_link.py': FILES['teams/hostile/lib/shared.py'],
  'dags/lib_link/shared.py': FILES['teams/hostile/lib/shared.py'],
};

/** A repository with the fixture platform's config, the hostile team file and `files` (path → bytes) plus the links. */
function repository(files: Record<string, Buffer>): string {
  const repo = mkdtempSync(join(tmpdir(), 'tf-bytes-'));
  cpSync(join(FIXTURE_ROOT, 'config'), join(repo, 'config'), { recursive: true });
  cpSync(join(FIXTURE_ROOT, 'teams'), join(repo, 'teams'), { recursive: true });
  writeFileSync(join(repo, 'config', 'teams', 'hostile.yaml'), TEAM_FILE);
  for (const [path, bytes] of Object.entries(files)) {
    mkdirSync(dirname(join(repo, path)), { recursive: true });
    writeFileSync(join(repo, path), bytes);
  }
  for (const [link, target] of Object.entries(LINKS)) symlinkSync(target, join(repo, link));
  return repo;
}

/** main.ts's synthesis (what `npm run synth` runs) on a repository, in this process; returns cdktf.out. */
function synthesize(repo: string): string {
  const outdir = join(repo, 'cdktf.out');
  const synth = runMain({ PREVIEW: 'offline', PLATFORM_CONFIG: join(repo, 'config'), CDKTF_OUTDIR: outdir });
  if (synth.status !== 0) throw new Error(`synth failed:\n${synth.stderr}`);
  return outdir;
}

const stackJson = (outdir: string, stack: string) => readFileSync(join(outdir, 'stacks', stack, 'cdk.tf.json'), 'utf8');

let objects: Array<{ address: string; values: any }>;

let hostileOut: string;
let twinOut: string;

beforeAll(async () => {
  requireTerraform();
  hostileOut = synthesize(repository({ ...FILES, ...SKIPPED }));
  // The twin: the same team file, every file replaced by harmless text of its own name.
  twinOut = synthesize(repository(Object.fromEntries(Object.keys(FILES).map((path) => [path, Buffer.from(`# harmless ${path}\n`)]))));
  const dir = join(hostileOut, 'stacks', 'participant-hostile');
  await initAsync(dir);
  await planAsync(dir, 'tfplan');
  const plan = (await showJsonAsync(dir, 'tfplan')) as any;
  objects = plan.planned_values.root_module.resources.filter((r: any) => r.type === 'aws_s3_object');
  // The synthesized JSON holds the bytes as base64 only: no template text a later tool could evaluate.
  const synthesized = stackJson(hostileOut, 'participant-hostile');
  expect(synthesized).not.toContain('/etc/passwd');
  expect(synthesized).not.toContain('/etc/shadow');
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

describe('terraform: every accepted hostile input together changes nothing outside the team stack', () => {
  it('synthesizes the same stacks as the harmless twin', () => {
    expect(readdirSync(join(hostileOut, 'stacks')).sort()).toEqual(readdirSync(join(twinOut, 'stacks')).sort());
  });

  it('leaves every other stack byte for byte as the harmless twin has it', () => {
    const others = readdirSync(join(hostileOut, 'stacks')).filter((s) => s !== 'participant-hostile');
    expect(others.sort()).toEqual(['owner', 'participant-analytics', 'participant-marketing']);
    for (const stack of others) expect(stackJson(hostileOut, stack)).toBe(stackJson(twinOut, stack));
  });

  it("changes only the objects' bytes and hashes inside the team's own stack", () => {
    const withoutBytes = (json: string) => {
      const stack = JSON.parse(json);
      for (const object of Object.values(stack.resource.aws_s3_object) as any[]) {
        expect(Object.keys(object)).not.toContain('content');
        object.content_base64 = '<bytes>';
        object.source_hash = '<md5>';
      }
      return stack;
    };
    expect(withoutBytes(stackJson(hostileOut, 'participant-hostile'))).toEqual(withoutBytes(stackJson(twinOut, 'participant-hostile')));
  });
});
