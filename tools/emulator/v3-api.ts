import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { runAdmitted, type AdmissionRefusals, type CallAnswer } from './admitted-call';
import { readBody } from '../http/read-body';
import { sendJson } from './http';
import { pullWithLongPoll } from './long-poll';
import { EmptyAnswer } from './options';
import type { QueueKey } from './queue';
import type { EmulatorState } from './state';
import { verifyTc3 } from './tc3-signature';

const V3_VERSION = '2018-07-17';

/** Accepted parameters per action; the real API answers `UnknownParameter` for any other. */
const ACTIONS: Record<string, readonly string[]> = {
  PullEvents: ['SubAppId', 'ExtInfo'],
  ConfirmEvents: ['EventHandles', 'SubAppId', 'ExtInfo'],
  DescribeEventsState: ['SubAppId'],
};

const MAX_BODY_BYTES = 10 * 1024 * 1024;

class V3Error extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** Serves one API 3.0 call (`POST /`), always HTTP 200 with `{"Response": …}` like the real API. */
export async function serveV3(
  state: EmulatorState,
  req: IncomingMessage,
  res: ServerResponse,
  signal: AbortSignal,
): Promise<void> {
  const requestId = randomUUID();
  try {
    const answer = await runV3(state, req, res, signal);
    if (answer) sendJson(res, 200, { Response: { ...answer, RequestId: requestId } });
  } catch (error) {
    if (!(error instanceof V3Error)) throw error;
    state.countError(error.code);
    sendJson(res, 200, { Response: { Error: { Code: error.code, Message: error.message }, RequestId: requestId } });
  }
}

/** Admission's refusals in API 3.0's words: the real API's error codes and messages. */
const REFUSALS: AdmissionRefusals = {
  rateLimited: (action, maxQps) =>
    new V3Error(
      'RequestLimitExceeded',
      `Your requests to ${action} exceed the frequency limit of ${maxQps} per second. Please reduce the frequency of calls.`,
    ),
  injectedFault: (action, code) => new V3Error(code, `Injected fault: ${action} answers ${code}.`),
};

/** The success payload, or `undefined` when nothing may be answered (hang, client gone). */
async function runV3(state: EmulatorState, req: IncomingMessage, res: ServerResponse, signal: AbortSignal): Promise<CallAnswer> {
  const action = req.headers['x-tc-action'];
  if (typeof action === 'string' && action !== '') state.countCall(action);
  const contentType = req.headers['content-type'] ?? '';
  const body = await readBody(req, MAX_BODY_BYTES);
  if (req.method !== 'POST' || !contentType.toLowerCase().startsWith('application/json')) {
    throw new V3Error(
      'UnsupportedOperation',
      `The emulator serves API 3.0 only as POST application/json signed with TC3-HMAC-SHA256 (the SDK defaults httpProfile.reqMethod "POST" and signMethod "TC3-HMAC-SHA256"); got ${req.method} "${contentType}".`,
    );
  }
  if (body.length > MAX_BODY_BYTES)
    throw new V3Error('RequestSizeLimitExceeded', `The request body is larger than ${MAX_BODY_BYTES} bytes.`);
  const verdict = verifyTc3(
    { method: req.method, url: req.url ?? '/', headers: req.headers, body },
    state.secretKeyOf,
    state.options.clock.now(),
    state.options.maxClockSkewMs,
  );
  if (!verdict.ok) throw new V3Error(verdict.code, verdict.message);
  if (!state.tokenMatches(verdict.secretId, req.headers['x-tc-token']))
    throw new V3Error('AuthFailure.TokenFailure', 'The X-TC-Token of these temporary credentials is missing or wrong.');
  if (typeof action !== 'string' || action === '')
    throw new V3Error('MissingParameter', 'The request is missing a required parameter `X-TC-Action`.');
  const version = req.headers['x-tc-version'];
  if (version === undefined) throw new V3Error('MissingParameter', 'The request is missing a required parameter `X-TC-Version`.');
  if (version !== V3_VERSION)
    throw new V3Error(
      'NoSuchVersion',
      `The requested version \`${String(version)}\` of service \`vod\` does not exist; use ${V3_VERSION}.`,
    );
  const known = ACTIONS[action];
  if (!known)
    throw new V3Error(
      'InvalidAction',
      `The action \`${action}\` is not supported by the emulator (it serves ${Object.keys(ACTIONS).join(', ')}).`,
    );

  const params = parseParams(body, known);
  const key: QueueKey = { format: 'v3', subAppId: subAppIdOf(params) };
  const handles = action === 'ConfirmEvents' ? eventHandlesOf(params, state.options.maxHandlesPerConfirm) : [];
  return runAdmitted(state, { action, isConfirm: action === 'ConfirmEvents', res, signal }, REFUSALS, () => {
    if (action === 'PullEvents') return pull(state, key, signal);
    if (action === 'ConfirmEvents') return confirm(state, key, handles);
    // The real count is approximate and about 3 minutes late; the emulator's is exact and current.
    return { CountOfEventsToPull: state.queues.pendingCount(key) };
  });
}

async function pull(state: EmulatorState, key: QueueKey, signal: AbortSignal): Promise<CallAnswer> {
  const { maxEventsPerPull, longPollMs, emptyAnswer } = state.options;
  const deliveries = await pullWithLongPoll(state.queues, key, maxEventsPerPull, longPollMs, signal);
  if (signal.aborted) return undefined;
  if (deliveries.length > 0) return { EventSet: deliveries.map(({ handle, content }) => ({ EventHandle: handle, ...content })) };
  if (emptyAnswer === EmptyAnswer.resourceNotFound) throw new V3Error('ResourceNotFound', 'no event');
  return { EventSet: emptyAnswer === EmptyAnswer.emptyList ? [] : null };
}

/**
 * A partly invalid handle list confirms its valid handles and still answers
 * `InvalidParameterValue` naming the others. The real API's behaviour is undocumented; this is the
 * strict choice (the client never mistakes it for full success) that still lets a client progress:
 * the valid events are not redelivered needlessly, and retrying the whole list is harmless because
 * confirming a handle twice succeeds.
 */
function confirm(state: EmulatorState, key: QueueKey, handles: string[]): Record<string, unknown> {
  const { confirmed, rejected } = state.queues.confirm(key, handles);
  if (rejected.length > 0) {
    throw new V3Error(
      'InvalidParameterValue',
      `${rejected.length} of ${handles.length} EventHandles are expired or unknown and were not confirmed (their events are delivered again): ${rejected.join(', ')}; the other ${confirmed.length} were confirmed.`,
    );
  }
  return {};
}

function parseParams(body: Buffer, known: readonly string[]): Record<string, unknown> {
  let params: unknown;
  try {
    params = JSON.parse(body.toString('utf8') || '{}');
  } catch {
    throw new V3Error('InvalidParameter', 'The request body is not valid JSON.');
  }
  if (typeof params !== 'object' || params === null || Array.isArray(params))
    throw new V3Error('InvalidParameter', 'The request body must be a JSON object.');
  const unknown = Object.keys(params).find((name) => !known.includes(name));
  if (unknown !== undefined) throw new V3Error('UnknownParameter', `The parameter \`${unknown}\` is not recognized.`);
  return params as Record<string, unknown>;
}

function subAppIdOf(params: Record<string, unknown>): number | undefined {
  const value = params.SubAppId;
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value <= 0) {
    throw new V3Error('InvalidParameterValue', `SubAppId must be a positive integer, got ${JSON.stringify(value)}.`);
  }
  return value;
}

function eventHandlesOf(params: Record<string, unknown>, max: number): string[] {
  const handles = params.EventHandles;
  if (handles === undefined) throw new V3Error('MissingParameter', 'The request is missing a required parameter `EventHandles`.');
  if (!Array.isArray(handles) || !handles.every((handle) => typeof handle === 'string' && handle !== '')) {
    throw new V3Error('InvalidParameter', 'EventHandles must be an array of non-empty strings.');
  }
  if (handles.length === 0 || handles.length > max) {
    throw new V3Error('InvalidParameterValue', `EventHandles holds ${handles.length} handles; 1 to ${max} are allowed.`);
  }
  return handles as string[];
}
