import { createServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import type { PGlite } from '@electric-sql/pglite';

/**
 * Serves one in-process PGlite to other local processes over the PostgreSQL wire protocol, so a
 * second `vod-events` command uses the running one's store instead of opening the data directory
 * again (PGlite is single-process: two opens of one directory corrupt it, electric-sql/pglite#323).
 *
 * Why not `@electric-sql/pglite-socket` (0.2.17): it pins its peer `@electric-sql/pglite` to exactly
 * 0.5.14 plus seven extension packages (npm refuses it next to our ^0.5.16), and it queues single
 * messages, so two clients' extended-protocol sequences (Parse/Bind/Execute … Sync) can interleave
 * on the one backend and bind each other's unnamed statements. Here a client's messages up to
 * its Sync (or simple Query) run as one unit under PGlite's own mutex, which the owning process's
 * queries take too; a client in the middle of a sequence (after a Flush) or of a transaction keeps
 * the backend until it ends it. The owning process's own statements never leave either open.
 */
export interface PgliteWireServer {
  host: string;
  port: number;
  close(): Promise<void>;
}

const SSL_REQUEST = 80877103;
const CANCEL_REQUEST = 80877102;
const GSS_REQUEST = 80877104;
/** Sync and simple Query end a unit of work (the backend answers ReadyForQuery). */
const UNIT_END = new Set(['S'.charCodeAt(0), 'Q'.charCodeAt(0)]);
/** Flush asks for the answers so far mid-sequence (postgres.js describes a statement this way before binding it). */
const FLUSH = 'H'.charCodeAt(0);
const TERMINATE = 'X'.charCodeAt(0);

/** Holds PGlite for one client across units while that client has a transaction open. */
class Backend {
  private owner: object | undefined;
  private waiters: (() => void)[] = [];

  constructor(private readonly db: PGlite) {}

  private async acquire(client: object): Promise<void> {
    while (this.owner !== undefined && this.owner !== client) await new Promise<void>((resolve) => this.waiters.push(resolve));
  }

  private release(client: object): void {
    if (this.owner !== client) return;
    this.owner = undefined;
    for (const wake of this.waiters.splice(0)) wake();
  }

  /** `midSequence`: the unit ended in a Flush, so the client's Bind/Execute/Sync are still to come. */
  async run(client: object, unit: Uint8Array, midSequence: boolean, write: (data: Uint8Array) => void): Promise<void> {
    await this.acquire(client);
    await this.db.runExclusive(() => this.db.execProtocolRawStream(unit, { onRawData: write }));
    if (midSequence || this.db.isInTransaction()) this.owner = client;
    else this.release(client);
  }

  /** A client gone mid-transaction: roll its work back and let the others in. */
  async drop(client: object): Promise<void> {
    if (this.owner !== client) return;
    await this.db.exec('ROLLBACK').catch(() => {});
    this.release(client);
  }
}

function serveClient(socket: Socket, backend: Backend): void {
  socket.setNoDelay(true);
  let buffered = Buffer.alloc(0);
  let pending: Buffer[] = [];
  let started = false;
  let chain = Promise.resolve();
  const write = (data: Uint8Array) => {
    if (data.length > 0 && socket.writable) socket.write(data);
  };

  // Splits the stream into messages; returns the units (messages up to a Sync/Query) now complete.
  function takeUnits(): { unit: Buffer; midSequence: boolean }[] {
    const units: { unit: Buffer; midSequence: boolean }[] = [];
    for (;;) {
      if (!started) {
        if (buffered.length < 8) break;
        const length = buffered.readInt32BE(0);
        if (buffered.length < length) break;
        const code = buffered.readInt32BE(4);
        const packet = buffered.subarray(0, length);
        buffered = buffered.subarray(length);
        if (code === SSL_REQUEST || code === GSS_REQUEST) socket.write('N');
        else if (code === CANCEL_REQUEST)
          socket.end(); // PGlite has no second backend to signal.
        else {
          started = true;
          units.push({ unit: packet, midSequence: false }); // The startup packet: PGlite answers AuthenticationOk … ReadyForQuery.
        }
        continue;
      }
      if (buffered.length < 5) break;
      const length = 1 + buffered.readInt32BE(1);
      if (buffered.length < length) break;
      const type = buffered[0]!;
      const message = buffered.subarray(0, length);
      buffered = buffered.subarray(length);
      if (type === TERMINATE) {
        socket.end();
        break;
      }
      pending.push(message);
      if (UNIT_END.has(type) || type === FLUSH) {
        units.push({ unit: Buffer.concat(pending), midSequence: type === FLUSH });
        pending = [];
      }
    }
    return units;
  }

  socket.on('data', (data: Buffer) => {
    buffered = Buffer.concat([buffered, data]);
    for (const { unit, midSequence } of takeUnits()) {
      chain = chain.then(() => backend.run(socket, new Uint8Array(unit), midSequence, write)).catch(() => void socket.destroy());
    }
  });
  socket.on('error', () => socket.destroy());
  socket.on('close', () => {
    chain = chain.then(() => backend.drop(socket));
  });
}

/** Listens on `host` (loopback by default) and a free port; `close` ends every client connection. */
export async function startPgliteWireServer(db: PGlite, host = '127.0.0.1'): Promise<PgliteWireServer> {
  const backend = new Backend(db);
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    serveClient(socket, backend);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    host,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      }),
  };
}
