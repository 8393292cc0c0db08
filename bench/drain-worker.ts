// Runs in its own process so its peak RSS is the drain's alone. Modes: `drain` (the pull-events
// handler) and `naive` (pull → insert each event → confirm, one call at a time).
import { createPullEventsHandler } from '../lib/app/pull-events';
import { loadConfig } from '../lib/config';
import { normalize } from '../lib/events/normalize';
import { silentLogger } from '../lib/log';
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
const runtime = createRuntime(loadConfig(process.env), { log: silentLogger });
await runtime.store();
const started = performance.now();
const stored = mode === 'naive' ? await naive(runtime) : (await createPullEventsHandler(runtime)({})).inserted;
const elapsedMs = performance.now() - started;
await runtime.close();
process.stdout.write(JSON.stringify({ stored, elapsedMs, maxRssMb: process.resourceUsage().maxRSS / 1024 }));
