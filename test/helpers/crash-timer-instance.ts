// One SCF instance of the timer function, for the crash test: loads the pull-events bundle named
// by FUNCTION_BUNDLE and calls its main_handler as SCF's timer trigger does, one invocation after
// another (warm invocations share the module), each with FUNCTION_TIMEOUT_MS to run. It stops
// after INVOCATIONS, or after one that pulled nothing and ran no handler. The function's JSON log
// lines (its `pull-events finished` summaries) go to stdout.
import { createRequire } from 'node:module';
import { setTimeout as sleep } from 'node:timers/promises';
import type { main_handler } from '../../functions/pull-events';

const { FUNCTION_BUNDLE, FUNCTION_TIMEOUT_MS, INVOCATIONS, TICK_MS } = process.env;
const bundle = createRequire(__filename)(FUNCTION_BUNDLE!) as { main_handler: typeof main_handler };

async function main() {
  for (let n = 0; n < Number(INVOCATIONS); n++) {
    const started = Date.now();
    const context = {
      request_id: `${process.pid}-${n}`,
      getRemainingTimeInMillis: () => Number(FUNCTION_TIMEOUT_MS) - (Date.now() - started),
    };
    // A rejected invocation (it logged `pull-events failed`) is retried by the next one, as SCF would.
    const result = await bundle
      .main_handler({ Type: 'Timer', TriggerName: 'crash-timer', Time: new Date().toISOString() }, context)
      .catch(() => undefined);
    if (result && result.pulled === 0 && result.runsSucceeded + result.runsFailed + result.runsDead === 0) break;
    await sleep(Number(TICK_MS));
  }
  process.exit(0);
}

void main();
