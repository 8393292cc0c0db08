import { createConnection, createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

/** A TCP hop to PostgreSQL whose open connections can be frozen: they stay open and answer nothing, as across a partition. */
export async function freezableHop(target: URL): Promise<{ port: number; freeze(): void; close(): Promise<void> }> {
  const all = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = createConnection(Number(target.port), target.hostname);
    all.add(client).add(upstream);
    client.pipe(upstream).pipe(client);
    const drop = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    freeze() {
      // Nothing read, nothing written, nothing closed: every socket open now hangs.
      for (const socket of all) {
        socket.unpipe();
        socket.pause();
      }
    },
    close: () => {
      for (const socket of all) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
