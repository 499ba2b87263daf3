import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatJson, ownerOutputs } from '../../tools/publish-network';
import { TerraformError } from '../../tools/lib/terraform';

const NEXT_STEPS =
  'so there are no owner outputs to publish. Before the owner stack exists (first deployment), write a placeholder contract for this platform instead: `npm run publish-network -- --example`. ' +
  'Once the owner is applied (`BOOTSTRAP=owner npm run apply -- --stack owner`), run `npm run publish-network` where it was applied, ' +
  'or pass the outputs saved there: `npm run publish-network -- outputs.json`.';

describe('publish-network before the owner exists fails in its own words', () => {
  let out: string;
  beforeAll(() => {
    out = mkdtempSync(join(tmpdir(), 'publish-network-'));
    mkdirSync(join(out, 'stacks', 'owner'), { recursive: true });
    writeFileSync(join(out, 'stacks', 'owner', 'cdk.tf.json'), '{}');
  });
  afterAll(() => rmSync(out, { recursive: true, force: true }));
  const owner = () => join(out, 'stacks', 'owner');
  const never = () => {
    throw new Error('terraform must not run');
  };

  it('without a synthesized owner stack', () => {
    const missing = join(out, 'nothing', 'stacks', 'owner');
    expect(() => ownerOutputs(missing, never)).toThrow(`${missing} does not exist (the owner stack was not synthesized), ${NEXT_STEPS}`);
  });

  it('instead of Terraform\'s raw "Backend initialization required"', () => {
    const raw = new TerraformError(
      'terraform output failed: Backend initialization required, please run "terraform init"',
      ['output'],
      owner(),
      1,
      'Backend initialization required',
    );
    const read = () => {
      throw raw;
    };
    expect(() => ownerOutputs(owner(), read)).toThrow(`${owner()} was never initialized or applied, ${NEXT_STEPS}`);
    expect(() => ownerOutputs(owner(), read)).not.toThrow(/Backend initialization required/);
  });

  it('with an empty state (initialized, never applied)', () => {
    expect(() => ownerOutputs(owner(), () => ({}))).toThrow(
      `${owner()} has no outputs in its state (the owner stack was not applied), ${NEXT_STEPS}`,
    );
  });

  it('passes outputs through, and any other Terraform failure unchanged', () => {
    expect(ownerOutputs(owner(), () => ({ vpc_id: { value: 'vpc-1' } }))).toEqual({ vpc_id: { value: 'vpc-1' } });
    const other = new Error('terraform output failed: Error loading state: AccessDenied');
    expect(() =>
      ownerOutputs(owner(), () => {
        throw other;
      }),
    ).toThrow(other);
  });
});

describe('the contract is written as Prettier writes JSON at width 140', () => {
  it('keeps short lists and mappings on one line and breaks what does not fit', () => {
    const long = 'x'.repeat(130);
    expect(formatJson({ a: ['s1', 's2'], m: { k: 'v', n: 1 }, e: {}, long: [long, long] })).toBe(
      `{\n  "a": ["s1", "s2"],\n  "m": { "k": "v", "n": 1 },\n  "e": {},\n  "long": [\n    "${long}",\n    "${long}"\n  ]\n}`,
    );
  });
});
