import type { IncomingMessage, ServerResponse } from 'node:http';
import { faultPlanProblem, type FaultPlan } from './faults';
import { readBody } from '../http/read-body';
import { sendJson } from './http';
import type { EnqueueOptions, EmulatorState } from './state';

export const CONTROL_PREFIX = '/_emulator/';

const MAX_BODY_BYTES = 64 * 1024 * 1024;

/**
 * The emulator's own endpoints (no signature: loopback test bed only):
 * `POST events` (an array of v3 contents, or `{format, events, subAppId?}`), `GET stats`,
 * `POST reset`, `GET|POST faults` (a `FaultPlan`, replacing the current one).
 */
export async function serveControl(state: EmulatorState, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const route = `${req.method} ${new URL(req.url ?? '/', 'http://emulator').pathname.slice(CONTROL_PREFIX.length)}`;
  switch (route) {
    case 'GET stats':
      return sendJson(res, 200, state.stats());
    case 'POST reset':
      state.reset();
      return sendJson(res, 200, state.stats());
    case 'GET faults':
      return sendJson(res, 200, state.faults.currentPlan());
    case 'POST faults':
    case 'POST events': {
      const body = await readJson(req);
      if (!body.ok) return sendJson(res, 400, { error: body.error });
      return route === 'POST faults' ? setFaults(state, res, body.value) : enqueue(state, res, body.value);
    }
    default:
      return sendJson(res, 404, {
        error: `no control endpoint ${route}; try GET stats, POST events, POST reset, GET|POST faults under ${CONTROL_PREFIX}`,
      });
  }
}

function setFaults(state: EmulatorState, res: ServerResponse, plan: unknown): void {
  const problem = faultPlanProblem(plan);
  if (problem) return sendJson(res, 400, { error: problem });
  state.faults.setPlan(plan as FaultPlan);
  sendJson(res, 200, state.faults.currentPlan());
}

function enqueue(state: EmulatorState, res: ServerResponse, body: unknown): void {
  const batch = Array.isArray(body) ? { events: body } : (body as ({ events?: unknown } & EnqueueOptions) | null);
  if (typeof batch !== 'object' || batch === null || !Array.isArray(batch.events)) {
    return sendJson(res, 400, {
      error: 'expected an array of v3 event contents, or {"format": "v3"|"v2"|"v2-legacy", "events": [...], "subAppId"?: n}',
    });
  }
  try {
    const enqueued = state.enqueue(batch.events, { format: batch.format, subAppId: batch.subAppId });
    sendJson(res, 200, { enqueued });
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    sendJson(res, 400, { error: error.message });
  }
}

async function readJson(req: IncomingMessage): Promise<{ ok: true; value: unknown } | { ok: false; error: string }> {
  const body = await readBody(req, MAX_BODY_BYTES);
  if (body.length > MAX_BODY_BYTES) return { ok: false, error: `body larger than ${MAX_BODY_BYTES} bytes` };
  try {
    return { ok: true, value: JSON.parse(body.toString('utf8')) };
  } catch {
    return { ok: false, error: 'body is not valid JSON' };
  }
}
