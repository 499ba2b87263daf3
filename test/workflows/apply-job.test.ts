import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { OWNER, planOf, resources, synthBootstrap } from '../constructs/bootstrap/support';

type Step = { name?: string; uses?: string; run?: string; if?: string; env?: Record<string, string>; with?: Record<string, unknown> };
const jobs: Record<string, { steps: Step[] }> = parse(
  readFileSync(join(__dirname, '..', '..', '.github', 'workflows', 'plan.yml'), 'utf8'),
).jobs;
/** The apply job of .github/workflows/plan.yml, step by step. */
const steps = jobs.apply.steps;
const signIn = (job: string) => jobs[job].steps.find((s) => s.uses?.startsWith('aws-actions/configure-aws-credentials@'))!;
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
    expect(participants).toEqual([
      expect.objectContaining({ name: 'Apply the participants and wait for AVAILABLE', if: "steps.contract.outputs.changed == 'false'" }),
    ]);
    expect(index('Apply the participants and wait for AVAILABLE')).toBeGreaterThan(
      index("Did the owner's outputs change the network contract?"),
    );
    for (const name of [
      'Push the contract change to a branch',
      'Open the contract pull request',
      'Participants wait for the contract pull request',
    ]) {
      expect(steps[index(name)].if).toBe("steps.contract.outputs.changed == 'true'");
    }
  });

  it("signs in for three hours, the deploy role's longest session: applies that wait for MWAA outlast the action's one-hour default", () => {
    expect(signIn('apply').with).toMatchObject({ 'role-to-assume': '${{ vars.AWS_APPLY_ROLE_ARN }}', 'role-duration-seconds': 10800 });
    // AWS refuses a longer session than the role allows: the request must fit the synthesized maximum.
    const deploy = resources(synthBootstrap(planOf(), OWNER), 'aws_iam_role').find((r) => r.name === 'mwaa-platform-deploy');
    expect(deploy.max_session_duration).toBe(10800);
    // Pull-request plans keep the default hour, which the plan role's maximum allows.
    expect(signIn('plan-stacks').with).not.toHaveProperty('role-duration-seconds');
    const planRole = resources(synthBootstrap(planOf(), OWNER), 'aws_iam_role').find((r) => r.name === 'mwaa-platform-plan');
    expect(planRole.max_session_duration).toBe(3600);
  });

  describe("the contract check step's script, run as Actions runs it (bash -e) in a checkout", () => {
    const COMMITTED = '{\n  "vpcId": "vpc-00000000000000001",\n  "source": "example"\n}\n';
    /** Runs the step with `npm run publish-network` replaced by a fake that writes `published`; returns its outputs. */
    function check(published: string): Record<string, string> {
      const repo = mkdtempSync(join(tmpdir(), 'contract-step-'));
      const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, stdio: 'pipe' });
      mkdirSync(join(repo, 'config'));
      writeFileSync(join(repo, 'config', 'network-contract.json'), COMMITTED);
      git('init', '-q');
      git('add', '.');
      git('-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-qm', 'contract');
      const bin = join(repo, '.bin');
      mkdirSync(bin);
      writeFileSync(join(repo, 'published.json'), published);
      writeFileSync(
        join(bin, 'npm'),
        `#!/bin/sh\n[ "$1 $2" = "run publish-network" ] || exit 9\ncp "${join(repo, 'published.json')}" config/network-contract.json\n`,
      );
      chmodSync(join(bin, 'npm'), 0o755);
      const out = join(repo, 'github-output');
      writeFileSync(out, '');
      const step = steps[index("Did the owner's outputs change the network contract?")];
      const r = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', step.run!], {
        cwd: repo,
        env: { PATH: `${bin}:${process.env.PATH}`, GITHUB_OUTPUT: out, HOME: repo },
        encoding: 'utf8',
      });
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      return Object.fromEntries(
        readFileSync(out, 'utf8')
          .trim()
          .split('\n')
          .map((l) => l.split('=') as [string, string]),
      );
    }

    it('an unchanged contract: changed=false, so the participants are applied', () => {
      expect(check(COMMITTED)).toEqual({ path: 'config/network-contract.json', changed: 'false' });
    });

    it('outputs that change the contract (the first apply: example ids become real ones): changed=true, so the pull request is opened instead', () => {
      expect(check(COMMITTED.replace('vpc-00000000000000001', 'vpc-0a1b2c3d4e5f60718').replace('example', 'terraform-output'))).toEqual({
        path: 'config/network-contract.json',
        changed: 'true',
      });
    });
  });
});
