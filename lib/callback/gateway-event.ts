import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import type { CallbackRequest, CallbackResult } from './handle';

/** The path `vod-events serve` answers on and the docs give VOD; a function URL accepts any path. */
export const CALLBACK_PATH = '/vod/callback';

/**
 * SCF's function-URL event (doc 583/96099): the raw body as text, headers in any case,
 * `x-scf-remote-addr` holding the client's address, the query as `queryString`. It has no
 * `isBase64Encoded` and no `requestContext`. Every field optional: a console "test event" or a
 * hand-made one can leave any of them out.
 */
export type ScfFunctionUrlEvent = Partial<Pick<APIGatewayProxyEvent, 'body' | 'httpMethod' | 'path'>> & {
  headers?: Record<string, string | undefined> | null;
  queryString?: Record<string, string | string[]> | null;
};

/**
 * SCF's API-gateway event (the trigger SCF stopped creating on 2024-07-01, notice 583/107631): AWS's
 * shape plus SCF's own fields. Still accepted, so a function wired the old way keeps working.
 */
export type ScfApiGatewayEvent = Partial<Omit<APIGatewayProxyEvent, 'headers' | 'requestContext'>> & {
  headers?: Record<string, string | undefined> | null;
  headerParameters?: Record<string, string> | null;
  queryString?: Record<string, string | string[]> | null;
  requestContext?: {
    serviceId?: string;
    path?: string;
    httpMethod?: string;
    requestId?: string;
    sourceIp?: string;
    stage?: string;
    identity?: Record<string, unknown>;
  } | null;
};

/** Either HTTP event SCF hands the callback. Both keep `body`, `headers`, `httpMethod`, `path`. */
export type ScfHttpEvent = ScfFunctionUrlEvent | ScfApiGatewayEvent;

/** The part of SCF's invocation context the callback reads. */
export interface ScfContext {
  request_id?: string;
}

/**
 * The answer: a function URL sends `statusCode`, `headers` and `body` as the HTTP response
 * (583/96099); API gateway with integrated response reads the same object plus `isBase64Encoded`.
 */
export type ScfApiGatewayResult = APIGatewayProxyResult & { headers: Record<string, string>; isBase64Encoded: false };

export type GatewayHandler = (event: ScfHttpEvent, context?: ScfContext) => Promise<ScfApiGatewayResult>;

type Fields = Record<string, unknown>;

/** `value` when it is a plain JSON object, else an empty one: arrays, strings and numbers hold no fields. */
const fieldsOf = (value: unknown): Fields =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Fields) : {};

const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

function lowercaseHeaders(headers: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(fieldsOf(headers))) {
    if (typeof value === 'string') out[name.toLowerCase()] = value;
  }
  return out;
}

/**
 * Never throws, whatever JSON the event holds in whatever field: a missing or mistyped part becomes
 * an empty one, which the core then refuses with its 4xx. `isBase64Encoded` counts only when it is
 * exactly `true` (API gateway); a function URL always sends the body as text.
 */
export function toCallbackRequest(event: unknown, context?: unknown): CallbackRequest {
  const fields = fieldsOf(event);
  const requestContext = fieldsOf(fields.requestContext);
  const body = text(fields.body) ?? '';
  return {
    method: text(fields.httpMethod) ?? text(requestContext.httpMethod) ?? '',
    path: text(fields.path) ?? '',
    headers: lowercaseHeaders(fields.headers),
    body: Buffer.from(body, fields.isBase64Encoded === true ? 'base64' : 'utf8'),
    requestId: text(requestContext.requestId) ?? text(fieldsOf(context).request_id),
  };
}

export const toGatewayResult = (result: CallbackResult): ScfApiGatewayResult => ({
  statusCode: result.status,
  headers: result.headers,
  body: result.body,
  isBase64Encoded: false,
});
