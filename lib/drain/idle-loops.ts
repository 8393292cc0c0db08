/**
 * Follow mode's concurrency: while the queue is idle only `keepPolling` loops hold a long poll (each
 * is one API call per 5 s of idle time); the others rest until a pull comes back full — the sign of
 * a backlog — and then all pull again.
 */
export interface IdleLoops {
  /**
   * After an empty pull: rests this loop when at least `keepPolling` others still poll, until a
   * full batch wakes it or `until` aborts. `false` when the loop is one that keeps polling.
   */
  rest(until: AbortSignal): Promise<boolean>;
  /** A pull came back full: every resting loop pulls again. */
  wake(): void;
  /**
   * A loop ended (a stop reason, a failure): the resting ones wake to see whether they must end
   * too or poll in its place, rather than wait for the window's end with no poll running.
   */
  leave(): void;
}

export function idleLoops(loops: number, keepPolling: number): IdleLoops {
  let polling = loops;
  let resting: (() => void)[] = [];
  return {
    async rest(until) {
      if (polling <= keepPolling || until.aborted) return false;
      polling--;
      await new Promise<void>((resolve) => {
        const done = () => {
          until.removeEventListener('abort', done);
          resting = resting.filter((one) => one !== done);
          resolve();
        };
        resting.push(done);
        until.addEventListener('abort', done, { once: true });
      });
      polling++;
      return true;
    },
    wake() {
      for (const done of [...resting]) done();
    },
    leave() {
      polling--;
      this.wake();
    },
  };
}
