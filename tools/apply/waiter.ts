/**
 * The polling loop around wait.ts: every environment is observed each round until all are done or one
 * fails. Clock, sleep, output and GetEnvironment are parameters, so tests replay recorded sequences.
 */
import {
  observe,
  startWait,
  targetLabel,
  type EndpointManagerLocation,
  type Observation,
  type WaitSettings,
  type WaitState,
  type WaitTarget,
} from './wait';

export interface WaiterIo {
  readonly getEnvironment: (target: WaitTarget) => Promise<Observation>;
  readonly now: () => number;
  readonly sleep: (ms: number) => Promise<void>;
  readonly log: (line: string) => void;
}

export interface WaiterOptions extends WaitSettings {
  readonly pollIntervalMs: number;
  /** A line is printed when the status changes, and at least this often while it does not. */
  readonly reportEveryMs: number;
  /** Where each target's endpoint manager lives (the recovery region has its own). */
  readonly where: EndpointManagerLocation | ((target: WaitTarget) => EndpointManagerLocation);
}

export interface WaitResult {
  readonly done: readonly WaitTarget[];
  readonly failures: ReadonlyArray<{ readonly target: WaitTarget; readonly message: string }>;
}

/**
 * Waits for every target. A failure of one environment does not stop the others being watched: the
 * user sees every environment's fate in one run. GetEnvironment errors (throttling, expired credentials)
 * count as failures of that environment, with the SDK's message.
 */
export async function waitForEnvironments(targets: readonly WaitTarget[], io: WaiterIo, options: WaiterOptions): Promise<WaitResult> {
  const start = io.now();
  const states = new Map<WaitTarget, WaitState>(targets.map((t) => [t, startWait(start)]));
  const lastReport = new Map<WaitTarget, number>();
  const done: WaitTarget[] = [];
  const failures: Array<{ target: WaitTarget; message: string }> = [];

  while (states.size > 0) {
    const round = [...states];
    const observations = await Promise.all(
      round.map(async ([target]) => {
        try {
          return { target, o: await io.getEnvironment(target) };
        } catch (error) {
          return { target, error: (error as Error).message };
        }
      }),
    );
    const now = io.now();
    for (const r of observations) {
      const state = states.get(r.target)!;
      if ('error' in r) {
        failures.push({ target: r.target, message: `${targetLabel(r.target)}: GetEnvironment failed: ${r.error}` });
        states.delete(r.target);
        continue;
      }
      const step = observe(
        r.target,
        state,
        r.o,
        now,
        options,
        typeof options.where === 'function' ? options.where(r.target) : options.where,
      );
      const changed = state.last !== r.o.status;
      if (changed || step.outcome.kind !== 'waiting' || now - (lastReport.get(r.target) ?? -Infinity) >= options.reportEveryMs) {
        io.log(step.line);
        lastReport.set(r.target, now);
      }
      if (step.outcome.kind === 'waiting') states.set(r.target, step.state);
      else {
        states.delete(r.target);
        if (step.outcome.kind === 'done') done.push(r.target);
        else failures.push({ target: r.target, message: step.outcome.message });
      }
    }
    if (states.size > 0) await io.sleep(options.pollIntervalMs);
  }
  return { done, failures };
}
