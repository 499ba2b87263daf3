import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

const dir = join(__dirname, '..', '..', '.github', 'workflows');
const workflows = readdirSync(dir)
  .filter((f) => f.endsWith('.yml'))
  .map((f) => ({ file: f, text: readFileSync(join(dir, f), 'utf8') }));

type Step = { uses?: string; run?: string; with?: Record<string, unknown>; env?: Record<string, string> };
type Job = {
  needs?: string | string[];
  if?: string;
  steps?: Step[];
  strategy?: { matrix?: Record<string, unknown> };
  outputs?: Record<string, string>;
  permissions?: unknown;
};
const jobs = (text: string): Record<string, Job> => (parse(text) as { jobs: Record<string, Job> }).jobs;

describe('GitHub workflows', () => {
  it('parse as YAML and pin every action by a full commit SHA', () => {
    expect(workflows.map((w) => w.file).sort()).toEqual(expect.arrayContaining(['drift.yml', 'plan.yml']));
    for (const w of workflows) {
      const uses = Object.values(jobs(w.text)).flatMap((j) => (j.steps ?? []).map((s) => s.uses).filter((u): u is string => !!u));
      expect(uses.length).toBeGreaterThan(0);
      for (const u of uses) expect(`${w.file}: ${u}`).toMatch(/@[0-9a-f]{40}$/);
    }
  });

  it('plans only changed stacks on pull requests, over a matrix, merged into one review', () => {
    const j = jobs(workflows.find((w) => w.file === 'plan.yml')!.text);
    const listing = j.changes.steps!.find((s) => s.run?.includes('--list-changed'))!;
    expect(listing.run).toContain('--base "$BASE_SHA"');
    expect(j['plan-stacks'].strategy?.matrix?.stacks).toBe('${{ fromJSON(needs.changes.outputs.shards) }}');
    expect(j['plan-stacks'].steps!.some((s) => s.run?.includes('--stack "$STACKS" --partial'))).toBe(true);
    expect(j.plan.needs).toEqual(['changes', 'plan-stacks']);
    expect(j.plan.steps!.some((s) => s.run?.includes('--merge "${parts[@]}" --detailed-exitcode'))).toBe(true);
    expect(j['risky-change-approval'].if).toBe("needs.plan.outputs.level == 'high'");
  });

  it('checks drift on a schedule and updates one issue in place', () => {
    const w = parse(workflows.find((x) => x.file === 'drift.yml')!.text) as { on: { schedule: unknown[] }; jobs: Record<string, Job> };
    expect(w.on.schedule).toHaveLength(1);
    const script = String(w.jobs.drift.steps!.find((s) => s.uses?.startsWith('actions/github-script'))!.with!.script);
    expect(script).toContain("'<!-- mwaa-drift -->'");
    expect(script).toContain('github.rest.issues.update');
  });
});
