import { systemClock, type Clock } from './clock';
import type { Config } from './config';
import { jsonLineLogger, type Logger } from './log';
import type { HandlerMap } from './react/handler';
import { outboxSpec } from './react/outbox';
import type { HandlerRegistry } from './react/registry';
import { registryFor } from './react/registry-for';
import { databaseUrlRequired, openEventStore, type OpenEmbedded, type OpenedStore } from './store/open-store';

/**
 * The one place that wires real dependencies. Functions build it once at module scope, so warm
 * invocations reuse the store's connection pool.
 */
export interface Runtime {
  config: Config;
  clock: Clock;
  log: Logger;
  /** The handlers that get a run for each new event (handlers/index.ts, and forwarding). */
  registry: HandlerRegistry;
  /**
   * The store, opened (and its table created) on first use. A failed open is not cached: the
   * next call tries again, so a database that was down at cold start is picked up once it is back.
   */
  store(): Promise<OpenedStore>;
  /**
   * Forgets the open store (its connections are closed in the background) so the next `store()`
   * opens a fresh one: after a timeout or a lost connection, pooled sockets that hang without
   * closing would otherwise fail every request until a cold start.
   */
  discardStore(): void;
  close(): Promise<void>;
}

export interface RuntimeOptions {
  /** Server-side cap on one store statement; see `CALLBACK_STATEMENT_TIMEOUT_MS`. */
  statementTimeoutMs?: number;
  /**
   * The embedded store, for local runs (tools/). Without it DATABASE_URL is required, as on SCF,
   * where an embedded store would silently lose data on an ephemeral instance.
   */
  openEmbedded?: OpenEmbedded;
  log?: Logger;
  clock?: Clock;
  /** The default export of handlers/index.ts (the functions and the CLI pass it). */
  handlers?: HandlerMap;
}

export function createRuntime(config: Config, options: RuntimeOptions = {}): Runtime {
  if (!config.databaseUrl && !options.openEmbedded) throw databaseUrlRequired();
  let opening: Promise<OpenedStore> | undefined;
  const clock = options.clock ?? systemClock;
  const registry = registryFor(config, options.handlers, clock);
  const outbox = outboxSpec(registry);
  return {
    config,
    clock,
    log: options.log ?? jsonLineLogger(),
    registry,
    store() {
      const location = { ...config, statementTimeoutMs: options.statementTimeoutMs, openEmbedded: options.openEmbedded, outbox };
      opening ??= openEventStore(location).catch((error: unknown) => {
        opening = undefined;
        throw error;
      });
      return opening;
    },
    discardStore() {
      const discarded = opening;
      opening = undefined;
      void discarded?.then((store) => store.close()).catch(() => {});
    },
    async close() {
      const store = await opening?.catch(() => undefined);
      opening = undefined;
      await store?.close();
    },
  };
}
