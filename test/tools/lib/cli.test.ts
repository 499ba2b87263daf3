import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ConfigError } from '../../../model/errors';
import { helpText, parseCommandLine, runTool, UsageError, type OptionSpec, type ToolSpec } from '../../../tools/lib/cli';
import { FIXTURE_CONFIG } from '../../support/fixture-paths';

const ROOT = resolve(__dirname, '..', '..', '..');

const spec = {
  command: 'npm run demo --',
  summary: 'Demonstrates the convention.',
  options: {
    stack: { type: 'string', valueName: 'name', description: 'one stack' },
    out: { type: 'string', valueName: 'file', default: 'x.md', description: 'output file' },
    json: { type: 'boolean', description: 'print JSON' },
  },
  positionals: { usage: '[input]', description: 'an input file', max: 1 },
  exitCodes: { 0: 'fine', 1: 'not fine' },
} as const satisfies ToolSpec<Readonly<Record<string, OptionSpec>>>;

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (t: string) => out.push(t), err: (t: string) => err.push(t) }, out, err };
}

describe('parseCommandLine', () => {
  test('values, defaults and positionals', () => {
    expect(parseCommandLine(spec, ['--stack', 'owner', '--json', 'in.json'])).toEqual({
      values: { stack: 'owner', out: 'x.md', json: true },
      positionals: ['in.json'],
    });
    expect(parseCommandLine(spec, [])).toEqual({ values: { stack: undefined, out: 'x.md', json: false }, positionals: [] });
    expect(parseCommandLine(spec, ['--out=y.md'])?.values.out).toBe('y.md');
  });

  test('--help and -h ask for help', () => {
    expect(parseCommandLine(spec, ['--help'])).toBeUndefined();
    expect(parseCommandLine(spec, ['--json', '-h'])).toBeUndefined();
  });

  test.each([
    [['--bogus'], /^Unknown option '--bogus'$/],
    [['--stack'], /^Option '--stack <value>' argument missing$/],
    [['--json=yes'], /^Option '--json' does not take an argument$/],
    [['a', 'b'], /^unexpected argument: b$/],
    [['--stack='], /^option --stack needs a name, got ""$/],
  ])('%j is a usage error', (argv, message) => {
    expect(() => parseCommandLine(spec, argv)).toThrow(UsageError);
    expect(() => parseCommandLine(spec, argv)).toThrow(message);
  });

  test('a tool without positionals refuses one', () => {
    expect(() => parseCommandLine({ ...spec, positionals: undefined }, ['x'])).toThrow(/^unexpected argument: x$/);
  });
});

describe('helpText', () => {
  test('usage line, options with placeholders and defaults, and every exit code including 2', () => {
    expect(helpText(spec)).toBe(
      [
        'Usage: npm run demo -- [options] [input]',
        '',
        'Demonstrates the convention.',
        '',
        'Options:',
        '  [input]         an input file',
        '  --stack <name>  one stack',
        '  --out <file>    output file (default: x.md)',
        '  --json          print JSON',
        '  -h, --help      show this help and exit',
        '',
        'Exit codes:',
        '  0  fine',
        '  1  not fine',
        '  2  usage error or invalid configuration; nothing was run',
        '',
      ].join('\n'),
    );
  });
});

describe('runTool', () => {
  test('--help prints the help on stdout, exits 0 and does not run the tool', async () => {
    const c = capture();
    const main = jest.fn(() => 1);
    expect(await runTool(spec, ['--help'], main, c.io)).toBe(0);
    expect(main).not.toHaveBeenCalled();
    expect(c.out.join('\n')).toContain('Usage: npm run demo -- [options]');
  });

  test('a usage error exits 2 with the problem and a pointer to --help on stderr, without running the tool', async () => {
    const c = capture();
    const main = jest.fn(() => 0);
    expect(await runTool(spec, ['--nope'], main, c.io)).toBe(2);
    expect(main).not.toHaveBeenCalled();
    expect(c.err).toEqual(["npm run demo: Unknown option '--nope'\nRun `npm run demo -- --help` for usage."]);
  });

  test('the tool’s own code passes through; UsageError and ConfigError are 2, other errors 1', async () => {
    expect(await runTool(spec, [], () => 4, capture().io)).toBe(4);
    expect(await runTool(spec, [], async () => 0, capture().io)).toBe(0);
    expect(
      await runTool(
        spec,
        [],
        () => {
          throw new UsageError('no stack x');
        },
        capture().io,
      ),
    ).toBe(2);
    const config = capture();
    const problem = { file: 'config/platform.yaml', path: 'region', message: 'must be an AWS region name' };
    expect(
      await runTool(
        spec,
        [],
        () => {
          throw new ConfigError([problem]);
        },
        config.io,
      ),
    ).toBe(2);
    expect(config.err[0]).toContain('config/platform.yaml at region: must be an AWS region name');
    const failed = capture();
    expect(
      await runTool(
        spec,
        [],
        () => {
          throw new Error('terraform exited 1');
        },
        failed.io,
      ),
    ).toBe(1);
    expect(failed.err).toEqual(['npm run demo failed: terraform exited 1']);
  });
});

describe('the tools through npm', () => {
  const npm = (args: string[], env: Record<string, string> = {}) =>
    spawnSync('npm', ['run', '--silent', ...args], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, PLATFORM_CONFIG: FIXTURE_CONFIG, ...env },
    });

  test.each([
    [
      'prices',
      /^Usage: npm run prices -- \[options\]/,
      /--from <dir>/,
      /\n {2}1 {2}an offer could not be downloaded or read; nothing was written/,
    ],
    ['plan', /^Usage: npm run plan -- \[options\]/, /--detailed-exitcode/, /\n {2}4 {2}with --detailed-exitcode: risky changes/],
    ['check', /^Usage: npm run check -- \[options\]/, /--no-synth/, /\n {2}1 {2}unsuppressed findings/],
    ['validate', /^Usage: npm run validate -- \[options\]/, /--json/, /\n {2}1 {2}unsuppressed findings, or synthesis failed/],
    ['publish-network', /^Usage: npm run publish-network -- \[options\] \[outputs\.json\]/, /outputs\.json/, /\n {2}0 {2}contract written/],
    ['bench', /^Usage: npm run bench -- \[options\]/, /--quick/, /\n {2}2 {2}usage error/],
    [
      'docs',
      /^Usage: npm run docs -- \[options\]/,
      /--check/,
      /\n {2}1 {2}with --check: docs\/configuration\.md or a generated docs section is stale/,
    ],
  ])('npm run %s -- --help prints usage and exits 0', (tool, usage, option, code) => {
    const r = npm([tool, '--', '--help']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(usage);
    expect(r.stdout).toMatch(option);
    expect(r.stdout).toMatch(code);
  });

  test('a usage error exits 2 before anything runs', () => {
    const r = npm(['check', '--', '--stak', 'owner']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("npm run check: Unknown option '--stak'");
    expect(r.stdout).toBe('');
  });

  test('an invalid configuration exits 2 naming file and field, before synthesis', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cli-config-'));
    try {
      writeFileSync(join(dir, 'platform.yaml'), 'platform: demo\nregion: nowhere\n');
      const r = npm(['check'], { PLATFORM_CONFIG: dir, CDKTF_OUTDIR: join(dir, 'out') });
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(/platform\.yaml at region: must be an AWS region name/);
      expect(r.stderr).not.toMatch(/synthesis/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
