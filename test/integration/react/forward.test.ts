import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../lib/config';
import { silentLogger } from '../../../lib/log';
import { dispatchRuns } from '../../../lib/react/dispatch';
import { outboxProjection, outboxSpec } from '../../../lib/react/outbox';
import { registryFor } from '../../../lib/react/registry-for';
import { createEventStore } from '../../../lib/store/event-store';
import { migrate } from '../../../lib/store/schema';
import type { SqlClient } from '../../../lib/store/sql-client';
import { normalize } from '../../../lib/events/normalize';
import { openPglite } from '../../../tools/embedded-store/pglite-client';
import { procedureEvents, shiftedClock } from '../../helpers/handler-runs';
import { createRunStore } from '../../../lib/react/run-store';
import { startWebhookReceiver, type WebhookReceiver } from '../../helpers/webhook-receiver';

const SECRET = `whsec_${randomBytes(32).toString('base64')}`;

describe('forwarding (FORWARD_URL)', () => {
  let sql: SqlClient;
  let status: number | 'hang' = 200;
  let endpoint: WebhookReceiver;
  let url: string;

  beforeAll(async () => {
    endpoint = await startWebhookReceiver(SECRET, () => status);
    url = endpoint.url;
  });
  afterAll(() => endpoint.close());
  beforeEach(async () => {
    sql = await openPglite('memory://');
    await migrate(sql);
    endpoint.verified.length = 0;
    status = 200;
  });

  const setUp = (env: Record<string, string> = {}) => {
    const clock = shiftedClock();
    const config = loadConfig({
      DATABASE_URL: 'postgres://u@localhost/db',
      FORWARD_URL: url,
      FORWARD_SECRET: SECRET,
      FORWARD_TIMEOUT_MS: '300',
      ...env,
    });
    const registry = registryFor(config, undefined, clock);
    const store = createEventStore(sql, { projections: [outboxProjection(outboxSpec(registry)!)] });
    const dispatch = () =>
      dispatchRuns(
        { runs: createRunStore(sql), registry, clock, log: silentLogger, retry: { maxAttempts: 5, baseMs: 1_000 } },
        { budgetMs: 20_000, concurrency: 4 },
      );
    return { clock, store, dispatch };
  };

  it('delivers each event once, signed so that standardwebhooks verifies it, with webhook-id = the event id, even when it came by pull and by callback', async () => {
    const { store, dispatch } = setUp();
    const events = procedureEvents(5, 2);
    await store.upsert(events, new Date());
    const content = {
      EventType: 'ProcedureStateChanged',
      ProcedureStateChangeEvent: { TaskId: 'task-0', Status: 'FINISH', FileId: 'file-0' },
    };
    await store.upsert([normalize(content, { source: 'callback' })], new Date());
    expect(await dispatch()).toMatchObject({ runsSucceeded: 5, runsFailed: 0 });
    expect(endpoint.refused).toEqual([]);
    expect(endpoint.verified.map((delivery) => delivery.id).sort()).toEqual(events.map((event) => event.id).sort());
    expect(endpoint.verified[0]).toMatchObject({
      type: 'ProcedureStateChanged',
      data: { ProcedureStateChangeEvent: { Status: 'FINISH' } },
    });
  });

  it('forwards only FORWARD_TYPES', async () => {
    const { store, dispatch } = setUp({ FORWARD_TYPES: 'NewFileUpload' });
    await store.upsert(
      [...procedureEvents(2, 1), normalize({ EventType: 'NewFileUpload', FileUploadEvent: { FileId: 'f' } }, { source: 'pull' })],
      new Date(),
    );
    await dispatch();
    expect(endpoint.verified.map((delivery) => delivery.type)).toEqual(['NewFileUpload']);
  });

  it.each([
    ['a non-2xx answer', 500 as const],
    ['no answer within FORWARD_TIMEOUT_MS', 'hang' as const],
  ])('counts %s as a failed attempt, and delivers on the retry', async (_, failure) => {
    const { store, dispatch, clock } = setUp();
    await store.upsert(procedureEvents(1, 1), new Date());
    status = failure;
    expect(await dispatch()).toMatchObject({ runsSucceeded: 0, runsFailed: 1 });
    status = 200;
    clock.shift(1_200);
    expect(await dispatch()).toMatchObject({ runsSucceeded: 1 });
  });

  it('refuses a FORWARD_SECRET that is not whsec_ and base64, naming the variable', () => {
    expect(() => loadConfig({ FORWARD_URL: url, FORWARD_SECRET: 'hunter2' })).toThrow(/FORWARD_SECRET: expected whsec_/);
    expect(() => loadConfig({ FORWARD_URL: 'http://example.com/hook', FORWARD_SECRET: SECRET })).toThrow(
      /FORWARD_URL: expected an https:\/\/ URL/,
    );
  });
});
