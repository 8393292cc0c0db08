// One warm SCF instance of pull-events: invokes the handler at each simulated timer tick, letting
// invocations overlap as SCF's timer does, each with a context whose limit is the function's
// timeout. Prints, per invocation, its duration, its summary and the VOD API calls it made
// (counted at the HTTP layer, attributed by async context), and the process's peak RSS.
// argv: start epoch ms, tick offsets ms (JSON), timeout ms, variant (`handler` | `every-loop`).
import { AsyncLocalStorage } from 'node:async_hooks';
import { subscribe } from 'node:diagnostics_channel';
import type { ClientRequest } from 'node:http';
import { createPullEventsHandler } from '../lib/app/pull-events';
import { loadConfig } from '../lib/config';
import { drainBudgetMs } from '../lib/drain/budget';
import { drain } from '../lib/drain/drain';
import { silentLogger } from '../lib/log';
import { createRuntime } from '../lib/runtime';
import { createVodQueueClient } from '../lib/vod/create-client';
import { tokenBucket } from '../lib/vod/rate-limiter';

const [startAt, ticks, timeoutMs, variant] = [
  Number(process.argv[2]),
  JSON.parse(process.argv[3]!) as number[],
  Number(process.argv[4]),
  process.argv[5],
];
const runtime = createRuntime(loadConfig(process.env), { log: silentLogger });
const { config, clock } = runtime;
await runtime.store();

const invocation = new AsyncLocalStorage<Record<string, number>>();
subscribe('http.client.request.start', (message) => {
  const calls = invocation.getStore();
  if (calls === undefined) return;
  const action = String((message as { request: ClientRequest }).request.getHeader('x-tc-action') ?? 'other');
  calls[action] = (calls[action] ?? 0) + 1;
});

const handle = createPullEventsHandler(runtime);
const limiters = { pull: tokenBucket(config.maxQps, clock), confirm: tokenBucket(config.maxQps, clock) };
/** Follow mode with every loop polling an idle queue: the baseline of what resting saves. */
async function everyLoop(endsAt: number) {
  return drain(
    { vod: createVodQueueClient(config, clock), store: await runtime.store(), clock, log: silentLogger, limiters },
    {
      mode: 'follow',
      concurrency: config.drainConcurrency,
      idleLoops: config.drainConcurrency,
      maxBatches: config.drainMaxBatches,
      budgetMs: drainBudgetMs(config.drainBudgetMs, endsAt - clock.now()),
    },
  );
}

const invocations = await Promise.all(
  ticks.map(async (tick) => {
    await new Promise((resolve) => setTimeout(resolve, startAt + tick - Date.now()));
    const calls: Record<string, number> = {};
    const startedAt = Date.now();
    const endsAt = startedAt + timeoutMs;
    const result = await invocation.run(calls, () =>
      variant === 'every-loop'
        ? everyLoop(endsAt)
        : handle({ Type: 'Timer', TriggerName: 'bench' }, { getRemainingTimeInMillis: () => endsAt - Date.now() }),
    );
    return {
      tick,
      durationMs: Date.now() - startedAt,
      calls,
      pulled: result.pulled,
      confirmed: result.confirmed,
      stopReason: result.stopReason,
    };
  }),
);
await runtime.close();
process.stdout.write(JSON.stringify({ invocations, maxRssMb: process.resourceUsage().maxRSS / 1024 }));
