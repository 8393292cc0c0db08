import type { Clock } from '../clock';
import type { Config } from '../config';
import { forwardHandler } from './forward';
import type { HandlerMap } from './handler';
import { createRegistry, type HandlerRegistry } from './registry';

/** The handlers of `handlers/index.ts` plus forwarding when FORWARD_URL is set. */
export function registryFor(config: Config, handlers: HandlerMap | undefined, clock: Clock): HandlerRegistry {
  const forward = config.forward;
  const builtIn = forward ? [{ handler: forwardHandler({ ...forward, clock }), eventTypes: forward.types }] : [];
  return createRegistry(handlers, builtIn);
}
