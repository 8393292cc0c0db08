import { FORWARD_HANDLER } from './forward';
import type { Handler, HandlerMap } from './handler';

/** Matches every event type (`'*'` in `handlers/index.ts`, an unset `FORWARD_TYPES`). */
export const ANY_TYPE = '*';

export const DEFAULT_TIMEOUT_MS = 10_000;

/** One handler as the dispatcher runs it: its options resolved, and the event types it takes. */
export interface RegisteredHandler {
  name: string;
  eventTypes: string[];
  orderByFile: boolean;
  timeoutMs: number;
  maxAttempts: number | undefined;
  run: Handler<unknown>['run'];
}

export interface HandlerRegistry {
  readonly handlers: readonly RegisteredHandler[];
  byName(name: string): RegisteredHandler | undefined;
  /** Whether any handler runs for events of this type (the outbox makes runs for exactly these). */
  handles(eventType: string): boolean;
}

/** Names become part of idempotency keys, CLI flags and log lines: keep them plain. */
const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** A handler module that does not hold what `HandlerMap` says: the message names the key and the handler. */
export class HandlerDefinitionError extends Error {
  override name = 'HandlerDefinitionError';
}

function checked(eventType: string, handler: unknown, index: number): Handler<unknown> {
  const where = `handlers['${eventType}'][${index}]`;
  const candidate = handler as Partial<Handler<unknown>> | null;
  if (typeof candidate !== 'object' || candidate === null) throw new HandlerDefinitionError(`${where} is not a handler object`);
  if (typeof candidate.name !== 'string' || !NAME.test(candidate.name)) {
    throw new HandlerDefinitionError(
      `${where}.name must be 1-64 letters, digits, '.', '_' or '-', got ${JSON.stringify(candidate.name)}`,
    );
  }
  // Refused at build time, not only when FORWARD_URL is set: a deploy that later sets it would fail every invocation.
  if (candidate.name === FORWARD_HANDLER) {
    throw new HandlerDefinitionError(`${where}.name '${FORWARD_HANDLER}' is reserved for the built-in forwarding (FORWARD_URL)`);
  }
  if (typeof candidate.run !== 'function') throw new HandlerDefinitionError(`${where} (${candidate.name}) has no run() function`);
  if (candidate.orderBy !== undefined && candidate.orderBy !== 'file') {
    throw new HandlerDefinitionError(`${where} (${candidate.name}).orderBy must be 'file' or absent`);
  }
  for (const option of ['timeoutMs', 'maxAttempts'] as const) {
    const value = candidate[option];
    if (value !== undefined && !(Number.isInteger(value) && value >= 1)) {
      throw new HandlerDefinitionError(`${where} (${candidate.name}).${option} must be a positive whole number`);
    }
  }
  return candidate as Handler<unknown>;
}

/**
 * The handlers of `handlers/index.ts` plus the built-in ones, checked: a handler listed under
 * several event types is one handler (one run per event); two different handlers with one name
 * are refused, as their runs could not be told apart.
 */
export function createRegistry(
  map: HandlerMap | undefined,
  builtIn: readonly { handler: Handler<unknown>; eventTypes: readonly string[] }[] = [],
): HandlerRegistry {
  const byName = new Map<string, { handler: Handler<unknown>; eventTypes: string[] }>();
  const add = (eventType: string, handler: Handler<unknown>) => {
    const known = byName.get(handler.name);
    if (known && known.handler !== handler)
      throw new HandlerDefinitionError(`two different handlers are named '${handler.name}'`);
    if (known) known.eventTypes.push(eventType);
    else byName.set(handler.name, { handler, eventTypes: [eventType] });
  };
  if (map !== undefined && (typeof map !== 'object' || map === null))
    throw new HandlerDefinitionError('handlers/index.ts must export default an object of event type → handler list');
  for (const [eventType, list] of Object.entries(map ?? {})) {
    if (list === undefined) continue;
    if (!Array.isArray(list)) throw new HandlerDefinitionError(`handlers['${eventType}'] must be an array of handlers`);
    list.forEach((handler, index) => add(eventType, checked(eventType, handler, index)));
  }
  for (const { handler, eventTypes } of builtIn) for (const eventType of eventTypes) add(eventType, handler);
  const handlers = [...byName.values()].map(({ handler, eventTypes }) => ({
    name: handler.name,
    eventTypes: eventTypes.includes(ANY_TYPE) ? [ANY_TYPE] : [...new Set(eventTypes)],
    orderByFile: handler.orderBy === 'file',
    timeoutMs: handler.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    maxAttempts: handler.maxAttempts,
    run: handler.run,
  }));
  const index = new Map(handlers.map((handler) => [handler.name, handler]));
  const types = new Set(handlers.flatMap((handler) => handler.eventTypes));
  return { handlers, byName: (name) => index.get(name), handles: (eventType) => types.has(ANY_TYPE) || types.has(eventType) };
}
