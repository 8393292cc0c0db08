import { randomUUID } from 'node:crypto';
import { createServer, type ServerResponse } from 'node:http';
import type { GatewayHandler } from '../../lib/callback/gateway-event';
import type { Logger } from '../../lib/log';
import { listen } from '../http/listen';
import { readBody } from '../http/read-body';
import { toFunctionUrlEvent } from './function-url-event';

export interface LocalGatewayOptions {
  /** 0 picks a free port. */
  port: number;
  host: string;
  /** The path the printed URL shows; like a function URL, every path reaches the handler. */
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

/** A local HTTP server shaped like an SCF function URL, in front of an SCF handler. */
export async function startLocalGateway(options: LocalGatewayOptions): Promise<LocalGateway> {
  const server = createServer(async (request, response) => {
    try {
      const body = await readBody(request, options.maxBodyBytes);
      const result = await options.handler(toFunctionUrlEvent(request, body), { request_id: randomUUID() });
      response.writeHead(result.statusCode, result.headers);
      response.end(result.isBase64Encoded ? Buffer.from(result.body, 'base64') : result.body);
    } catch (error) {
      // What the function URL answers when the function fails or returns something unusable.
      options.log.log('error', 'local gateway: request failed', { error: (error as Error).message });
      if (!response.headersSent) sendJson(response, 502, { error: 'bad_gateway', reason: 'invalid scf response' });
      else response.destroy();
    }
  });
  const { port, origin, close } = await listen(server, options.port, options.host);
  return { url: `${origin}${options.path}`, port, close };
}
