import { afterEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../../lib/clock';
import { silentLogger } from '../../../lib/log';
import { dispatchRuns } from '../../../lib/react/dispatch';
import { limitStatements } from '../../../lib/react/limit-statements';
import { outboxSpec } from '../../../lib/react/outbox';
import { createRegistry } from '../../../lib/react/registry';
import { createRunStore, type RunStore } from '../../../lib/react/run-store';
import { openEventStore } from '../../../lib/store/open-store';
import type { SqlClient } from '../../../lib/store/sql-client';
import { openPglite } from '../../../tools/embedded-store/pglite-client';
import { procedureEvents } from '../../helpers/handler-runs';

/** The client with a count of its statements on their way, and the most there ever were. */
function countingStatements(sql: SqlClient) {
  const counts = { now: 0, peak: 0 };
  const client: SqlClient = {
    ...sql,
    async query(text, params, signal) {
      counts.peak = Math.max(counts.peak, ++counts.now);
      try {
        return await sql.query(text, params, signal);
      } finally {
        counts.now -= 1;
      }
    },
  };
  return { client, counts };
}

// Four workers whose handlers each read their file's state: claim, file state and outcome are three statements per run.
const registry = createRegistry({ '*': [{ name: 'reads-file', run: async ({ file }) => void (await file()) }] });
const dispatch = (runs: RunStore) =>
  dispatchRuns(
    { runs, registry, clock: systemClock, log: silentLogger, retry: { maxAttempts: 3, baseMs: 1_000 } },
    { budgetMs: 30_000, concurrency: 4 },
  );

describe('limitStatements (PGlite)', () => {
  let sql: SqlClient;
  afterEach(() => sql?.close());

  async function storedRuns(count: number) {
    sql = await openPglite('memory://');
    const store = await openEventStore({
      databaseUrl: undefined,
      pgliteDir: 'memory://',
      openEmbedded: async () => sql,
      outbox: outboxSpec(registry),
    });
    await store.upsert(procedureEvents(count, 5), new Date());
    return countingStatements(sql);
  }

  it('keeps a dispatch of four workers to one run-store statement at a time, and every run still succeeds', async () => {
    const { client, counts } = await storedRuns(40);
    expect(await dispatch(limitStatements(createRunStore(client), 1))).toMatchObject({ runsSucceeded: 40, runsFailed: 0 });
    expect(counts.peak).toBe(1);
  });

  it('(baseline) without it the same dispatch has several statements on their way at once', async () => {
    const { client, counts } = await storedRuns(40);
    expect(await dispatch(createRunStore(client))).toMatchObject({ runsSucceeded: 40 });
    expect(counts.peak).toBeGreaterThan(1);
  });
});
