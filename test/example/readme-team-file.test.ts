import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const REPO = join(__dirname, '..', '..');

/** Every `team-file:<path>` block of the README: the file it quotes and the YAML it shows. */
function quotedTeamFiles(readme: string): Array<{ file: string; shown: string }> {
  const blocks = readme.matchAll(/<!-- team-file:(\S+) begin[^>]*-->\n```yaml\n([\s\S]*?)```\n<!-- team-file end -->/g);
  return [...blocks].map((m) => ({ file: m[1], shown: m[2] }));
}

describe("the README's team-file snippet is the shipped file", () => {
  const readme = readFileSync(join(REPO, 'README.md'), 'utf8');

  it('quotes at least one team file', () => {
    expect(quotedTeamFiles(readme).map((q) => q.file)).toEqual(['config/teams/marketing.yaml']);
  });

  it.each(quotedTeamFiles(readme).map((q) => [q.file, q.shown]))('%s is shown byte for byte', (file, shown) => {
    // On failure: copy the file into the README's block (or change the file back).
    expect(shown).toBe(readFileSync(join(REPO, file), 'utf8'));
  });

  it('finds a block only between its markers, and sees a difference', () => {
    const block = (yaml: string) =>
      `<!-- team-file:config/teams/x.yaml begin (kept equal) -->\n\`\`\`yaml\n${yaml}\`\`\`\n<!-- team-file end -->`;
    expect(quotedTeamFiles(`a\n${block('team: x\n')}\nb`)).toEqual([{ file: 'config/teams/x.yaml', shown: 'team: x\n' }]);
    expect(quotedTeamFiles('```yaml\nteam: x\n```')).toEqual([]);
  });
});
