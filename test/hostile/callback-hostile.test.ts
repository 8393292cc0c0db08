import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCallbackHandler } from '../../lib/app/callback';
import type { GatewayHandler } from '../../lib/callback/gateway-event';
import { replay } from '../../lib/callback/replay';
import { systemClock } from '../../lib/clock';
import { loadConfig } from '../../lib/config';
import { PAIR_SHARING_MS } from '../../lib/callback/verify';
import { dedupeKey } from '../../lib/events/dedupe-key';
import { parseJson } from '../../lib/events/lossless-json';
import { jsonLineLogger } from '../../lib/log';
import { createRuntime, type Runtime } from '../../lib/runtime';
import {
  HOSTILE_KEYS,
  HOSTILE_MAX_BODY_BYTES,
  HostileRequests,
  type Expected,
  type HostileCase,
} from '../helpers/chaos-hostile-requests';
import { createDatabase, startPostgresServer, type PostgresServer } from '../helpers/postgres-server';

// Same seed, same requests: a failure names its kind and label, and reruns identically.
const SEED = 0x40571e;
const CONCURRENCY = 8;

interface Outcome {
  kind: string;
  label: string;
  expected: Expected;
  acceptable?: readonly Expected[];
  status: number | 'threw';
  reason?: string;
  id?: unknown;
  duplicate?: unknown;
  /** dedupeKey of the content the request carried, when it was a JSON object. */
  contentId?: string;
  /** Time to the answer. */
  ms: number;
}

let server: PostgresServer;
let runtime: Runtime;
let handler: GatewayHandler;
const logLines = {
  total: 0,
  deadLetters: [] as { payload: string; line: string }[],
  quarantined: 0,
  byMessage: {} as Record<string, number>,
};

beforeAll(async () => {
  // Its own server: the last slice stops it.
  server = await startPostgresServer();
  const env = {
    DATABASE_URL: await createDatabase(server.url, 'hostile'),
    VOD_CALLBACK_SIGN_KEY: HOSTILE_KEYS.join(','),
    CALLBACK_MAX_BODY_BYTES: String(HOSTILE_MAX_BODY_BYTES),
  };
  // The real JSON-line logger, so serialising each log line is part of what is tested.
  const log = jsonLineLogger((line) => {
    logLines.total++;
    const entry = JSON.parse(line) as { message: string; deadLetter?: boolean; quarantined?: boolean; payload?: string };
    logLines.byMessage[entry.message] = (logLines.byMessage[entry.message] ?? 0) + 1;
    if (entry.deadLetter === true) logLines.deadLetters.push({ payload: String(entry.payload), line });
    if (entry.quarantined === true) logLines.quarantined++;
  });
  runtime = createRuntime(loadConfig(env), { log });
  handler = createCallbackHandler(runtime);
}, 90_000);

afterAll(async () => {
  await runtime?.close();
  await server?.stop();
  server?.remove();
});

async function send(cases: readonly HostileCase[], { concurrency = CONCURRENCY } = {}): Promise<Outcome[]> {
  const outcomes: Outcome[] = new Array(cases.length);
  let next = 0;
  const worker = async () => {
    while (next < cases.length) {
      const index = next++;
      const built = cases[index]!.build(Date.now());
      const outcome: Outcome = {
        kind: cases[index]!.kind,
        label: built.label,
        expected: built.expected,
        acceptable: built.acceptable,
        status: 'threw',
        ms: 0,
      };
      if (built.content) outcome.contentId = dedupeKey(built.content);
      const started = performance.now();
      try {
        const result = await handler(built.event, { request_id: `hostile-${index}` });
        outcome.ms = performance.now() - started;
        outcome.status = result.statusCode;
        const body = JSON.parse(result.body) as { id?: unknown; duplicate?: unknown; reason?: string };
        Object.assign(outcome, { id: body.id, duplicate: body.duplicate, reason: body.reason });
      } catch (error) {
        outcome.reason = `threw: ${(error as Error).message}`;
      }
      outcomes[index] = outcome;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return outcomes;
}

const byStatus = (outcomes: readonly Outcome[]) => {
  const counts: Record<string, number> = {};
  for (const { status } of outcomes) counts[status] = (counts[status] ?? 0) + 1;
  return counts;
};
const keptContract = (o: Outcome) => (o.acceptable ? o.acceptable.includes(o.status as Expected) : o.status === o.expected);
const describeMismatch = (o: Outcome, wanted: number) =>
  `${o.kind} / ${o.label}: expected ${wanted}, got ${o.status}${o.reason ? ` (${o.reason.slice(0, 160)})` : ''}`;
// Through the runtime's current store: after a failure it discards its pool and opens another.
const tableFigures = async () => {
  const stats = await (await runtime.store()).stats();
  return { rows: stats.total, deliveries: stats.total + stats.duplicateDeliveries };
};
const storedIds = async () => new Set((await (await runtime.store()).listEvents({ limit: 1_000_000 })).map((event) => event.id));

// One run in stages: the second test checks the table against the first one's answers, so they keep their order.
describe('callback function under hostile input (real handler, real PostgreSQL, sign keys set)', { shuffle: false }, () => {
  const requests = new HostileRequests(SEED);
  const { first, replays } = requests.cases();
  let outcomes: Outcome[] = [];
  let before: { rows: number; deliveries: number };

  it(`answers each of ${first.length + replays.length} generated requests with 4xx or 200, as the contract says, never 5xx, never a throw`, async () => {
    // Prepare
    before = await tableFigures();
    const started = Date.now();
    // Act
    const firstOutcomes = await send(first);
    // Pair reuses must come after VOD's same-second sharing window of the pairs they reuse.
    await new Promise((resolve) => setTimeout(resolve, PAIR_SHARING_MS + 1_000));
    const replayOutcomes = await send(replays);
    outcomes = [...firstOutcomes, ...replayOutcomes];
    // Assess
    const counts = byStatus(outcomes);
    const kinds: Record<string, Record<string, number>> = {};
    for (const o of outcomes) (kinds[o.kind] ??= {})[o.status] = ((kinds[o.kind] ??= {})[o.status] ?? 0) + 1;
    console.log(
      `hostile callback suite: ${outcomes.length} requests in ${Date.now() - started} ms; by status ${JSON.stringify(counts)}`,
    );
    console.log(`  by kind: ${JSON.stringify(kinds)}`);

    expect(outcomes.length).toBeGreaterThanOrEqual(5_000);
    expect(outcomes.filter((o) => o.status === 'threw').map((o) => describeMismatch(o, o.expected))).toEqual([]);
    expect(
      outcomes.filter((o) => typeof o.status === 'number' && o.status >= 500).map((o) => describeMismatch(o, o.expected)),
    ).toEqual([]);
    expect(outcomes.filter((o) => !keptContract(o)).map((o) => describeMismatch(o, o.expected))).toEqual([]);
    // Every kind of input was tried and each one got the answers it should.
    expect(Object.keys(kinds).sort()).toEqual([
      'base64-flag',
      'deep',
      'exception-shaped',
      'expiry',
      'fuzz-json',
      'garbage',
      'gateway-shape',
      'huge',
      'invalid-utf8',
      'method',
      'pair-reuse',
      'replay',
      'sign-tamper',
      'valid',
      'valid-v2',
      'wrong-type',
    ]);
    expect(Object.keys(counts).sort()).toEqual(['200', '400', '401', '405', '413']);
  }, 240_000);

  it('stores exactly the 200s: one row per new id, one delivery per 200, nothing for a rejected request', async () => {
    // Prepare
    const accepted = outcomes.filter((o) => o.status === 200);
    const rejected = outcomes.filter((o) => o.status !== 200);
    const acceptedIds = new Set(accepted.map((o) => o.id));
    // Act
    const after = await tableFigures();
    const ids = await storedIds();
    // Assess
    expect(
      accepted.filter((o) => o.contentId !== undefined && o.id !== o.contentId).map((o) => `${o.kind} / ${o.label}`),
    ).toEqual([]);
    expect(accepted.filter((o) => o.duplicate === false).length).toBe(acceptedIds.size);
    expect(after.rows - before.rows).toBe(acceptedIds.size);
    expect(after.deliveries - before.deliveries).toBe(accepted.length);
    expect([...acceptedIds].filter((id) => !ids.has(id as string))).toEqual([]);
    // A rejected request's event is in the table only if the same event was also accepted.
    const leaked = rejected.filter((o) => o.contentId !== undefined && ids.has(o.contentId) && !acceptedIds.has(o.contentId));
    expect(leaked.map((o) => describeMismatch(o, o.expected))).toEqual([]);
    expect(rejected.filter((o) => o.contentId !== undefined).length).toBeGreaterThan(1_000);
    // Replays of accepted requests are counted as repeats, not stored again.
    expect(outcomes.filter((o) => o.kind === 'replay' && o.duplicate !== true).length).toBe(0);
    expect(logLines.deadLetters.map((letter) => `${letter.payload.length} bytes: ${letter.payload.slice(0, 80)}`)).toEqual([]);
    // Each pair reuse was refused as a suspected forgery and kept aside, unverified.
    expect(logLines.quarantined).toBe(outcomes.filter((o) => o.kind === 'pair-reuse').length);
    console.log(
      `  rows +${after.rows - before.rows}, deliveries +${after.deliveries - before.deliveries}, rejected ${rejected.length} (none stored)`,
    );
  });

  it('with PostgreSQL stopped answers 503 (and dead-letters the body) exactly for the requests it would have stored; the rest keep their 4xx', async () => {
    // Prepare
    const down = new HostileRequests(SEED + 1).storeDownCases();
    const rowsBefore = await tableFigures();
    const lettersBefore = logLines.deadLetters.length;
    await server.stop();
    // Act
    let slice: Outcome[];
    try {
      // Two at a time, the pool's size: on SCF an instance serves one request at a time.
      slice = await send(down, { concurrency: 2 });
    } finally {
      await server.restart();
    }
    // Assess
    const wanted = (o: Outcome) => (o.expected === 200 ? 503 : o.expected);
    console.log(`  store-down slice: ${slice.length} requests; by status ${JSON.stringify(byStatus(slice))}`);
    expect(
      slice.filter((o) => (o.acceptable ? !keptContract(o) : o.status !== wanted(o))).map((o) => describeMismatch(o, wanted(o))),
    ).toEqual([]);
    const unavailable = slice.filter((o) => o.status === 503);
    expect(unavailable.length).toBeGreaterThan(50);
    expect(slice.length - unavailable.length).toBeGreaterThan(50);
    const letters = logLines.deadLetters.slice(lettersBefore);
    // A dead letter holds the event without its Sign/T pair: matched by event id, not by text.
    const letterIds = letters.map((letter) => dedupeKey(parseJson(letter.payload)));
    expect(letterIds.sort()).toEqual(unavailable.map((o) => o.contentId).sort());
    expect(letters.filter((letter) => /"(Sign|T)":/.test(letter.payload)).map((letter) => letter.payload.slice(0, 80))).toEqual(
      [],
    );
    expect(await tableFigures()).toEqual(rowsBefore);
    // VOD waits 5 s and SCF kills the callback at 10 s: a 503 that comes later never writes its dead letter.
    const slowest = Math.max(...unavailable.map((o) => o.ms));
    console.log(`  slowest 503: ${slowest.toFixed(0)} ms`);
    expect(slowest).toBeLessThan(3_000);

    // Replaying the dead letters once the store is back stores every one of those events.
    const store = await runtime.store();
    const known = await storedIds();
    const summary = await replay(
      letters.map((letter) => letter.line),
      { store, clock: systemClock },
    );
    const expectedIds = new Set(unavailable.map((o) => o.contentId));
    // Some fuzzed events of this slice (`{"EventType":"x"}`…) were already stored by the first one.
    const fresh = [...expectedIds].filter((id) => !known.has(id!)).length;
    expect(summary).toMatchObject({ read: letters.length, stored: fresh, duplicates: letters.length - fresh, skipped: [] });
    const ids = await storedIds();
    expect([...expectedIds].filter((id) => !ids.has(id!))).toEqual([]);
  }, 120_000);
});
