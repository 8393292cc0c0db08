import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApiFormat } from '../../lib/events/types';
import { runAdmitted, type AdmissionRefusals, type CallAnswer } from './admitted-call';
import { readBody } from '../http/read-body';
import { sendJson } from './http';
import { pullWithLongPoll } from './long-poll';
import { EmptyAnswer } from './options';
import type { QueueKey } from './queue';
import type { EmulatorState } from './state';
import { V2Code, verifyV2Params } from './v2-signature';

export const V2_PATH = '/v2/index.php';
/** The host real v2 clients sign for; accepted besides the host actually dialled. */
export const V2_HOST = 'vod.api.qcloud.com';

/** PullEvent serves v2 (`{version, eventType, data}`) contents, PullVodEvent v2-legacy ones: two queues. */
const ACTIONS: Record<string, { format: ApiFormat; confirm: boolean }> = {
  PullEvent: { format: 'v2', confirm: false },
  ConfirmEvent: { format: 'v2', confirm: true },
  PullVodEvent: { format: 'v2-legacy', confirm: false },
  ConfirmVodEvent: { format: 'v2-legacy', confirm: true },
};

const MAX_BODY_BYTES = 1024 * 1024;

class V2Error extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

/** Serves one API 2.0 call on `/v2/index.php` (GET query or POST form), answering `{code, message, …}`. */
export async function serveV2(
  state: EmulatorState,
  req: IncomingMessage,
  res: ServerResponse,
  signal: AbortSignal,
): Promise<void> {
  try {
    const answer = await runV2(state, req, res, signal);
    if (answer) sendJson(res, 200, { code: 0, message: '', ...answer });
  } catch (error) {
    if (!(error instanceof V2Error)) throw error;
    state.countError(`v2:${error.code}`);
    sendJson(res, 200, { code: error.code, message: error.message });
  }
}

/** Admission's refusals in API 2.0's words: a code and a message, like the real API. */
const REFUSALS: AdmissionRefusals = {
  rateLimited: (action, maxQps) =>
    new V2Error(V2Code.quotaExceeded, `${action} exceeds the frequency limit of ${maxQps} per second`),
  injectedFault: (_action, code) => new V2Error(V2Code.internalError, `injected fault: ${code}`),
};

async function runV2(state: EmulatorState, req: IncomingMessage, res: ServerResponse, signal: AbortSignal): Promise<CallAnswer> {
  const params = await paramsOf(req);
  const action = params.Action;
  if (action) state.countCall(action);
  const host = req.headers.host ?? '';
  const verdict = verifyV2Params(
    params,
    { method: req.method ?? 'GET', hosts: [host, host.replace(/:\d+$/, ''), V2_HOST], path: V2_PATH },
    state.secretKeyOf,
    state.options.clock.now(),
    state.options.maxClockSkewMs,
  );
  if (!verdict.ok) throw new V2Error(verdict.code, verdict.message);
  if (!state.tokenMatches(params.SecretId!, params.Token))
    throw new V2Error(V2Code.authFailure, 'Token of these temporary credentials is missing or wrong');
  const spec = action === undefined ? undefined : ACTIONS[action];
  if (!spec)
    throw new V2Error(
      V2Code.invalidParameter,
      `Action "${action}" is not served by the emulator (it serves ${Object.keys(ACTIONS).join(', ')})`,
    );

  const key: QueueKey = { format: spec.format, subAppId: subAppIdOf(params) };
  const handles = spec.confirm ? msgHandlesOf(params, state.options.maxHandlesPerConfirm) : [];
  return runAdmitted(state, { action: action!, isConfirm: spec.confirm, res, signal }, REFUSALS, () =>
    spec.confirm ? confirm(state, key, handles) : pull(state, key, signal),
  );
}

async function pull(state: EmulatorState, key: QueueKey, signal: AbortSignal): Promise<CallAnswer> {
  const { maxEventsPerPull, longPollMs, emptyAnswer } = state.options;
  const deliveries = await pullWithLongPoll(state.queues, key, maxEventsPerPull, longPollMs, signal);
  if (signal.aborted) return undefined;
  if (deliveries.length > 0)
    return { eventList: deliveries.map(({ handle, content }) => ({ msgHandle: handle, eventContent: content })) };
  if (emptyAnswer === EmptyAnswer.resourceNotFound) throw new V2Error(V2Code.invalidParameter, 'no event');
  return { eventList: emptyAnswer === EmptyAnswer.emptyList ? [] : null };
}

/** Same policy as v3 ConfirmEvents: valid handles are confirmed, the rest named in a 4000 answer. */
function confirm(state: EmulatorState, key: QueueKey, handles: string[]): Record<string, unknown> {
  const { confirmed, rejected } = state.queues.confirm(key, handles);
  if (rejected.length > 0) {
    throw new V2Error(
      V2Code.invalidParameter,
      `${rejected.length} of ${handles.length} msgHandles are expired or unknown and were not confirmed: ${rejected.join(', ')}; the other ${confirmed.length} were confirmed`,
    );
  }
  return {};
}

async function paramsOf(req: IncomingMessage): Promise<Record<string, string>> {
  const url = new URL(req.url ?? '/', 'http://emulator');
  const body = await readBody(req, MAX_BODY_BYTES);
  if (body.length > MAX_BODY_BYTES)
    throw new V2Error(V2Code.invalidParameter, `request body larger than ${MAX_BODY_BYTES} bytes`);
  if (req.method !== 'GET' && req.method !== 'POST')
    throw new V2Error(V2Code.unsupported, `method ${req.method} not supported; use GET or POST`);
  const source = req.method === 'GET' ? url.searchParams : new URLSearchParams(body.toString('utf8'));
  return Object.fromEntries(source);
}

function subAppIdOf(params: Record<string, string>): number | undefined {
  const raw = params.SubAppId;
  if (raw === undefined) return undefined;
  const value = /^\d+$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(value) || value <= 0)
    throw new V2Error(V2Code.invalidParameter, `SubAppId must be a positive integer, got "${raw}"`);
  return value;
}

/** `msgHandle.1`, `msgHandle.2`, … in index order (the seeds' spelling; `MsgHandle.N` is accepted too). */
function msgHandlesOf(params: Record<string, string>, max: number): string[] {
  const indexed = Object.entries(params)
    .map(([name, value]) => ({ index: /^[mM]sgHandle\.(\d+)$/.exec(name)?.[1], value }))
    .filter((entry): entry is { index: string; value: string } => entry.index !== undefined && entry.value !== '')
    .sort((a, b) => Number(a.index) - Number(b.index));
  if (indexed.length === 0 || indexed.length > max)
    throw new V2Error(V2Code.invalidParameter, `msgHandle.N holds ${indexed.length} handles; 1 to ${max} are allowed`);
  return indexed.map((entry) => entry.value);
}
