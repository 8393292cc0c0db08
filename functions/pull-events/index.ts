import { credentialsFrom, loadConfig } from '../../lib/config';
import { createRuntime } from '../../lib/runtime';
import { createPullEventsHandler, type ScfContext, type ScfTimerEvent } from '../../lib/app/pull-events';
import handlers from '../../handlers';

// Built at cold start and reused by warm invocations (connection pool, rate limiters). A bad
// configuration throws here: SCF reports the message on every invocation until it is fixed.
const runtime = createRuntime(loadConfig(process.env), { handlers });
const handle = createPullEventsHandler(runtime, () => credentialsFrom(process.env));

/**
 * SCF entry point (`index.main_handler`) of the timer trigger. Declared `async`: SCF waits for a
 * handler's promise only when the handler is an async function (doc 583/67790); a plain function
 * returning one would run until the event loop is empty, which the idle pool delays.
 */
export async function main_handler(event: ScfTimerEvent, context: ScfContext) {
  return handle(event, context);
}
