import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { listen } from '../http/listen';
import { CONTROL_PREFIX, serveControl } from './control-api';
import { faultPlanProblem, type FaultPlan } from './faults';
import { clientGone, sendJson } from './http';
import { resolveOptions, type EmulatorCredential, type EmulatorOptions } from './options';
import { EmulatorState, type EmulatorStats, type EnqueueOptions } from './state';
import { serveV2, V2_PATH } from './v2-api';
import { serveV3 } from './v3-api';

/** A running emulator; everything its control API offers, callable in-process. */
export interface RunningEmulator {
  /** Base URL, `http://host:port`: the v3 endpoint; v2 is at `${url}/v2/index.php`. */
  url: string;
  port: number;
  /** The accepted key pairs. */
  credentials: readonly EmulatorCredential[];
  /** Stops listening and drops open connections, hung and long-polling ones included. */
  close(): Promise<void>;
  /** Queues event contents; returns how many. Throws `RangeError` for a content that is not an object. */
  enqueue(events: readonly unknown[], options?: EnqueueOptions): number;
  stats(): EmulatorStats;
  /** Replaces the fault plan. Throws `RangeError` naming a bad field. */
  setFaults(plan: FaultPlan): void;
  /** Empties queues and counters and restores the start-up fault plan. */
  reset(): void;
}

/**
 * Starts the local VOD: API 3.0 `PullEvents`/`ConfirmEvents`/`DescribeEventsState` on `POST /`, the 2017 API on
 * `/v2/index.php`, and the control API under `/_emulator/`. Throws `RangeError` for bad options.
 */
export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const resolved = resolveOptions(options);
  const checkPlan = (plan: FaultPlan) => {
    const problem = faultPlanProblem(plan);
    if (problem) throw new RangeError(`faults: ${problem}`);
  };
  checkPlan(resolved.faults);
  const state = new EmulatorState(resolved);
  state.enqueue(resolved.events);

  const server = createServer((req, res) => {
    route(state, req, res).catch((error: unknown) =>
      sendJson(res, 500, { error: error instanceof Error ? error.message : String(error) }),
    );
  });
  const { port, origin, close } = await listen(server, resolved.port, resolved.host);
  return {
    url: origin,
    port,
    credentials: resolved.credentials,
    close,
    enqueue: (events, enqueueOptions) => state.enqueue(events, enqueueOptions),
    stats: () => state.stats(),
    setFaults: (plan) => {
      checkPlan(plan);
      state.faults.setPlan(plan);
    },
    reset: () => state.reset(),
  };
}

function route(state: EmulatorState, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const path = new URL(req.url ?? '/', 'http://emulator').pathname;
  if (path.startsWith(CONTROL_PREFIX)) return serveControl(state, req, res);
  if (path === V2_PATH) return serveV2(state, req, res, clientGone(res));
  if (path === '/') return serveV3(state, req, res, clientGone(res));
  sendJson(res, 404, {
    error: `no route ${path}: the v3 API is at /, the v2 API at ${V2_PATH}, the control API under ${CONTROL_PREFIX}`,
  });
  return Promise.resolve();
}
