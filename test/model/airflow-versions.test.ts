/** Airflow versions MWAA offers, ended ones refused with their date, and which version changes MWAA makes in place. */
import { airflowVersionChange, airflowVersionProblem, AIRFLOW_VERSIONS, ENDED_AIRFLOW_VERSIONS } from '../../model/environment';
import { loadPlatformConfig } from '../../model/load';
import { fixtureConfigWith } from '../support/config-fixture';

describe('versions MWAA offers', () => {
  it('include 2.11.0, the only 2.x that upgrades to 3.x in place, and 3.0.6', () => {
    expect(AIRFLOW_VERSIONS).toEqual(['2.7.2', '2.8.1', '2.9.2', '2.10.1', '2.10.3', '2.11.0', '3.0.6']);
    for (const v of AIRFLOW_VERSIONS) expect(airflowVersionProblem(v)).toBeUndefined();
  });

  it('no offered version is also listed as ended', () => {
    expect(AIRFLOW_VERSIONS.filter((v) => v in ENDED_AIRFLOW_VERSIONS)).toEqual([]);
  });

  it.each([
    [
      '2.4.3',
      'MWAA ended support for Airflow 2.4.3 on 2025-12-30 (no new environments; existing ones run unsupported); use one of 2.7.2, 2.8.1, 2.9.2, 2.10.1, 2.10.3, 2.11.0, 3.0.6',
    ],
    [
      '2.5.1',
      'MWAA ended support for Airflow 2.5.1 on 2025-12-30 (no new environments; existing ones run unsupported); use one of 2.7.2, 2.8.1, 2.9.2, 2.10.1, 2.10.3, 2.11.0, 3.0.6',
    ],
    [
      '2.2.2',
      'MWAA ended support for Airflow 2.2.2 on 2024-06-27 (no new environments; existing ones run unsupported); use one of 2.7.2, 2.8.1, 2.9.2, 2.10.1, 2.10.3, 2.11.0, 3.0.6',
    ],
    [
      '2.0.2',
      'MWAA ended support for Airflow 2.0.2 on 2024-04-29 (no new environments; existing ones run unsupported); use one of 2.7.2, 2.8.1, 2.9.2, 2.10.1, 2.10.3, 2.11.0, 3.0.6',
    ],
    [
      '1.10.12',
      'MWAA ended support for Airflow 1.10.12 on 2024-02-21 (no new environments; existing ones run unsupported); use one of 2.7.2, 2.8.1, 2.9.2, 2.10.1, 2.10.3, 2.11.0, 3.0.6',
    ],
    [
      '3.1.0',
      '"3.1.0" is not an Airflow version MWAA creates environments with; use one of 2.7.2, 2.8.1, 2.9.2, 2.10.1, 2.10.3, 2.11.0, 3.0.6',
    ],
  ])('refuses %s: %s', (version, message) => expect(airflowVersionProblem(version)).toBe(message));

  it('a team file with an ended version fails to load, naming file and field', () => {
    const dir = fixtureConfigWith({ teams: { marketing: (t) => (t.environments[0].airflowVersion = '2.6.3') } });
    expect(() => loadPlatformConfig(dir)).toThrow(
      `config/teams/marketing.yaml at environments[0].airflowVersion: MWAA ended support for Airflow 2.6.3 on 2025-12-30 (no new environments; existing ones run unsupported); use one of 2.7.2, 2.8.1, 2.9.2, 2.10.1, 2.10.3, 2.11.0, 3.0.6`,
    );
  });

  it('2.11.0 is accepted in a team file', () => {
    const dir = fixtureConfigWith({ teams: { marketing: (t) => (t.environments[0].airflowVersion = '2.11.0') } });
    expect(loadPlatformConfig(dir).teams.find((t) => t.team === 'marketing')!.environments[0].airflowVersion).toBe('2.11.0');
  });
});

describe('version changes', () => {
  it('no change', () => expect(airflowVersionChange('2.10.3', '2.10.3')).toEqual({ kind: 'none' }));

  it.each([
    ['2.10.3', '2.11.0', 'upgrade'],
    ['2.7.2', '2.10.3', 'upgrade'],
    ['2.10.3', '2.10.1', 'downgrade'],
    ['2.9.2', '2.8.1', 'downgrade'],
  ] as const)('%s → %s is a minor %s in place', (from, to, direction) => {
    expect(airflowVersionChange(from, to, 'mkt')).toEqual({
      kind: 'in-place',
      direction,
      terraformReplaces: false,
      message: `mkt: Airflow ${from} → ${to} is a minor ${direction} MWAA makes in place`,
    });
  });

  it('2.11.0 → 3.0.6 is in place for MWAA, but the provider would replace: the message says how to keep the environment', () => {
    expect(airflowVersionChange('2.11.0', '3.0.6', 'mkt')).toEqual({
      kind: 'in-place',
      direction: 'upgrade',
      terraformReplaces: true,
      message:
        'mkt: MWAA upgrades Airflow 2.11.0 → 3.0.6 in place, but the Terraform AWS provider plans a major-version change as a replacement ' +
        '(a new, empty environment): first run `aws mwaa update-environment --name mkt --airflow-version 3.0.6`, wait until it is AVAILABLE, then change airflowVersion',
    });
  });

  it.each([
    ['2.10.3', '3.0.6', 'MWAA upgrades 2.x to 3.x in place only from 2.11.x; upgrade to 2.11.0 first'],
    ['2.7.2', '3.0.6', 'MWAA upgrades 2.x to 3.x in place only from 2.11.x; upgrade to 2.11.0 first'],
    ['3.0.6', '2.10.3', 'MWAA downgrades 3.x in place only to 2.11.x'],
    ['1.10.12', '2.7.2', 'MWAA does not change major versions 1.x → 2.x in place'],
    ['latest', '2.7.2', 'not a version MWAA knows'],
  ])('%s → %s needs a new environment (%s)', (from, to, why) => {
    expect(airflowVersionChange(from, to, 'mkt')).toEqual({
      kind: 'new-environment',
      message: `mkt: Airflow ${from} → ${to} cannot be done in place (${why}): create a new environment with ${to} and migrate to it, or remove the version change`,
    });
  });

  it('3.0.6 → 2.11.0 is a downgrade MWAA makes in place', () => {
    expect(airflowVersionChange('3.0.6', '2.11.0', 'mkt')).toEqual({
      kind: 'in-place',
      direction: 'downgrade',
      terraformReplaces: false,
      message: 'mkt: Airflow 3.0.6 → 2.11.0 is a downgrade MWAA makes in place',
    });
  });
});
