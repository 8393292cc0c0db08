import { createServer, request as httpRequest, type IncomingMessage } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { listen } from '../../tools/http/listen';
import { readBody } from '../../tools/http/read-body';

export interface FunctionUrlFront {
  url: string;
  stats: {
    requests: number;
    /** Requests that waited for an instance to start listening. */
    waited: number;
    /** Requests whose instance died before it answered: their connection was dropped. */
    dropped: number;
  };
  close(): Promise<void>;
}

interface Answer {
  status: number;
  contentType: string | undefined;
  body: Buffer;
}

/** One request to the instance on `port`, on a connection of its own. */
function forward(port: number, request: IncomingMessage, body: Buffer): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const upstream = httpRequest(
      {
        host: '127.0.0.1',
        port,
        method: request.method,
        path: request.url,
        headers: { 'content-type': request.headers['content-type'] ?? 'application/json', 'content-length': body.length },
        agent: false,
      },
      (answer) => {
        const chunks: Buffer[] = [];
        answer.on('data', (chunk: Buffer) => chunks.push(chunk));
        answer.on('end', () =>
          resolve({ status: answer.statusCode ?? 502, contentType: answer.headers['content-type'], body: Buffer.concat(chunks) }),
        );
        answer.on('error', reject);
      },
    );
    upstream.on('error', reject);
    upstream.end(body);
  });
}

const refused = (error: unknown) => (error as NodeJS.ErrnoException).code === 'ECONNREFUSED';

/**
 * SCF's function URL in front of a function instance that dies and is replaced on the same `port`
 * (test/chaos/handler-runs-crash.chaos.ts). While no instance listens a request waits for one, up
 * to `waitMs`, as a request waits for a cold start; when the instance dies before answering, the
 * caller's connection drops, so VOD's pusher retries as after any network failure.
 */
export async function startFunctionUrlFront(port: number, path: string, waitMs = 10_000): Promise<FunctionUrlFront> {
  const stats = { requests: 0, waited: 0, dropped: 0 };
  const server = createServer(async (request, response) => {
    stats.requests++;
    const body = await readBody(request, Number.POSITIVE_INFINITY);
    const deadline = Date.now() + waitMs;
    let waited = false;
    for (;;) {
      try {
        const answer = await forward(port, request, body);
        response.writeHead(answer.status, answer.contentType ? { 'Content-Type': answer.contentType } : {}).end(answer.body);
        return;
      } catch (error) {
        // The caller gave up (its timeout): nothing more to deliver.
        if (request.socket.destroyed) return;
        if (refused(error) && Date.now() < deadline) {
          if (!waited) stats.waited++;
          waited = true;
          await sleep(20);
          continue;
        }
        stats.dropped++;
        request.socket.destroy();
        return;
      }
    }
  });
  const { origin, close } = await listen(server, 0, '127.0.0.1');
  return { url: `${origin}${path}`, stats, close };
}
