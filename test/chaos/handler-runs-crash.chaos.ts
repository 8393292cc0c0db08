import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { normalize } from '../../lib/events/normalize';
import { outboxProjection, outboxSpec } from '../../lib/react/outbox';
import { createRegistry } from '../../lib/react/registry';
import { FORWARD_HANDLER } from '../../lib/react/forward';
import { createEventStore } from '../../lib/store/event-store';
import { openPostgres } from '../../lib/store/postgres-client';
import { migrate } from '../../lib/store/schema';
import { stateProjection } from '../../lib/store/state-projection';
import type { SqlClient } from '../../lib/store/sql-client';
import { createDatabase, startPostgresServer, type PostgresServer } from '../helpers/postgres-server';

const EVENTS = 2_000;
const KILL_RATE = 0.004;
const SECRET = `whsec_${randomBytes(32).toString('base64')}`;

let server: PostgresServer;
let databaseUrl: string;
let sql: SqlClient;
let dir: string;
let child: string;
const seen = new Set<string>();
let refused = 0;
const receiver = createServer((request, response) => {
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', () => {
    try {
      new Webhook(SECRET).verify(Buffer.concat(chunks).toString('utf8'), request.headers as Record<string, string>);
      seen.add(String(request.headers['webhook-id']));
      response.writeHead(204).end();
    } catch {
      refused += 1;
      response.writeHead(400).end();
    }
  });
});

beforeAll(async () => {
  server = await startPostgresServer();
  databaseUrl = await createDatabase(server.url, 'crash');
  sql = await openPostgres(databaseUrl);
  await migrate(sql);
  await sql.query('CREATE TABLE crash_effects (event_id text NOT NULL, attempt integer NOT NULL)');
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  // Inside the project, so the child resolves its packages from node_modules.
  dir = mkdtempSync(join('dist', 'crash-'));
  child = join(dir, 'dispatcher.cjs');
  await build({
    entryPoints: ['test/helpers/crash-dispatcher.ts'],
    outfile: child,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    packages: 'external',
    logLevel: 'silent',
  });
});

afterAll(async () => {
  await sql?.close();
  receiver.closeAllConnections();
  await new Promise((resolve) => receiver.close(resolve));
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

function runChild(env: Record<string, string>): Promise<NodeJS.Signals | null> {
  return new Promise((resolve) => {
    const process_ = spawn(process.execPath, [child], {
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['ignore', 'ignore', 'inherit'],
      cwd: process.cwd(),
    });
    process_.on('exit', (_, signal) => resolve(signal));
  });
}

it('every (event, handler) ends with exactly one succeeded run when dispatchers SIGKILL themselves at random points; the receiver verified every event', async () => {
  const forwardUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
  // The registry the functions would have: the same names and types as the child's.
  const registry = createRegistry({
    '*': [
      { name: 'effect', run: async () => {} },
      { name: FORWARD_HANDLER, run: async () => {} },
    ],
  });
  const store = createEventStore(sql, { projections: [stateProjection(), outboxProjection(outboxSpec(registry)!)] });
  const contents = Array.from({ length: EVENTS }, (_, i) => ({
    EventType: 'ProcedureStateChanged',
    ProcedureStateChangeEvent: { TaskId: `task-${i}`, Status: 'FINISH', FileId: `file-${i % 50}` },
  }));
  // By pull in batches of 16, and a third again by callback (duplicates by the other path), a tenth twice by callback.
  for (let i = 0; i < EVENTS; i += 16)
    await store.upsert(
      contents.slice(i, i + 16).map((c) => normalize(c, { source: 'pull', api: 'v3' })),
      new Date(),
    );
  for (let i = 0; i < EVENTS; i += 3) {
    const event = normalize(contents[i], { source: 'callback' });
    await store.deliver(event, { key: `pair-${i}`, expiresAt: undefined, repeatCounts: true, sharedForMs: 0 }, new Date());
    if (i % 10 === 0)
      await store.deliver(event, { key: `pair-${i}`, expiresAt: undefined, repeatCounts: true, sharedForMs: 0 }, new Date());
  }

  const env = { DATABASE_URL: databaseUrl, FORWARD_URL: forwardUrl, FORWARD_SECRET: SECRET, KILL_RATE: String(KILL_RATE) };
  let kills = 0;
  for (let round = 0; round < 60; round++) {
    const [left] = await sql.query<{ count: string }>(
      `SELECT count(*)::text AS count FROM vod_handler_runs WHERE status <> 'succeeded'`,
    );
    if (Number(left!.count) === 0) break;
    // Two overlapping dispatchers each round.
    const signals = await Promise.all([runChild(env), runChild(env)]);
    kills += signals.filter((signal) => signal === 'SIGKILL').length;
    if (signals.every((signal) => signal === null)) await new Promise((resolve) => setTimeout(resolve, 1_000)); // leases of killed runs
  }

  const byStatus = await sql.query<{ handler: string; status: string; count: string }>(
    `SELECT handler, status, count(*)::text AS count FROM vod_handler_runs GROUP BY handler, status ORDER BY handler`,
  );
  expect(byStatus).toEqual([
    { handler: 'effect', status: 'succeeded', count: String(EVENTS) },
    { handler: 'forward', status: 'succeeded', count: String(EVENTS) },
  ]);
  expect(kills).toBeGreaterThan(5);
  // No body completed in an attempt that started after its run was recorded succeeded.
  const [late] = await sql.query<{ count: string }>(
    `SELECT count(*)::text AS count FROM crash_effects AS c JOIN vod_handler_runs AS r ON r.event_id = c.event_id AND r.handler = 'effect' WHERE c.attempt > r.attempts`,
  );
  expect(late!.count).toBe('0');
  const [missing] = await sql.query<{ count: string }>(
    `SELECT count(*)::text AS count FROM vod_events AS e WHERE NOT EXISTS (SELECT 1 FROM crash_effects AS c WHERE c.event_id = e.id)`,
  );
  expect(missing!.count).toBe('0');
  const ids = await sql.query<{ id: string }>('SELECT id FROM vod_events');
  expect(ids.filter(({ id }) => !seen.has(id))).toEqual([]);
  expect(refused).toBe(0);
  console.log(`crash test: ${EVENTS} events, ${kills} dispatchers killed`);
});
