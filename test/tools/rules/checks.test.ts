/** The rule files: one folder per AWS service under tools/rules/checks/, each rule's `service` naming its folder. */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { rules, type Rule } from '../../../tools/rules';

const CHECKS = join(__dirname, '..', '..', '..', 'tools', 'rules', 'checks');
// A rule file is named `<ID>-<slug>.ts`; the folders also hold the factories some rules share.
const ruleFiles = readdirSync(CHECKS, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .flatMap((d) => readdirSync(join(CHECKS, d.name)).map((file) => ({ service: d.name, file })))
  .filter(({ file }) => /^[A-Z0-9_]+-.+\.ts$/.test(file));

describe('tools/rules/checks/', () => {
  test.each(ruleFiles.map((f) => [`${f.service}/${f.file}`, f]))(
    '%s: its id starts the file name and its service is the folder',
    async (_n, f) => {
      const { rule } = (await import(join(CHECKS, f.service, f.file))) as { rule: Rule };
      expect(f.file.startsWith(`${rule.id}-`)).toBe(true);
      expect(rule.service).toBe(f.service);
    },
  );

  it('every registered rule has one file, and every file is registered', () => {
    expect(ruleFiles.map((f) => f.file.split('-')[0]).sort()).toEqual(rules.map((r) => r.id).sort());
  });
});
