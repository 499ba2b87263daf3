/**
 * The shipped example (config/, teams/) priced with the committed table (tools/plan-review/prices.json): its region
 * has sourced figures, so its review shows a monthly cost on every environment line and every stack total. This is
 * the one place that reads the working tree's config/; with a platform's own configuration it skips.
 */
import { loadPlatformConfig } from '../../model/load';
import type { PriceTable } from '../../tools/plan-review/cost';
import { reviewPlans } from '../../tools/plan-review/review';
import pricesJson from '../../tools/plan-review/prices.json';
import { synthOwner, synthParticipant } from '../support/synth';
import { describeShippedExample, WORKING_CONFIG } from './shipped-example';

const prices = pricesJson as unknown as PriceTable;

describeShippedExample('the shipped example, priced', () => {
  const config = loadPlatformConfig(WORKING_CONFIG);
  const review = () =>
    reviewPlans(
      [
        { stack: 'owner', config: synthOwner(config).tf },
        ...config.teams.map((t) => ({ stack: `participant-${t.team}`, team: t.team, config: synthParticipant(config, t.team).tf })),
      ],
      { prices, today: '2026-12-06', mode: 'base' },
    );
  let r: ReturnType<typeof review>;
  beforeAll(() => {
    r = review();
  }, 120_000);

  it('runs in a region the price table covers', () => {
    expect(config.platform.region).toBe('us-east-1');
    expect(Object.keys(prices.regions)).toContain(config.platform.region);
  });

  it('prices every environment hour and worker line, and every environment subtotal and stack total is a dollar figure', () => {
    const md = r.full;
    const subtotals = md.split('\n').filter((l) => /\*\*environment [^*]+\*\* \| subtotal \|/.test(l));
    expect(subtotals).toHaveLength(config.teams.flatMap((t) => t.environments).length);
    for (const l of subtotals) expect(l).toMatch(/\| \*\*(≥ )?\$[\d,.]+(–\$[\d,.]+)?( \(\d+ items? unpriced\))?\*\* \|$/);
    const totals = md.split('\n').filter((l) => l.includes('**stack total**'));
    expect(totals).toHaveLength(1 + config.teams.length);
    for (const l of totals) expect(l).toMatch(/\| \*\*(≥ )?\$[\d,.]+/);
    // No total is "unknown": something in each is priced.
    expect(md).not.toMatch(/\*\*unknown \(/);
  });

  it('leaves nothing unpriced: no line without a figure, no total that reads ≥ or unknown', () => {
    const unpriced = r.stacks.flatMap((s) => (s.cost?.after.lines ?? []).filter((l) => l.min === null).map((l) => `${s.stack}: ${l.item}`));
    expect(unpriced).toEqual([]);
    expect(r.full).not.toMatch(/items? unpriced/);
  });
});
