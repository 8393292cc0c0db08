import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';

export interface VerifiedDelivery {
  id: string;
  type: string;
  data: unknown;
}

export interface WebhookReceiver {
  url: string;
  /** Every delivery the official library verified, in arrival order (repeats included). */
  verified: VerifiedDelivery[];
  /** Why each refused delivery failed verification. */
  refused: string[];
  close(): Promise<void>;
}

/**
 * The user's endpoint on loopback: verifies every delivery with the official `standardwebhooks`
 * package and answers `answer()` (a status, or `'hang'` for no answer at all); 400 when it fails.
 */
export async function startWebhookReceiver(secret: string, answer: () => number | 'hang' = () => 204): Promise<WebhookReceiver> {
  const verified: VerifiedDelivery[] = [];
  const refused: string[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      let verifiedOk = false;
      try {
        const payload = new Webhook(secret).verify(body, request.headers as Record<string, string>) as {
          type: string;
          data: unknown;
        };
        verified.push({ id: String(request.headers['webhook-id']), type: payload.type, data: payload.data });
        verifiedOk = true;
      } catch (error) {
        refused.push((error as Error).message);
      }
      const status = verifiedOk ? answer() : 400;
      if (status === 'hang') return;
      response.writeHead(status).end('answer');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/vod`,
    verified,
    refused,
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
