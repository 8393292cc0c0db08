import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { pushEvent, pushEvents } from '../../tools/emulator';
import { freePort } from '../helpers/ports';

interface Received {
  method: string | undefined;
  contentType: string | undefined;
  body: Record<string, unknown>;
}

let server: Server | undefined;
afterEach(() => {
  server?.closeAllConnections();
  server?.close();
  server = undefined;
});

/** A callback receiver; `answer` decides per request (0-based) what happens. */
async function receiver(answer: (index: number, res: ServerResponse) => void): Promise<{ url: string; received: Received[] }> {
  const received: Received[] = [];
  server = createServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      received.push({
        method: req.method,
        contentType: req.headers['content-type'],
        body: JSON.parse(Buffer.concat(chunks).toString('utf8')),
      });
      answer(received.length - 1, res);
    });
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server!.address() as AddressInfo).port}/vod/callback`, received };
}

const event = { EventType: 'PullComplete', PullCompleteEvent: { TaskId: 't1', Status: 'FINISH', ErrCode: 0 } };
const NOW = 1_700_000_000_500;

describe('Function: pushEvent', () => {
  it('retries an attempt that times out, signing each attempt with Sign and T in the JSON body', async () => {
    // Prepare: the first response stalls past the pusher's timeout.
    const { url, received } = await receiver((index, res) => {
      if (index > 0) res.writeHead(200).end('{}');
    });

    // Act
    const result = await pushEvent(event, { url, signKey: 'abc', timeoutMs: 1000, now: () => NOW });

    // Assess
    expect(result).toEqual({ delivered: true, attempts: 2, statuses: ['timeout', 200] });
    expect(received).toHaveLength(2);
    const T = 1_700_000_600;
    const Sign = createHash('md5').update(`abc${T}`).digest('hex');
    for (const request of received) {
      expect(request).toEqual({ method: 'POST', contentType: 'application/json', body: { ...event, Sign, T } });
    }
  });

  it('does not retry an error status: VOD ignores the answer', async () => {
    const { url, received } = await receiver((_, res) => res.writeHead(500).end('boom'));

    const result = await pushEvent(event, { url });

    expect(result).toEqual({ delivered: true, attempts: 1, statuses: [500] });
    expect(received.map((request) => request.body)).toEqual([event]);
  });

  it('gives up after 3 attempts when the network fails', async () => {
    const url = `http://127.0.0.1:${await freePort()}/`;

    const result = await pushEvent(event, { url, timeoutMs: 1000 });

    expect(result).toEqual({ delivered: false, attempts: 3, statuses: ['network-error', 'network-error', 'network-error'] });
  });

  it('gives up after the configured number of timed-out attempts', async () => {
    const { url, received } = await receiver(() => {});

    const result = await pushEvent(event, { url, timeoutMs: 150, attempts: 2 });

    expect(result).toEqual({ delivered: false, attempts: 2, statuses: ['timeout', 'timeout'] });
    expect(received).toHaveLength(2);
  });
});

describe('Function: pushEvents', () => {
  it('pushes every event with at most `concurrency` calls in flight, results in input order', async () => {
    // Prepare
    let inFlight = 0;
    let maxInFlight = 0;
    const { url, received } = await receiver((_, res) => {
      maxInFlight = Math.max(maxInFlight, ++inFlight);
      setTimeout(() => {
        inFlight--;
        res.writeHead(204).end();
      }, 20);
    });
    const events = Array.from({ length: 10 }, (_, i) => ({ EventType: 'NewFileUpload', FileUploadEvent: { FileId: String(i) } }));

    // Act
    const results = await pushEvents(events, { url }, 3);

    // Assess
    expect(results).toEqual(events.map(() => ({ delivered: true, attempts: 1, statuses: [204] })));
    expect(received.map((request) => request.body).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)))).toEqual(
      events,
    );
    expect(maxInFlight).toBeLessThanOrEqual(3);
  });
});
