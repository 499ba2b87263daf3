/**
 * .github/workflows/prices.yml, the monthly refresh: its schedule, what it downloads and that the files land where
 * `npm run prices -- --from` reads them (its download step runs here with a curl that copies the recorded offers).
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { runTool } from '../../tools/lib/cli';
import type { PriceTable } from '../../tools/plan-review/cost';
import { OFFER_CODES, PRICE_LIST_HOST } from '../../tools/prices/offer';
import { PRICE_TABLE, PRICES_COMMAND, pricesMain } from '../../tools/prices/run';
import { fixtureConfigWith } from '../support/config-fixture';

type Step = { name?: string; run?: string; env?: Record<string, string> };
const ROOT = join(__dirname, '..', '..');
const FIXTURES = join(__dirname, '..', 'fixtures', 'price-list');
const workflow = parse(readFileSync(join(ROOT, '.github', 'workflows', 'prices.yml'), 'utf8'));
const job = workflow.jobs.refresh as { env: Record<string, string>; permissions: Record<string, string>; steps: Step[] };
const step = (name: string): Step => {
  const s = job.steps.find((x) => x.name === name);
  if (!s) throw new Error(`no step "${name}" in .github/workflows/prices.yml`);
  return s;
};

describe('the monthly price refresh workflow', () => {
  it('runs once a month (and on demand) with write access only to contents and pull requests', () => {
    const [minute, hour, day, month, weekday] = String(workflow.on.schedule[0].cron).split(' ');
    expect([month, weekday]).toEqual(['*', '*']);
    expect([minute, hour, day].every((f) => /^\d+$/.test(f))).toBe(true);
    expect(workflow.on).toHaveProperty('workflow_dispatch');
    expect(workflow.permissions).toEqual({});
    expect(job.permissions).toEqual({ contents: 'write', 'pull-requests': 'write' });
  });

  it('downloads every offer the tool reads, updates the table with npm run prices -- --from, and commits only prices.json', () => {
    expect(job.env.OFFERS.split(' ').sort()).toEqual([...OFFER_CODES].sort());
    expect(step('Regions to price').run).toContain('npm run -s prices -- --list-regions');
    expect(step('Download the offer files').run).toContain(`base=${PRICE_LIST_HOST}/offers/v1.0/aws`);
    expect(step('Update prices.json').run).toMatch(
      /^npm run prices -- --region "\$\{\{ steps\.regions\.outputs\.list \}\}" --from "\$OFFER_DIR"/,
    );
    const pr = step('Open or update the pull request').run!;
    expect(pr).toContain(`git diff --quiet -- ${PRICE_TABLE}`);
    expect(pr).toContain(`git add ${PRICE_TABLE}\n`);
    expect(pr).toMatch(/gh pr create --head "\$BRANCH"/);
    expect(pr).toMatch(/gh pr edit "\$BRANCH"/);
  });

  describe('its download step, run with a curl that serves the recorded offers', () => {
    let dir: string;
    const config = process.env.PLATFORM_CONFIG;
    beforeAll(() => {
      dir = mkdtempSync(join(tmpdir(), 'prices-workflow-'));
      process.env.PLATFORM_CONFIG = fixtureConfigWith();
    });
    afterAll(() => {
      rmSync(dir, { recursive: true, force: true });
      if (config === undefined) delete process.env.PLATFORM_CONFIG;
      else process.env.PLATFORM_CONFIG = config;
    });

    it('lays the files out as --from reads them, and the tool prices the region from them', async () => {
      const bin = join(dir, 'bin');
      mkdirSync(bin);
      // curl -fsSL --retry 3 --create-dirs -o <file> <url>: copy the recorded file the URL names.
      writeFileSync(
        join(bin, 'curl'),
        `#!/bin/sh\nwhile [ $# -gt 0 ]; do case "$1" in -o) out="$2"; shift 2;; --retry) shift 2;; -*) shift;; *) url="$1"; shift;; esac; done\n` +
          `mkdir -p "$(dirname "$out")" && cp "${FIXTURES}/\${url#${PRICE_LIST_HOST}/offers/v1.0/aws/}" "$out"\n`,
      );
      chmodSync(join(bin, 'curl'), 0o755);
      const githubEnv = join(dir, 'github-env');
      writeFileSync(githubEnv, '');
      const r = spawnSync('bash', ['-c', step('Download the offer files').run!], {
        encoding: 'utf8',
        env: {
          ...process.env,
          PATH: `${bin}:${process.env.PATH}`,
          RUNNER_TEMP: dir,
          GITHUB_ENV: githubEnv,
          OFFERS: job.env.OFFERS,
          REGIONS: 'us-east-1',
        },
      });
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      const offerDir = /^OFFER_DIR=(.*)$/m.exec(readFileSync(githubEnv, 'utf8'))![1];
      expect(offerDir).toBe(join(dir, 'offers'));

      const table = join(dir, 'prices.json');
      writeFileSync(table, readFileSync(join(ROOT, PRICE_TABLE)));
      const out: string[] = [];
      const err: string[] = [];
      const code = await runTool(
        PRICES_COMMAND,
        ['--region', 'us-east-1', '--from', offerDir, '--table', table],
        pricesMain(() => undefined),
        {
          out: (t) => out.push(t),
          err: (t) => err.push(t),
        },
      );
      expect(err).toEqual([]);
      expect(code).toBe(0);
      const written = JSON.parse(readFileSync(table, 'utf8')) as PriceTable;
      expect(written.regions['us-east-1'].mwaaEnvironmentHour['mw1.small'].source).toBe('price-list/AmazonMWAA/us-east-1');
      // It starts bash and a fake curl per offer: jest's 5 s default is too short on a loaded 2-core machine.
    }, 60_000);
  });
});
