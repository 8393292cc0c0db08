import type { IncomingMessage } from 'node:http';
import type { ScfFunctionUrlEvent } from '../../lib/callback/gateway-event';

/** Header names keep the case the client sent: the function must accept any case. */
function headersAsSent(raw: string[]): Record<string, string> {
  const headers: Record<string, string> = {};
  for (let i = 0; i + 1 < raw.length; i += 2) headers[raw[i]!] = raw[i + 1]!;
  return headers;
}

/**
 * The event SCF's function URL hands the function for this request (doc 583/96099): the body as
 * text, the headers, the method, the path and the query, the client's address in
 * `x-scf-remote-addr`; no `isBase64Encoded`, no `requestContext`.
 */
export function toFunctionUrlEvent(request: IncomingMessage, body: Buffer): ScfFunctionUrlEvent {
  const url = new URL(request.url ?? '/', 'http://local-gateway');
  const queryString: Record<string, string | string[]> = {};
  for (const name of new Set(url.searchParams.keys())) {
    const values = url.searchParams.getAll(name);
    queryString[name] = values.length === 1 ? values[0]! : values;
  }
  return {
    httpMethod: request.method ?? 'GET',
    path: url.pathname,
    headers: { ...headersAsSent(request.rawHeaders), 'x-scf-remote-addr': request.socket.remoteAddress ?? '' },
    queryString,
    body: body.toString('utf8'),
  };
}
