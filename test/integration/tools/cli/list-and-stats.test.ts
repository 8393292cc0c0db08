import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { main } from '../../../../tools/cli/main';
import { normalize } from '../../../../lib/events/normalize';
import { openEventStore, type StoreLocation } from '../../../../lib/store/open-store';
import { captureIo } from '../../../helpers/cli-io';
import { createDatabase } from '../../../helpers/postgres-server';
import { httpForm, pulledForm, v3Examples } from '../../../helpers/v3-event-factory';
import { openPglite } from '../../../../tools/embedded-store/pglite-client';

const [upload, procedure, deleted] = v3Examples();

/** Upload pulled at 08:01 and redelivered by callback at 08:04; procedure at 08:02; deletion at 08:03. */
async function seed(location: StoreLocation) {
  const store = await openEventStore(location);
  const pull = { source: 'pull', api: 'v3' } as const;
  await store.upsert([normalize(pulledForm(upload!, 'h1'), pull)], new Date('2026-01-31T08:01:00Z'));
  await store.upsert([normalize(pulledForm(procedure!, 'h2'), pull)], new Date('2026-01-31T08:02:00Z'));
  await store.upsert([normalize(httpForm(deleted!), { source: 'callback' })], new Date('2026-01-31T08:03:00Z'));
  await store.upsert([normalize(httpForm(upload!), { source: 'callback' })], new Date('2026-01-31T08:04:00Z'));
  await store.close();
}

/** Runs the CLI with `env` and returns its exit code and what it printed to stdout and stderr. */
async function runWith(env: Record<string, string>, ...argv: string[]) {
  const { io, out, err } = captureIo(env);
  const code = await main(argv, io);
  return { code, out: out(), err: err() };
}

/** A store that does not answer: flags must be checked before it is opened. */
const NO_STORE = { DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' };

describe('list and stats on the embedded store', () => {
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vod-events-cli-'));
    await seed({ databaseUrl: undefined, pgliteDir: dir, openEmbedded: openPglite });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const run = (...argv: string[]) => runWith({ PGLITE_DIR: dir }, ...argv);

  it('list prints a table of events, newest first', async () => {
    const { code, out } = await run('list');
    const lines = out.split('\n');

    expect(code).toBe(0);
    expect(lines[0]).toMatch(/^FIRST RECEIVED +TYPE +TASK +FILE +STATUS +SOURCE +DELIVERIES$/);
    expect(lines.slice(2).map((line) => line.split(/\s+/).slice(0, 2))).toEqual([
      ['2026-01-31T08:03:00Z', 'FileDeleted'],
      ['2026-01-31T08:02:00Z', 'ProcedureStateChanged'],
      ['2026-01-31T08:01:00Z', 'NewFileUpload'],
    ]);
    expect(lines[3]).toContain(procedure!.expected.fileId);
    expect(lines[3]).toMatch(/FINISH +pull +1$/);
    expect(lines[4]).toMatch(/ +pull +2$/);
  });

  it('list --type, --since and --limit narrow the rows', async () => {
    const types = async (...flags: string[]) => {
      const { out } = await run('list', '--json', ...flags);
      return JSON.parse(out).map((event: { eventType: string }) => event.eventType);
    };

    expect(await types('--type', 'NewFileUpload')).toEqual(['NewFileUpload']);
    expect(await types('--since', '2026-01-31T16:02:00+08:00')).toEqual(['FileDeleted', 'ProcedureStateChanged']);
    expect(await types('--limit', '1')).toEqual(['FileDeleted']);
  });

  it('list --json prints every column and the payload', async () => {
    const { code, out } = await run('list', '--json', '--type', 'NewFileUpload');

    expect(code).toBe(0);
    expect(JSON.parse(out)).toEqual([
      expect.objectContaining({
        ...upload!.expected,
        eventType: 'NewFileUpload',
        source: 'pull',
        deliveryCount: 2,
        firstReceivedAt: '2026-01-31T08:01:00.000Z',
        lastReceivedAt: '2026-01-31T08:04:00.000Z',
        payload: expect.objectContaining({ EventType: 'NewFileUpload' }),
      }),
    ]);
  });

  it('list says so when nothing matches', async () => {
    expect(await run('list', '--since', '2027-01-01')).toMatchObject({ code: 0, out: 'No events found.' });
  });

  it('stats prints totals and counts by type and source', async () => {
    const { code, out } = await run('stats');

    expect(code).toBe(0);
    expect(out).toContain('Events stored:         3');
    expect(out).toContain('Duplicate deliveries:  1');
    expect(out).toContain('Newest event received: 2026-01-31T08:03:00Z');
    expect(out).toMatch(/^ProcedureStateChanged +1$/m);
    expect(out).toMatch(/^pull +2$/m);
    expect(out).toMatch(/^callback +1$/m);
  });

  it('stats --json prints the figures as one object', async () => {
    const { out } = await run('stats', '--json');

    expect(JSON.parse(out)).toEqual({
      total: 3,
      duplicateDeliveries: 1,
      newestAt: '2026-01-31T08:03:00.000Z',
      byType: { FileDeleted: 1, NewFileUpload: 1, ProcedureStateChanged: 1 },
      bySource: { pull: 2, callback: 1 },
      runs: { byStatus: { pending: 0, running: 0, succeeded: 0, failed: 0, dead: 0 }, oldestPendingAgeS: 0 },
    });
  });
});

describe('list and stats flags', () => {
  it.each([
    [['--limit', '0'], '--limit expects a whole number from 1 to 10000, got "0"'],
    [['--limit', '10001'], '--limit expects a whole number from 1 to 10000, got "10001"'],
    [['--limit', 'ten'], '--limit expects a whole number from 1 to 10000, got "ten"'],
    [['--since', 'yesterday'], '--since expects an ISO 8601 date or time'],
    [['--since', '2026-02-30'], 'got "2026-02-30"'],
    [['--since', '2026-13-01'], 'got "2026-13-01"'],
    [['--since', '2026-01-31T25:00Z'], 'got "2026-01-31T25:00Z"'],
    [['--type', ''], '--type expects an event type'],
    [['--colour'], "Unknown option '--colour'"],
  ])('list %j is a usage error', async (flags, message) => {
    // No store is configured: a usage error must come before any attempt to open one.
    const { code, err } = await runWith(NO_STORE, 'list', ...flags);

    expect(code).toBe(2);
    expect(err).toMatch(/^vod-events list: /);
    expect(err).toContain(message);
    expect(err).toContain('Usage: vod-events list');
  });

  it.each(['list', 'stats'])('%s --help describes the command', async (name) => {
    const { code, out } = await runWith(NO_STORE, name, '--help');

    expect(code).toBe(0);
    expect(out).toMatch(new RegExp(`^Usage: vod-events ${name} `));
    expect(out).toContain('--json');
  });

  it('an unreachable store is one clear line and exit code 1', async () => {
    const { code, err } = await runWith(NO_STORE, 'stats');

    expect(code).toBe(1);
    expect(err).toMatch(/^vod-events stats: .*the store is unavailable/);
  });
});

describe('list on PostgreSQL from DATABASE_URL', () => {
  it('reads the same rows', async () => {
    const url = await createDatabase(inject('postgresUrl'));
    await seed({ databaseUrl: url, pgliteDir: 'unused' });

    const { code, out } = await runWith({ DATABASE_URL: url }, 'list', '--json');

    expect(code).toBe(0);
    expect(JSON.parse(out).map((event: { eventType: string }) => event.eventType)).toEqual([
      'FileDeleted',
      'ProcedureStateChanged',
      'NewFileUpload',
    ]);
  });
});
