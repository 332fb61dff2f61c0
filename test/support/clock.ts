import type { Clock } from '../../src/adapters/launchdarkly/pacer.js';

export interface FakeClock extends Clock {
  /** Every wait asked for, in milliseconds, in the order asked: what the code planned to wait. */
  readonly sleeps: number[];
  /** Moves virtual time forward, as if the machine had been busy for `ms`. */
  advance(ms: number): void;
}

export interface FakeClockOptions {
  /** Virtual epoch milliseconds at the start. */
  start?: number;
  /**
   * While this says work is under way (requests in flight), sleepers do not wake, so that what
   * was sent before a wait lands before the wait ends, however slow the machine. Without it a
   * sleeper wakes on the next turn of the event loop, possibly before a request sent earlier
   * has reached the server: fine for one thing at a time, not for concurrent requests racing a
   * rate-limit window.
   */
  busy?: () => boolean;
}

/**
 * Virtual time for the client, the CLI and the emulator. It stands still while real work runs
 * (a request takes no virtual time however loaded the machine is) and moves only when someone
 * sleeps, so waits are exact and cost nothing.
 */
export function fakeClock(options: FakeClockOptions = {}): FakeClock {
  let now = options.start ?? 1_700_000_000_000;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => now,
    advance(ms) {
      now += ms;
    },
    sleep(ms) {
      sleeps.push(ms);
      const deadline = now + ms;
      // Resolving on a later turn of the event loop lets answers already on their way arrive
      // first, as they would during a real wait. Time moves when the sleeper wakes, to its
      // deadline: sleepers that started together wait side by side, as on a real clock, and
      // time ends at the latest deadline rather than the sum of the waits.
      return new Promise((resolve) => {
        const wake = () => {
          if (options.busy?.()) {
            setImmediate(wake);
            return;
          }
          now = Math.max(now, deadline);
          resolve();
        };
        setImmediate(wake);
      });
    },
  };
}

/**
 * A clock on which the first sleep never ends: the code that sleeps stops for good there, the way
 * a process killed at that moment would. `stopped` resolves when that happens.
 */
export function stoppingClock(start = 1_700_000_000_000): Clock & { stopped: Promise<void> } {
  let stop: () => void = () => {};
  const stopped = new Promise<void>((resolve) => {
    stop = resolve;
  });
  return {
    stopped,
    now: () => start,
    sleep() {
      stop();
      return new Promise<void>(() => {});
    },
  };
}

/**
 * Resolves once `condition` holds, checking on every turn of the event loop: no timer of its
 * own, so a slow machine makes it slower, never makes it fail (the test's timeout still bounds
 * it).
 */
export function until(condition: () => boolean): Promise<void> {
  return new Promise((resolve) => {
    const check = () => (condition() ? resolve() : setImmediate(check));
    check();
  });
}
