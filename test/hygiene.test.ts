import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { networkFingerprint } from '../model/contract';
import { loadPlatformConfig } from '../model/load';
import { cdktfExports } from '../tools/lib/cdktf-env';
import { CLI_CONFIG_FILE, offlineTerraformVariables, terraformEnv } from '../tools/lib/terraform';
import { FIXTURE_CONFIG, fixtureConfigWith } from './support/config-fixture';
import { sweepStaleScratch } from './global-tmpdir';

const ROOT = join(__dirname, '..');

describe('synthesis hygiene', () => {
  it('leaves nothing in the temporary directory and prints one line saying what it wrote', () => {
    const scratch = mkdtempSync(join(tmpdir(), 'hygiene-'));
    const tmp = join(scratch, 'tmp');
    mkdirSync(tmp);
    const outdir = join(scratch, 'cdktf.out');
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'main.ts'], {
      cwd: ROOT,
      env: { ...process.env, TMPDIR: tmp, PREVIEW: 'offline', PLATFORM_CONFIG: FIXTURE_CONFIG, CDKTF_OUTDIR: outdir },
      encoding: 'utf8',
    });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    // tsx keeps its compile cache there (tsx-<uid>), reused by every run; nothing else may remain.
    expect(readdirSync(tmp).filter((entry) => !/^tsx-\d+$/.test(entry))).toEqual([]);
    expect(r.stdout.trim().split('\n')).toEqual([
      `Synthesized 3 stacks (owner, participant-analytics, participant-marketing) into ${outdir} with offline-preview providers (no AWS credentials needed)`,
    ]);
  });
});

describe('test scratch directories', () => {
  it('a run that never reached teardown (killed) is swept by the next run; live runs and other files are kept', () => {
    const parent = mkdtempSync(join(tmpdir(), 'sweep-'));
    const dead = spawnSync('true').pid!;
    const live = process.ppid;
    for (const name of [
      `mwaa-platform-jest-${dead}-aB3dEf`,
      `mwaa-platform-jest-${live}-gH4iJk`,
      `mwaa-platform-jest-${process.pid}-mine00`,
      'mwaa-platform-jest-noPid1',
      'tsx-0',
    ]) {
      mkdirSync(join(parent, name, 'cdktf.outdir.x'), { recursive: true });
    }
    expect(sweepStaleScratch(parent, (pid) => pid !== dead)).toEqual([`mwaa-platform-jest-${dead}-aB3dEf`]);
    expect(readdirSync(parent).sort()).toEqual(
      [`mwaa-platform-jest-${live}-gH4iJk`, `mwaa-platform-jest-${process.pid}-mine00`, 'mwaa-platform-jest-noPid1', 'tsx-0'].sort(),
    );
    // With the real liveness check: the dead pid's directory goes, the parent's (alive) stays.
    mkdirSync(join(parent, `mwaa-platform-jest-${dead}-again0`));
    expect(sweepStaleScratch(parent)).toEqual([`mwaa-platform-jest-${dead}-again0`]);
  });

  it('teardown puts TMPDIR back, so a process that runs jest again (a Stryker test runner) can set up its next run', () => {
    // In a child process: jest gives each test file its own copy of process.env, which os.tmpdir() does not read.
    const parent = mkdtempSync(join(tmpdir(), 'rerun-'));
    const script = [
      `const { existsSync } = require('node:fs');`,
      `const { setup, teardown } = require(${JSON.stringify(join(__dirname, 'global-tmpdir'))});`,
      `const runs = [];`,
      `for (const run of [1, 2]) { setup(); const scratch = process.env.TMPDIR; teardown(); runs.push({ scratch, removed: !existsSync(scratch), after: process.env.TMPDIR }); }`,
      `delete process.env.TMPDIR; setup(); teardown(); runs.push({ unsetAfter: process.env.TMPDIR ?? null });`,
      `console.log(JSON.stringify(runs));`,
    ].join('\n');
    const r = spawnSync(process.execPath, ['--import', 'tsx', '-e', script], { encoding: 'utf8', env: { ...process.env, TMPDIR: parent } });
    expect(r.stderr).toBe('');
    const runs = JSON.parse(r.stdout) as Array<Record<string, unknown>>;
    const scratch = expect.stringMatching(new RegExp(`^${parent}/mwaa-platform-jest-\\d+-`));
    expect(runs).toEqual([{ scratch, removed: true, after: parent }, { scratch, removed: true, after: parent }, { unsetAfter: null }]);
    // Nothing of the runs is left (tsx-<uid> is tsx's compile cache for the child).
    expect(readdirSync(parent).filter((name) => !name.startsWith('tsx-'))).toEqual([]);
  });
});

describe('offline Terraform CLI configuration', () => {
  it('is one project-local file that installs providers only from the mirror', () => {
    const env = terraformEnv();
    expect(env.TF_CLI_CONFIG_FILE).toBe(join(ROOT, '.terraform-cli.tfrc'));
    expect(CLI_CONFIG_FILE).toBe(join(ROOT, '.terraform-cli.tfrc'));
    const content = readFileSync(CLI_CONFIG_FILE, 'utf8');
    expect(content).toContain(`filesystem_mirror {\n    path = "${process.env.TF_PLUGIN_DIR || '/opt/tf-plugins'}"`);
    expect(content).not.toMatch(/direct|network_mirror/);
    expect(env.CHECKPOINT_DISABLE).toBe('1');
    expect(env.TF_CLI_ARGS_providers_lock).toBe(`-fs-mirror=${process.env.TF_PLUGIN_DIR || '/opt/tf-plugins'}`);
  });

  it('is printed as shell exports for the cdktf CLI', () => {
    const lines = cdktfExports(true).split('\n');
    expect(lines).toEqual(
      expect.arrayContaining([
        `export TF_CLI_CONFIG_FILE='${CLI_CONFIG_FILE}'`,
        "export CHECKPOINT_DISABLE='1'",
        "export PREVIEW='offline'",
      ]),
    );
    expect(cdktfExports(false)).not.toContain('PREVIEW');
    expect(Object.keys(offlineTerraformVariables()).length + 1).toBe(lines.length);
  });

  it('publish-network reads the owner outputs through the same configuration', () => {
    // A stand-in terraform on PATH records the CLI config it was given and prints owner outputs.
    const scratch = mkdtempSync(join(tmpdir(), 'publish-'));
    const bin = join(scratch, 'bin');
    mkdirSync(bin);
    mkdirSync(join(scratch, 'cdktf.out', 'stacks', 'owner'), { recursive: true });
    const config = fixtureConfigWith();
    const { platform } = loadPlatformConfig(config, { ownerOnly: true });
    const outputs = {
      vpc_id: { value: 'vpc-0abc1234def567890' },
      subnet_ids: { value: ['subnet-0abc1234def567890', 'subnet-0abc1234def567891'] },
      endpoint_security_group_id: { value: 'sg-0abc1234def567890' },
      s3_prefix_list_id: { value: 'pl-6da54004' },
      event_bus_arn: { value: 'arn:aws:events:eu-west-1:111111111111:event-bus/acme-data-mwaa-status' },
      network_fingerprint: { value: networkFingerprint(platform) },
      // The example's owner stack has the PyPI mirror.
      codeartifact_domain: { value: 'acme-data' },
      codeartifact_domain_owner: { value: '111111111111' },
      codeartifact_repository: { value: 'pypi' },
    };
    writeFileSync(join(scratch, 'outputs.json'), JSON.stringify(outputs));
    // The owner stack as synthesized (publish-network refuses to read outputs of a stack that was never synthesized).
    mkdirSync(join(scratch, 'cdktf.out', 'stacks', 'owner'), { recursive: true });
    writeFileSync(join(scratch, 'cdktf.out', 'stacks', 'owner', 'cdk.tf.json'), '{}');
    writeFileSync(
      join(bin, 'terraform'),
      `#!/bin/sh\necho "$TF_CLI_CONFIG_FILE $CHECKPOINT_DISABLE $*" > "${join(scratch, 'seen')}"\ncat "${join(scratch, 'outputs.json')}"\n`,
      { mode: 0o755 },
    );
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'tools/publish-network.ts'], {
      cwd: ROOT,
      env: { ...process.env, PATH: `${bin}:${process.env.PATH}`, PLATFORM_CONFIG: config, CDKTF_OUTDIR: join(scratch, 'cdktf.out') },
      encoding: 'utf8',
    });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(readFileSync(join(scratch, 'seen'), 'utf8').trim()).toBe(`${CLI_CONFIG_FILE} 1 output -json -no-color`);
    expect(JSON.parse(readFileSync(join(config, 'network-contract.json'), 'utf8'))).toMatchObject({
      vpcId: 'vpc-0abc1234def567890',
      source: 'terraform-output',
    });
  });
});
