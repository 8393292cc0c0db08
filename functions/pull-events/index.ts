import { credentialsFrom, loadConfig } from '../../lib/config';
import { createRuntime } from '../../lib/runtime';
import { createPullEventsHandler, type ScfContext, type ScfTimerEvent } from './handler';

// Built at cold start and reused by warm invocations (connection pool, rate limiters). A bad
// configuration throws here: SCF reports the message on every invocation until it is fixed.
const runtime = createRuntime(loadConfig(process.env), { requireDatabaseUrl: true });
const handle = createPullEventsHandler(runtime, () => credentialsFrom(process.env));

export const main_handler = (event: ScfTimerEvent, context: ScfContext) => handle(event, context);
