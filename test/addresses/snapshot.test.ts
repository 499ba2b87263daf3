/**
 * Resource addresses are identities: Terraform destroys and re-creates whatever changes address. The sorted
 * addresses (and `moved` blocks) of each stack of the fixture platform (test/fixtures/platform) are committed in
 * test/addresses/<stack>.txt, so any change of address is a reviewed change. After an intended change:
 * `UPDATE_ADDRESSES=1 npx jest test/addresses`. A platform's own addresses are reviewed where they change, in the
 * plan review (replace and delete are high).
 */
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { movedBlocks, resourceAddresses, synthAll } from '../support/addresses';
import { loadFixture } from '../support/config-fixture';

const UPDATE = process.env.UPDATE_ADDRESSES === '1';
const UPDATE_COMMAND = 'UPDATE_ADDRESSES=1 npx jest test/addresses/snapshot.test.ts';
const stacks = synthAll(loadFixture());

function snapshotOf(tf: any): string {
  const moved = movedBlocks(tf);
  return (
    [...resourceAddresses(tf), ...(moved.length ? ['', '# moved blocks (from -> to)', ...moved.map((m) => `moved ${m}`)] : [])].join('\n') +
    '\n'
  );
}

/** Line diff of two sorted-ish listings: `-` only in the committed file, `+` only in the synthesized stack. */
function diff(committed: string, current: string): string {
  const before = new Set(committed.split('\n').filter(Boolean));
  const after = new Set(current.split('\n').filter(Boolean));
  return [
    ...[...before].filter((l) => !after.has(l)).map((l) => `- ${l}`),
    ...[...after].filter((l) => !before.has(l)).map((l) => `+ ${l}`),
  ].join('\n');
}

describe.each([...stacks.keys()])('resource addresses of stack %s', (stack) => {
  const file = join(__dirname, `${stack}.txt`);

  it('match the committed snapshot', () => {
    const current = snapshotOf(stacks.get(stack));
    if (UPDATE) writeFileSync(file, current);
    if (!existsSync(file)) throw new Error(`No address snapshot for stack ${stack} (${file}). Create it with: ${UPDATE_COMMAND}`);
    const committed = readFileSync(file, 'utf8');
    if (committed !== current) {
      const changes = diff(committed, current) || '(same lines, different order or blank lines)';
      throw new Error(
        `Resource addresses of stack ${stack} differ from test/addresses/${stack}.txt ` +
          `(a changed address is a destroy and create in every deployment):\n${changes}\n\n` +
          `If the change is intended (and existing state is moved with moveFromId where needed), update the snapshot with:\n  ${UPDATE_COMMAND}\nand commit it.`,
      );
    }
  });
});

it('has no snapshot of a stack the fixture platform no longer has', () => {
  const snapshots = readdirSync(__dirname)
    .filter((f) => f.endsWith('.txt'))
    .map((f) => f.replace(/\.txt$/, ''));
  expect(snapshots.filter((s) => !stacks.has(s))).toEqual([]);
});
