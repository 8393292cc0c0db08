import { StoreError } from '../errors';

/**
 * SQLSTATE classes meaning "PostgreSQL refused this data or statement": retrying the same write
 * cannot help. Everything else (refused or dropped connections, shutdowns, timeouts, errors of
 * no known shape) is `unavailable`, the kind that is retried or dead-lettered, never dropped.
 */
const REJECTED_CLASSES = new Set(['22', '23', '42', '54']);

function sqlState(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}

export function toStoreError(error: unknown, doing: string): StoreError {
  if (error instanceof StoreError) return error;
  const state = sqlState(error);
  const kind = state !== undefined && REJECTED_CLASSES.has(state.slice(0, 2)) ? 'rejected' : 'unavailable';
  const code = (error as { code?: unknown } | null)?.code;
  const detail = error instanceof Error ? error.message : String(error);
  const what = kind === 'rejected' ? 'PostgreSQL rejected the data' : 'the store is unavailable';
  return new StoreError(`${doing} failed, ${what}: ${detail}${code ? ` (${String(code)})` : ''}`, kind, {
    cause: error,
  });
}

/** Errors of reaching the server at all (refused, unresolvable, unreachable, timed out), as Node and the driver name them. */
const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ETIMEDOUT',
  'ECONNRESET',
  'CONNECT_TIMEOUT',
  'CONNECTION_CLOSED',
  'CONNECTION_ENDED',
  'CONNECTION_DESTROYED',
]);

export function isConnectionFailure(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && CONNECTION_CODES.has(code)) return true;
  // Several addresses tried (IPv4 and IPv6): Node reports an AggregateError of the attempts.
  return error instanceof AggregateError && error.errors.some(isConnectionFailure);
}
