import { afterAll, beforeAll } from 'vitest';
import type { CallbackDeps, CallbackResult } from '../../lib/callback/handle';
import type { EventStore } from '../../lib/store/event-store';
import type { OpenedStore } from '../../lib/store/open-store';
import type { SqlClient } from '../../lib/store/sql-client';
import { manualClock, type ManualClock } from './manual-clock';
import { memoryStore } from './memory-store';

/** The deps a file of handleCallback tests sets for itself; the store and the clock are the fixture's. */
export type CallbackDefaults = Pick<CallbackDeps, 'log' | 'signKeys' | 'maxBodyBytes'>;

/** What the tests of one handleCallback file share: one in-memory store, the clock, the deps that reach them. */
export interface CallbackFixture {
  clock: ManualClock;
  /** The file's store, open from its beforeAll to its afterAll. */
  readonly store: EventStore;
  /** The store's own client, kept to look at the tables. */
  readonly sql: SqlClient;
  /** The deps of one call: the file's defaults, then `changes`. */
  deps(changes?: Partial<CallbackDeps>): CallbackDeps;
}

/**
 * Registers the file's hooks that open a fresh in-memory store before its tests and close it
 * after them. `defaults` is called for each deps, so a default log is a fresh one every call.
 */
export function callbackFixture(defaults: () => CallbackDefaults): CallbackFixture {
  const clock = manualClock(Date.UTC(2026, 0, 1, 12, 0, 0));
  let opened: { store: OpenedStore; sql: SqlClient } | undefined;
  const get = () => {
    if (!opened) throw new Error('the callback fixture opens its store in beforeAll: read it inside a test');
    return opened;
  };
  beforeAll(async () => {
    opened = await memoryStore();
  });
  afterAll(() => opened?.store.close());
  return {
    clock,
    get store() {
      return get().store;
    },
    get sql() {
      return get().sql;
    },
    deps: (changes = {}) => ({ store: async () => get().store, clock, ...defaults(), ...changes }),
  };
}

/** The JSON body of a callback's answer. */
export const answerJson = (result: CallbackResult) => JSON.parse(result.body) as Record<string, unknown>;
