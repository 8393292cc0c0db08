// Runs in its own process so its peak RSS is the drain's alone. Modes: `drain` (the pull-events
// handler) and `naive` (pull → insert each event → confirm, one call at a time). With
// BENCH_HANDLER=noop, a no-op handler under '*': each new event gets its run in the statement that
// stores it, and the handler dispatches the runs after the drain (`drainMs` is the drain alone).
import { createPullEventsHandler } from '../lib/app/pull-events';
import { loadConfig } from '../lib/config';
import { normalize } from '../lib/events/normalize';
import { silentLogger } from '../lib/log';
import { defineHandlers } from '../lib/react/handler';
import { createRuntime } from '../lib/runtime';
import { createVodQueueClient } from '../lib/vod/create-client';

async function naive(runtime: ReturnType<typeof createRuntime>) {
  const store = await runtime.store();
  const vod = createVodQueueClient(runtime.config, runtime.clock);
  const signal = new AbortController().signal;
  let stored = 0;
  for (;;) {
    const events = await vod.pull(signal);
    if (events.length === 0) return stored;
    for (const event of events) {
      await store.upsert([normalize(event.content, { source: 'pull', api: vod.api })], new Date());
      stored++;
    }
    await vod.confirm(
      events.map((event) => event.handle),
      signal,
    );
  }
}

const mode = process.argv[2];
const noop = { name: 'noop', run: async () => {} };
const handlers = process.env.BENCH_HANDLER === 'noop' ? defineHandlers({ '*': [noop] }) : undefined;
const runtime = createRuntime(loadConfig(process.env), { log: silentLogger, handlers });
await runtime.store();
const started = performance.now();
const result =
  mode === 'naive'
    ? { inserted: await naive(runtime), elapsedMs: undefined, runsSucceeded: 0 }
    : await createPullEventsHandler(runtime)({});
const elapsedMs = performance.now() - started;
await runtime.close();
process.stdout.write(
  JSON.stringify({
    stored: result.inserted,
    elapsedMs,
    drainMs: result.elapsedMs ?? elapsedMs,
    runsSucceeded: result.runsSucceeded,
    maxRssMb: process.resourceUsage().maxRSS / 1024,
  }),
);
