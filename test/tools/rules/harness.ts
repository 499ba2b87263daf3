import { rules, runRules, type RuleSettings, type StackJson } from '../../../tools/rules';

type Res = Record<string, Record<string, Record<string, unknown>>>;

/** A cdk.tf.json-shaped stack from resource and data maps. */
export const stack = (resource: Res, data: Res = {}): StackJson => ({ resource, data, terraform: {}, provider: {} });

export interface RuleCases {
  readonly rule: string;
  readonly compliant: ReadonlyArray<{ readonly name: string; readonly stack: StackJson; readonly settings?: Partial<RuleSettings> }>;
  /** `expect` is matched against the messages of the rule's findings; `resource` names the flagged address. */
  readonly noncompliant: ReadonlyArray<{
    readonly name: string;
    readonly stack: StackJson;
    readonly resource: string;
    readonly expect: RegExp;
  }>;
}

export function runCases(table: readonly RuleCases[]): void {
  for (const c of table) {
    const rule = rules.find((r) => r.id === c.rule);
    describe(c.rule, () => {
      it('is registered', () => expect(rule).toBeDefined());
      for (const ok of c.compliant) {
        it(`passes: ${ok.name}`, () => {
          expect(runRules(ok.stack, { stack: 'test', rules: [rule!], settings: ok.settings }).findings).toEqual([]);
        });
      }
      for (const bad of c.noncompliant) {
        it(`fails: ${bad.name}`, () => {
          const { findings } = runRules(bad.stack, { stack: 'test', rules: [rule!] });
          expect(findings.length).toBeGreaterThan(0);
          expect(findings.every((f) => f.rule === c.rule && f.stack === 'test')).toBe(true);
          expect(findings.map((f) => f.resource)).toContain(bad.resource);
          expect(findings.map((f) => f.message).join('\n')).toMatch(bad.expect);
        });
      }
    });
  }
}
