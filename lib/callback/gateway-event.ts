import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import type { CallbackRequest, CallbackResult } from './handle';

/** The path `serverless.yml` gives the gateway trigger, and `vod-events serve` answers on. */
export const CALLBACK_PATH = '/vod/callback';

/**
 * SCF's API-gateway event: AWS's shape plus SCF's own fields. Every field is optional because a
 * test, a console "test event" or a misconfigured trigger can leave any of them out.
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

/** The part of SCF's invocation context the callback reads. */
export interface ScfContext {
  request_id?: string;
}

/** An integration response: with integrated response on, the gateway answers with exactly this. */
export type ScfApiGatewayResult = APIGatewayProxyResult & { headers: Record<string, string>; isBase64Encoded: false };

export type GatewayHandler = (event: ScfApiGatewayEvent, context?: ScfContext) => Promise<ScfApiGatewayResult>;

function lowercaseHeaders(headers: ScfApiGatewayEvent['headers']): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (typeof value === 'string') out[name.toLowerCase()] = value;
  }
  return out;
}

/** Never throws, whatever the event holds: missing parts become empty ones, which the core refuses. */
export function toCallbackRequest(event: ScfApiGatewayEvent, context?: ScfContext): CallbackRequest {
  const text = typeof event.body === 'string' ? event.body : '';
  return {
    method: event.httpMethod ?? event.requestContext?.httpMethod ?? '',
    path: event.path ?? '',
    headers: lowercaseHeaders(event.headers),
    body: Buffer.from(text, event.isBase64Encoded === true ? 'base64' : 'utf8'),
    requestId: event.requestContext?.requestId ?? context?.request_id,
  };
}

export const toGatewayResult = (result: CallbackResult): ScfApiGatewayResult => ({
  statusCode: result.status,
  headers: result.headers,
  body: result.body,
  isBase64Encoded: false,
});
