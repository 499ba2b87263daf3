/**
 * Airflow versions on MWAA: which ones it offers, which it stopped supporting and when, and which version
 * changes it makes in place. Pure data and functions; validation (validate/environment.ts) and the plan review
 * use them.
 *
 * Sources (checked 2026-12-01): MWAA user guide "Apache Airflow versions" (supported: v2.7.2, v2.8.1, v2.9.2,
 * v2.10.1, v2.10.3, v2.11.0 (available 2026-01-07), v3.0.6; the "deprecated versions" table gives each ended
 * version's "Amazon MWAA end-of-support date") and "Changing the Apache Airflow version" (minor
 * upgrades and downgrades in place; 2.x to 3.x in place only from the latest 2.11.x; 3.x back to 2.11.x;
 * otherwise a new environment and a migration). Maintained by hand: add a version when MWAA releases it, move
 * it to ENDED_AIRFLOW_VERSIONS when MWAA announces its end of support.
 */

/** Versions MWAA creates and updates environments with today. */
export const AIRFLOW_VERSIONS = ['2.7.2', '2.8.1', '2.9.2', '2.10.1', '2.10.3', '2.11.0', '3.0.6'] as const;

/**
 * Versions whose MWAA support has ended, with the "Amazon MWAA end-of-support date" of the user guide's
 * deprecated-versions table. From that date MWAA creates no environment with the version; existing ones keep
 * running, unsupported, until they are upgraded.
 */
export const ENDED_AIRFLOW_VERSIONS: Readonly<Record<string, string>> = {
  '1.10.12': '2024-02-21',
  '2.0.2': '2024-04-29',
  '2.2.2': '2024-06-27',
  '2.4.3': '2025-12-30',
  '2.5.1': '2025-12-30',
  '2.6.3': '2025-12-30',
};

type Parts = readonly [major: number, minor: number, patch: number];

/** `2.10.3` → [2, 10, 3]; undefined for anything that is not a dotted version. */
export function parseAirflowVersion(version: string): Parts | undefined {
  const m = /^(\d+)\.(\d+)(?:\.(\d+))?$/.exec(version.trim());
  return m ? [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)] : undefined;
}

const compare = (a: Parts, b: Parts): number => a[0] - b[0] || a[1] - b[1] || a[2] - b[2];

/** Why a version cannot be used for an environment (undefined when MWAA offers it). */
export function airflowVersionProblem(version: string): string | undefined {
  if ((AIRFLOW_VERSIONS as readonly string[]).includes(version)) return undefined;
  const ended = ENDED_AIRFLOW_VERSIONS[version];
  if (ended) {
    return `MWAA ended support for Airflow ${version} on ${ended} (no new environments; existing ones run unsupported); use one of ${AIRFLOW_VERSIONS.join(', ')}`;
  }
  return `"${version}" is not an Airflow version MWAA creates environments with; use one of ${AIRFLOW_VERSIONS.join(', ')}`;
}

/** What changing an environment's Airflow version means. */
export type AirflowVersionChange =
  | { readonly kind: 'none' }
  | {
      readonly kind: 'in-place';
      readonly direction: 'upgrade' | 'downgrade';
      /**
       * hashicorp/aws plans a change to a higher major version (2.11.x → 3.x) as a replacement: a new, empty
       * environment. To keep the environment, MWAA must be told first (see `message`).
       */
      readonly terraformReplaces: boolean;
      readonly message: string;
    }
  | { readonly kind: 'new-environment'; readonly message: string };

/**
 * The version change `from` → `to` of one environment, as MWAA allows it: minor upgrades and downgrades in
 * place; 2.x → 3.x in place only from 2.11.x; 3.x → 2.x in place only to 2.11.x; anything else needs a new
 * environment (and a migration of the metadata database). `name` is used in the messages.
 */
export function airflowVersionChange(from: string, to: string, name = 'the environment'): AirflowVersionChange {
  if (from === to) return { kind: 'none' };
  const a = parseAirflowVersion(from);
  const b = parseAirflowVersion(to);
  const newEnvironment = (why: string): AirflowVersionChange => ({
    kind: 'new-environment',
    message: `${name}: Airflow ${from} → ${to} cannot be done in place (${why}): create a new environment with ${to} and migrate to it, or remove the version change`,
  });
  if (!a || !b) return newEnvironment('not a version MWAA knows');
  const direction = compare(b, a) > 0 ? 'upgrade' : 'downgrade';
  if (a[0] === b[0]) {
    return {
      kind: 'in-place',
      direction,
      terraformReplaces: false,
      message: `${name}: Airflow ${from} → ${to} is a minor ${direction} MWAA makes in place`,
    };
  }
  if (a[0] === 2 && b[0] === 3) {
    if (a[1] !== 11)
      return newEnvironment(
        `MWAA upgrades 2.x to 3.x in place only from 2.11.x; upgrade to ${AIRFLOW_VERSIONS.filter((v) => v.startsWith('2.11.')).at(-1) ?? '2.11.x'} first`,
      );
    return {
      kind: 'in-place',
      direction,
      terraformReplaces: true,
      message:
        `${name}: MWAA upgrades Airflow ${from} → ${to} in place, but the Terraform AWS provider plans a major-version change as a replacement ` +
        `(a new, empty environment): first run \`aws mwaa update-environment --name ${name} --airflow-version ${to}\`, wait until it is AVAILABLE, then change airflowVersion`,
    };
  }
  if (a[0] === 3 && b[0] === 2) {
    if (b[1] !== 11) return newEnvironment('MWAA downgrades 3.x in place only to 2.11.x');
    return {
      kind: 'in-place',
      direction,
      terraformReplaces: false,
      message: `${name}: Airflow ${from} → ${to} is a downgrade MWAA makes in place`,
    };
  }
  return newEnvironment(`MWAA does not change major versions ${a[0]}.x → ${b[0]}.x in place`);
}
