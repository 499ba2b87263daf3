/**
 * A fake clock for the apply/decommission waiters: time moves only when the waiter sleeps. A waiter that never
 * stops (a bug in its end conditions) would spin on promises that resolve at once and hang the test run; here it
 * throws after `maxPolls` sleeps or GetEnvironment calls, so the test fails in milliseconds and names the cause.
 * The limit is far above any real wait: 120 minutes at 30-second polls is 240 rounds.
 */
export interface FakeClock {
  readonly now: () => number;
  readonly sleep: (ms: number) => Promise<void>;
  /** Call from the fake GetEnvironment: counts towards the same limit. */
  readonly poll: () => void;
  /** Every sleep, in order. */
  readonly sleeps: readonly number[];
}

export function fakeClock(maxPolls = 5_000): FakeClock {
  let clock = 0;
  let polls = 0;
  const sleeps: number[] = [];
  const count = (): void => {
    polls += 1;
    if (polls > maxPolls) throw new Error(`the waiter is still polling after ${maxPolls} calls: it does not stop`);
  };
  return {
    now: () => clock,
    sleep: async (ms) => {
      count();
      sleeps.push(ms);
      clock += ms;
    },
    poll: count,
    sleeps,
  };
}
