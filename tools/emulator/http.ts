import type { ServerResponse } from 'node:http';
import { setTimeout as delay } from 'node:timers/promises';

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  if (res.destroyed) return;
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

/** Aborts when the client drops the connection before it got its answer. */
export function clientGone(res: ServerResponse): AbortSignal {
  const controller = new AbortController();
  res.once('close', () => {
    if (!res.writableFinished) controller.abort();
  });
  return controller.signal;
}

/** Sleeps `ms` unless the client goes away first. */
export async function pause(ms: number, signal: AbortSignal): Promise<void> {
  await delay(ms, undefined, { signal }).catch(() => undefined);
}

/**
 * Never answers: holds the connection until the client gives up, then — if it has not after
 * `ms` — drops it, so a client without a timeout sees a reset rather than hanging forever.
 */
export async function hang(res: ServerResponse, ms: number, signal: AbortSignal): Promise<void> {
  await pause(ms, signal);
  res.destroy();
}
