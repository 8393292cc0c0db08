import type { IncomingMessage } from 'node:http';

/**
 * A request's body, buffered up to `maxBytes` plus one byte and the rest discarded: a huge upload
 * cannot exhaust memory, and `body.length > maxBytes` still tells the caller it was too large.
 */
export function readBody(request: IncomingMessage, maxBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let kept = 0;
    request.on('data', (chunk: Buffer) => {
      if (kept > maxBytes) return;
      chunks.push(chunk);
      kept += chunk.length;
    });
    request.on('end', () => resolve(Buffer.concat(chunks).subarray(0, maxBytes + 1)));
    request.on('error', reject);
  });
}
