import { createServer } from 'node:http';
import { listen } from '../../tools/http/listen';
import { readBody } from '../../tools/http/read-body';
import { seededRandom } from './random-json';

export interface FaultyProxyOptions {
  /** Full URL every request is forwarded to (path included). */
  target: string;
  /** Share of requests whose answer is held `delayMs` (past the caller's timeout) after the target answered. */
  delayRate: number;
  delayMs: number;
  /** Share of requests whose connection is dropped before anything reaches the target. */
  dropRate: number;
  seed: number;
}

export interface FaultyProxyStats {
  requests: number;
  delayed: number;
  dropped: number;
  /** The target's answers by status: what was really stored (200) or refused, whatever the caller saw. */
  upstream: Record<string, number>;
}

export interface FaultyProxy {
  url: string;
  stats: FaultyProxyStats;
  close(): Promise<void>;
}

/**
 * A network between VOD's pusher and the callback that loses answers: some requests are
 * delivered but their answer comes too late (the pusher times out and retries, the target has
 * stored it already), some never arrive. The target's answers are counted as it gave them.
 */
export async function startFaultyProxy(options: FaultyProxyOptions): Promise<FaultyProxy> {
  const random = seededRandom(options.seed);
  const stats: FaultyProxyStats = { requests: 0, delayed: 0, dropped: 0, upstream: {} };
  const server = createServer(async (request, response) => {
    stats.requests++;
    const [dropRoll, delayRoll] = [random(), random()];
    try {
      // Forwarded whole: the target, not the proxy, decides what is too large.
      const body = await readBody(request, Number.POSITIVE_INFINITY);
      if (dropRoll < options.dropRate) {
        stats.dropped++;
        request.socket.destroy();
        return;
      }
      const answer = await fetch(options.target, {
        method: request.method ?? 'POST',
        headers: { 'Content-Type': request.headers['content-type'] ?? 'application/json' },
        body,
      });
      const text = await answer.text();
      stats.upstream[answer.status] = (stats.upstream[answer.status] ?? 0) + 1;
      if (delayRoll < options.delayRate) {
        stats.delayed++;
        await new Promise((resolve) => setTimeout(resolve, options.delayMs));
      }
      if (!response.destroyed) response.writeHead(answer.status, { 'Content-Type': 'application/json' }).end(text);
    } catch {
      response.destroy();
    }
  });
  const { origin, close } = await listen(server, 0, '127.0.0.1');
  return { url: `${origin}/vod/callback`, stats, close };
}
