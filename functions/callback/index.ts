import type { ScfContext, ScfHttpEvent } from '../../lib/callback/gateway-event';
import { callbackHandlerFromEnv } from '../../lib/app/callback';
import handlers from '../../handlers';

// Built once per instance so warm invocations reuse the store's connections; the store itself
// opens on first use.
const handle = callbackHandlerFromEnv(process.env, undefined, handlers);

/**
 * SCF entry point (`index.main_handler`) behind the function URL. Declared `async`: SCF waits for
 * a handler's promise only when the handler is an async function (doc 583/67790).
 */
export async function main_handler(event: ScfHttpEvent, context?: ScfContext) {
  return handle(event, context);
}
