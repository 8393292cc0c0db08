import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../../../tools/cli/main';
import { openEventStore } from '../../../../lib/store/open-store';
import { openPglite } from '../../../../tools/embedded-store/pglite-client';
import { captureIo } from '../../../helpers/cli-io';
import { uploadEvent, procedureEvent, delivered } from '../../../unit/state/histories';

const FILE = '5285890784200000001';
const STUCK = '5285890784200000002';

let dir: string;

/** Runs the CLI on the test's embedded store and returns its exit code and what it printed. */
async function run(...argv: string[]) {
  const { io, out, err } = captureIo({ PGLITE_DIR: dir });
  const code = await main(argv, io);
  return { code, out: out(), err: err() };
}

describe('files, file and rebuild-state on the embedded store', () => {
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vod-events-state-'));
    const store = await openEventStore({ databaseUrl: undefined, pgliteDir: dir, openEmbedded: openPglite });
    // FILE: uploaded, then its procedure finishes (stored in the other order); STUCK: uploaded, its procedure never reports.
    await store.upsert([delivered(procedureEvent(FILE, 'p-1', 'finished'), 'pull')], new Date('2026-01-31T08:02:00Z'));
    await store.upsert(
      [delivered(uploadEvent(FILE, 'p-1'), 'pull'), delivered(uploadEvent(STUCK, 'p-2'), 'pull')],
      new Date('2026-01-31T08:01:00Z'),
    );
    await store.close();
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('files lists the merged state; --status and --stuck-for filter it', async () => {
    const all = await run('files', '--json');
    expect(all.code).toBe(0);
    const lifecycles = Object.fromEntries(
      (JSON.parse(all.out) as { fileId: string; lifecycle: string }[]).map((file) => [file.fileId, file.lifecycle]),
    );
    expect(lifecycles).toEqual({ [FILE]: 'ready', [STUCK]: 'processing' });

    const stuck = await run('files', '--stuck-for', '1h');
    expect(stuck.out).toContain(STUCK);
    expect(stuck.out).not.toContain(FILE);
    expect((await run('files', '--status', 'ready')).out).not.toContain(STUCK);
    expect((await run('files', '--stuck-for', '100000d')).out).toBe('No files found.');
  });

  it('file prints the state and the timeline, oldest first', async () => {
    const { code, out } = await run('file', FILE);
    expect(code).toBe(0);
    expect(out).toMatch(new RegExp(`^File ${FILE}: ready`));
    expect(out.indexOf('NewFileUpload')).toBeGreaterThan(0);
    expect(out.indexOf('NewFileUpload')).toBeLessThan(out.indexOf('ProcedureStateChanged', out.indexOf('FIRST RECEIVED')));
  });

  it('rebuild-state gives the same rows, twice', async () => {
    const before = (await run('files', '--json')).out;
    expect((await run('rebuild-state')).out).toBe('Rebuilt from 3 events: 2 files in vod_files, 2 tasks in vod_tasks.');
    expect((await run('rebuild-state')).code).toBe(0);
    expect((await run('files', '--json')).out).toBe(before);
  });

  it('refuses a wrong duration or status with the flag and what it expects', async () => {
    expect(await run('files', '--stuck-for', '1 hour')).toMatchObject({
      code: 2,
      err: expect.stringContaining('--stuck-for expects a duration such as 90s'),
    });
    expect(await run('files', '--status', 'done')).toMatchObject({
      code: 2,
      err: expect.stringContaining('--status expects one of uploaded'),
    });
    expect(await run('file')).toMatchObject({ code: 2, err: expect.stringContaining('exactly one FileId') });
  });
});
