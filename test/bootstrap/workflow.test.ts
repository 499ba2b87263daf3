import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

/** The apply job of .github/workflows/plan.yml, step by step. */
const steps: Array<{ name?: string; run?: string; if?: string; env?: Record<string, string> }> = parse(
  readFileSync(join(__dirname, '..', '..', '.github', 'workflows', 'plan.yml'), 'utf8'),
).jobs.apply.steps;
const index = (name: string) => {
  const i = steps.findIndex((s) => s.name === name);
  if (i < 0) throw new Error(`no step "${name}" in the apply job`);
  return i;
};

describe('workflow apply job', () => {
  it('applies the owner alone first, from an owner-only synthesis', () => {
    const owner = steps[index('Apply the owner stack')];
    expect(owner).toMatchObject({ run: 'npm run apply -- --stack owner', env: { BOOTSTRAP: 'owner' } });
    expect(owner.if).toBeUndefined();
    expect(index('Apply the owner stack')).toBeLessThan(index("Did the owner's outputs change the network contract?"));
  });

  it('applies participants only when the contract did not change, and otherwise opens the contract pull request', () => {
    const participants = steps.filter((s) => s.run && /npm run apply(?! -- --stack owner)|terraform .*apply/.test(s.run));
    expect(participants).toEqual([expect.objectContaining({ name: 'Apply the participants and wait for AVAILABLE', if: "steps.contract.outputs.changed == 'false'" })]);
    expect(index('Apply the participants and wait for AVAILABLE')).toBeGreaterThan(index("Did the owner's outputs change the network contract?"));
    for (const name of ['Push the contract change to a branch', 'Open the contract pull request', 'Participants wait for the contract pull request']) {
      expect(steps[index(name)].if).toBe("steps.contract.outputs.changed == 'true'");
    }
  });
});
