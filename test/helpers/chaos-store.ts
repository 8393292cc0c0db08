import type { Runtime } from '../../lib/runtime';
import type { EventStore } from '../../lib/store/event-store';

/**
 * What the store was asked to do, counted at the store's edge: every successful upsert is a
 * delivery the table counts; a failed one either certainly wrote nothing (the connection was
 * refused, or PostgreSQL answered the statement with an error) or may have committed before the
 * connection broke (its events are the ± of `delivery_count`).
 */
export interface UpsertTally {
  okCalls: number;
  /** Events in successful upserts: each adds exactly one to some row's `delivery_count`. */
  okEvents: number;
  inserted: number;
  duplicates: number;
  failedCalls: number;
  /** Events of failed upserts that certainly wrote nothing. */
  failedCertainEvents: number;
  /** Events of failed upserts whose statement may have committed before the connection broke. */
  failedAmbiguousEvents: number;
  /** Failures by driver code or SQLSTATE. */
  failures: Record<string, number>;
  /** Upserts under way right now. */
  inFlight: number;
  /** How long each successful upsert took, when it took more than a second. */
  slowOkMs: number[];
}

export const newTally = (): UpsertTally => ({
  okCalls: 0,
  okEvents: 0,
  inserted: 0,
  duplicates: 0,
  failedCalls: 0,
  failedCertainEvents: 0,
  failedAmbiguousEvents: 0,
  failures: {},
  inFlight: 0,
  slowOkMs: [],
});

/** The driver's code of the error under a StoreError. */
function codeOf(error: unknown): string {
  const cause = (error as { cause?: unknown }).cause ?? error;
  const code = (cause as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : ((cause as Error)?.name ?? 'unknown');
}

/** Refused before anything was sent, or an error PostgreSQL reported for the statement itself. */
const certainlyNotWritten = (code: string) => code === 'ECONNREFUSED' || code === 'CONNECT_TIMEOUT' || /^[0-9A-Z]{5}$/.test(code);

/** One write counted: `added` is how many deliveries its success added to the table's counts. */
async function tracked<T>(
  tally: UpsertTally,
  events: number,
  write: () => Promise<T>,
  added: (result: T) => { inserted: number; duplicates: number },
): Promise<T> {
  const started = performance.now();
  tally.inFlight++;
  try {
    const result = await write();
    const ms = performance.now() - started;
    if (ms > 1_000) tally.slowOkMs.push(ms);
    const { inserted, duplicates } = added(result);
    tally.okCalls++;
    tally.okEvents += inserted + duplicates;
    tally.inserted += inserted;
    tally.duplicates += duplicates;
    return result;
  } catch (error) {
    const code = codeOf(error);
    tally.failedCalls++;
    tally.failures[code] = (tally.failures[code] ?? 0) + 1;
    if (certainlyNotWritten(code)) tally.failedCertainEvents += events;
    else tally.failedAmbiguousEvents += events;
    throw error;
  } finally {
    tally.inFlight--;
  }
}

function counting(store: EventStore, tally: UpsertTally): EventStore {
  return {
    ...store,
    close: () => store.close(),
    upsert: (events, receivedAt, signal) =>
      tracked(
        tally,
        events.length,
        () => store.upsert(events, receivedAt, signal),
        (result) => result,
      ),
    // A signed callback: stored new or as a repeat, or not written at all (its pair was seen, or taken).
    deliver: (event, delivery, receivedAt, signal) =>
      tracked(
        tally,
        1,
        () => store.deliver(event, delivery, receivedAt, signal),
        ({ outcome }) => ({
          inserted: outcome === 'inserted' ? 1 : 0,
          duplicates: outcome === 'duplicate' ? 1 : 0,
        }),
      ),
  };
}

/** The same runtime, its store counted into `tally`. The functions under test are unchanged. */
export function countingRuntime(runtime: Runtime, tally: UpsertTally): Runtime {
  return {
    ...runtime,
    store: async () => {
      const store = await runtime.store();
      return { ...counting(store, tally), runs: store.runs };
    },
  };
}
