/** The environment table: each MWAA environment of a stack before and after the change. Pure. */
import type { Obj } from './changes';

export interface EnvironmentState {
  readonly name: string;
  readonly class: string;
  readonly version: string;
  readonly workers: string;
  readonly schedulers: string;
  readonly webservers: string;
  readonly mode: string;
}

export const ENV_COLUMNS: ReadonlyArray<readonly [keyof EnvironmentState, string]> = [
  ['class', 'Class'],
  ['version', 'Airflow'],
  ['workers', 'Workers'],
  ['schedulers', 'Schedulers'],
  ['webservers', 'Webservers'],
  ['mode', 'Webserver'],
];

const s = (v: unknown): string => (v === undefined || v === null || v === '' ? '—' : String(v));

export function environmentState(props: Obj): EnvironmentState {
  return {
    name: s(props.name),
    class: s(props.environment_class),
    version: s(props.airflow_version),
    workers: `${s(props.min_workers)}–${s(props.max_workers)}`,
    schedulers: s(props.schedulers),
    webservers: `${s(props.min_webservers)}–${s(props.max_webservers)}`,
    mode:
      props.webserver_access_mode === 'PUBLIC_ONLY'
        ? 'public'
        : props.webserver_access_mode === 'PRIVATE_ONLY'
          ? 'private'
          : s(props.webserver_access_mode),
  };
}

export interface EnvironmentRow {
  readonly name: string;
  readonly status: 'new' | 'changed' | 'removed' | 'unchanged';
  readonly before?: EnvironmentState;
  readonly after?: EnvironmentState;
}

/** Rows by environment name: before from the base (plan state or base configuration), after from the head. */
export function environmentRows(before: readonly Obj[], after: readonly Obj[]): EnvironmentRow[] {
  const b = new Map(before.map((p) => environmentState(p)).map((e) => [e.name, e]));
  const a = new Map(after.map((p) => environmentState(p)).map((e) => [e.name, e]));
  const names = [...new Set([...a.keys(), ...b.keys()])].sort();
  return names.map((name) => {
    const x = b.get(name);
    const y = a.get(name);
    const status = !x ? 'new' : !y ? 'removed' : ENV_COLUMNS.some(([k]) => x[k] !== y[k]) ? 'changed' : 'unchanged';
    return { name, status, ...(x ? { before: x } : {}), ...(y ? { after: y } : {}) };
  });
}

/** A cell: the value, or `before → after` when it changed. */
export function envCell(row: EnvironmentRow, key: keyof EnvironmentState): string {
  const x = row.before?.[key];
  const y = row.after?.[key];
  if (x === undefined) return String(y);
  if (y === undefined) return `~~${x}~~`;
  return x === y ? x : `${x} → **${y}**`;
}
