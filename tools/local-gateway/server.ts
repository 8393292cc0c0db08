import { createServer, type ServerResponse } from 'node:http';
import type { GatewayHandler } from '../../lib/callback/gateway-event';
import type { Logger } from '../../lib/log';
import { listen } from '../http/listen';
import { readBody } from '../http/read-body';
import { toGatewayEvent } from './gateway-event';

export interface LocalGatewayOptions {
  /** 0 picks a free port. */
  port: number;
  host: string;
  /** The one path routed to the handler; every other path is 404, as on a gateway with one API. */
  path: string;
  handler: GatewayHandler;
  /**
   * Bodies are buffered up to this many bytes plus one and the rest discarded, so a huge upload
   * cannot exhaust memory while the handler still sees that the body is too large.
   */
  maxBodyBytes: number;
  log: Logger;
}

export interface LocalGateway {
  url: string;
  port: number;
  close(): Promise<void>;
}

const sendJson = (response: ServerResponse, status: number, body: object) =>
  response.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8' }).end(JSON.stringify(body));

/** A local HTTP server shaped like API gateway with integrated response, in front of an SCF handler. */
export async function startLocalGateway(options: LocalGatewayOptions): Promise<LocalGateway> {
  const server = createServer(async (request, response) => {
    try {
      const body = await readBody(request, options.maxBodyBytes);
      const event = toGatewayEvent(request, body);
      if (event.path !== options.path) {
        sendJson(response, 404, { error: 'not_found', reason: `only ${options.path} is served here` });
        return;
      }
      const result = await options.handler(event, { request_id: event.requestContext?.requestId });
      response.writeHead(result.statusCode, result.headers);
      response.end(result.isBase64Encoded ? Buffer.from(result.body, 'base64') : result.body);
    } catch (error) {
      // What API gateway answers when the function fails or returns something unusable.
      options.log.log('error', 'local gateway: request failed', { error: (error as Error).message });
      if (!response.headersSent) sendJson(response, 502, { error: 'bad_gateway', reason: 'invalid scf response' });
      else response.destroy();
    }
  });
  const { port, origin, close } = await listen(server, options.port, options.host);
  return { url: `${origin}${options.path}`, port, close };
}
