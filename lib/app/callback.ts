import { toCallbackRequest, toGatewayResult, type GatewayHandler } from '../callback/gateway-event';
import { CALLBACK_STATEMENT_TIMEOUT_MS, handleCallback, type CallbackDeps } from '../callback/handle';
import { systemClock } from '../clock';
import { callbackSignKeysFrom, DEFAULTS, loadConfig } from '../config';
import { jsonLineLogger, type Logger } from '../log';
import { dispatchRuns } from '../react/dispatch';
import type { HandlerMap } from '../react/handler';
import { ANY_TYPE } from '../react/registry';
import { createRuntime, type Runtime } from '../runtime';
import { dispatchDeps } from './dispatch-runs';

/**
 * A new event's handlers may run until this long after the request arrived, and at most
 * CALLBACK_DISPATCH_MS: VOD waits 5 s for the answer, and the answer must stay far inside that.
 */
export const CALLBACK_ANSWER_BY_MS = 2_500;

/** Runs a new event's handler runs within the callback's small budget; whatever does not finish is left for the timer. */
function runsOfNewEvent(runtime: Runtime): CallbackDeps['afterStore'] {
  const { config, registry, clock } = runtime;
  if (config.callbackDispatchMs === 0 || registry.handlers.length === 0) return undefined;
  return async ({ id: eventId, eventType }, receivedAt) => {
    // One worker per run the outbox made, and none when it made none: each claim is a round trip,
    // and a worker with nothing to claim would only open another connection to miss.
    const runs = registry.handlers.filter(
      ({ eventTypes }) => eventTypes.includes(ANY_TYPE) || eventTypes.includes(eventType),
    ).length;
    if (runs === 0) return;
    const budgetMs = Math.min(config.callbackDispatchMs, receivedAt.getTime() + CALLBACK_ANSWER_BY_MS - clock.now());
    if (budgetMs <= 0) return;
    const store = await runtime.store();
    await dispatchRuns(dispatchDeps(runtime, store.runs), {
      budgetMs,
      concurrency: Math.min(config.dispatchConcurrency, runs),
      eventIds: [eventId],
      cutToBudget: true,
    });
  };
}

const overGateway =
  (deps: CallbackDeps): GatewayHandler =>
  async (event, context) =>
    toGatewayResult(await handleCallback(toCallbackRequest(event ?? {}, context), deps));

/**
 * The callback function over a runtime: `index.ts` passes the real one, `vod-events serve` and
 * tests their own. Build it once per process; it says once, at creation, when callbacks are
 * unauthenticated.
 */
export function createCallbackHandler(runtime: Runtime): GatewayHandler {
  const { callbackSignKeys, callbackMaxBodyBytes } = runtime.config;
  if (callbackSignKeys.length === 0) {
    runtime.log.log('warn', 'VOD_CALLBACK_SIGN_KEY is not set: callbacks are accepted without a signature');
  }
  return overGateway({
    store: () => runtime.store(),
    clock: runtime.clock,
    log: runtime.log,
    signKeys: callbackSignKeys,
    maxBodyBytes: callbackMaxBodyBytes,
    discardStore: () => runtime.discardStore(),
    afterStore: runsOfNewEvent(runtime),
  });
}

/**
 * The SCF handler for an environment. A bad configuration does not throw: a module that fails to
 * load makes SCF fail every invocation before our code runs, and the body VOD sent would be lost
 * once its 3 attempts are spent. Instead bad input still gets its 4xx, a bad signature its 401
 * (the keys are read on their own, so an unrelated bad variable never switches checks off), and
 * every verified callback gets 503 with its event dead-lettered, the reason naming the variable,
 * ready for `vod-events replay` once the configuration is fixed. Only when the key variable
 * itself cannot be read are dead letters written unverified, which replay refuses by default.
 */
export function callbackHandlerFromEnv(
  env: Record<string, string | undefined>,
  log: Logger = jsonLineLogger(),
  handlers?: HandlerMap,
): GatewayHandler {
  try {
    return createCallbackHandler(
      createRuntime(loadConfig(env), { log, statementTimeoutMs: CALLBACK_STATEMENT_TIMEOUT_MS, handlers }),
    );
  } catch (error) {
    log.log('error', 'configuration error: callbacks are answered 503 and dead-lettered until it is fixed', {
      reason: (error as Error).message,
    });
    const signing = callbackSignKeysFrom(env);
    return overGateway({
      store: () => Promise.reject(error),
      clock: systemClock,
      log,
      signKeys: 'keys' in signing ? signing.keys : [],
      signKeyProblem: 'problem' in signing ? signing.problem : undefined,
      maxBodyBytes: DEFAULTS.callbackMaxBodyBytes,
    });
  }
}
