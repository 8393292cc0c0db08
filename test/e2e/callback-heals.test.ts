import { build } from 'esbuild';
import { afterAll, describe, expect, inject, it, vi } from 'vitest';
import { handleCallback, type CallbackDeps } from '../../lib/callback/handle';
import { systemClock } from '../../lib/clock';
import { loadConfig } from '../../lib/config';
import { createRuntime, type Runtime } from '../../lib/runtime';
import { openPostgres } from '../../lib/store/postgres-client';
import { callbackRequest, captureLog, SIGN_KEY, signed } from '../helpers/callback-requests';
import { createDatabase } from '../helpers/postgres-server';
import { freezableHop } from '../helpers/freezable-hop';

const runtimes: Runtime[] = [];
afterAll(async () => {
  for (const runtime of runtimes) await runtime.close().catch(() => {});
});

function callbackOver(databaseUrl: string, log = captureLog()) {
  const runtime = createRuntime(loadConfig({ DATABASE_URL: databaseUrl, VOD_CALLBACK_SIGN_KEY: SIGN_KEY }), { log });
  runtimes.push(runtime);
  const deps: CallbackDeps = {
    store: () => runtime.store(),
    clock: systemClock,
    log,
    signKeys: [SIGN_KEY],
    maxBodyBytes: 1 << 20,
    storeTimeoutMs: 500,
    discardStore: () => runtime.discardStore(),
  };
  let n = 0;
  const send = async () =>
    (
      await handleCallback(
        callbackRequest(
          signed(
            { EventType: 'FileDeleted', FileDeleteEvent: { FileIdSet: [`heal-${++n}-${Math.random()}`] } },
            SIGN_KEY,
            Date.now() + 600_000,
          ),
        ),
        deps,
      )
    ).status;
  return { runtime, send };
}

describe('the callback receiver heals itself (issue 11)', () => {
  it('defect 4: after its pooled connections hang, the next request opens a fresh pool instead of failing until a cold start', async () => {
    const databaseUrl = new URL(await createDatabase(inject('postgresUrl'), 'heal_hung'));
    const hop = await freezableHop(databaseUrl);
    try {
      const viaHop = new URL(databaseUrl);
      viaHop.hostname = '127.0.0.1';
      viaHop.port = String(hop.port);
      const { send } = callbackOver(viaHop.toString());
      // Both pooled connections open (two at once), then both hang. On a loaded machine the cold
      // open (pool + schema check) can itself pass the 4 s store timeout: then it is opened again.
      await vi.waitFor(async () => expect(await Promise.all([send(), send()])).toEqual([200, 200]), { timeout: 20_000 });
      hop.freeze();
      expect(await Promise.all([send(), send()])).toEqual([503, 503]);
      const after = [await send(), await send(), await send()];
      expect(after).toContain(200);
    } finally {
      await hop.close();
    }
  });

  it('defect 10: a dropped table is recreated on a warm instance', async () => {
    const databaseUrl = await createDatabase(inject('postgresUrl'), 'heal_dropped');
    const { runtime, send } = callbackOver(databaseUrl);
    expect(await send()).toBe(200);
    await runtime.store();
    const admin = openPostgres(databaseUrl);
    await admin.exec('DROP TABLE vod_events; DROP TABLE vod_callback_deliveries;');
    await admin.close();
    expect(await send()).toBe(200);
  });

  it('defect 10: error classes keep their names in a minified bundle', async () => {
    const out = await build({
      entryPoints: ['lib/errors.ts'],
      bundle: true,
      minify: true,
      format: 'cjs',
      write: false,
      platform: 'node',
    });
    const module = { exports: {} as Record<string, new (...args: never[]) => Error> };
    new Function('module', 'exports', out.outputFiles[0]!.text)(module, module.exports);
    expect(new module.exports.StoreError!('x' as never, 'unavailable' as never).name).toBe('StoreError');
    expect(new module.exports.ConfigError!([] as never).name).toBe('ConfigError');
  });
});
