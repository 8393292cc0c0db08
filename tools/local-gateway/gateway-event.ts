import { isUtf8 } from 'node:buffer';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { ScfApiGatewayEvent } from '../../lib/callback/gateway-event';

/** Header names keep the case the client sent, as API gateway passes them on. */
function headersAsSent(raw: string[]): Record<string, string> {
  const headers: Record<string, string> = {};
  for (let i = 0; i + 1 < raw.length; i += 2) headers[raw[i]!] = raw[i + 1]!;
  return headers;
}

/**
 * The event SCF's API-gateway trigger would hand the function for this request. Text bodies are
 * passed as strings, anything that is not UTF-8 as base64 with `isBase64Encoded`, as the gateway does.
 */
export function toGatewayEvent(request: IncomingMessage, body: Buffer): ScfApiGatewayEvent {
  const url = new URL(request.url ?? '/', 'http://local-gateway');
  const queryString: Record<string, string | string[]> = {};
  for (const name of new Set(url.searchParams.keys())) {
    const values = url.searchParams.getAll(name);
    queryString[name] = values.length === 1 ? values[0]! : values;
  }
  const text = isUtf8(body);
  return {
    httpMethod: request.method ?? 'GET',
    path: url.pathname,
    headers: headersAsSent(request.rawHeaders),
    headerParameters: {},
    queryString,
    queryStringParameters: Object.fromEntries(url.searchParams),
    pathParameters: {},
    stageVariables: { stage: 'release' },
    body: text ? body.toString('utf8') : body.toString('base64'),
    isBase64Encoded: !text,
    requestContext: {
      serviceId: 'service-local',
      path: url.pathname,
      httpMethod: request.method ?? 'GET',
      requestId: randomUUID(),
      sourceIp: request.socket.remoteAddress ?? '',
      stage: 'release',
      identity: {},
    },
  };
}
