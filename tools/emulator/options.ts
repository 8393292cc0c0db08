import { systemClock, type Clock } from '../../lib/clock';
import type { FaultPlan } from './faults';

/** How an empty long poll is answered: the real API's error (default), `EventSet: []`, or `EventSet: null`. */
export const EmptyAnswer = { resourceNotFound: 'resource-not-found', emptyList: 'empty-list', null: 'null' } as const;
export type EmptyAnswer = (typeof EmptyAnswer)[keyof typeof EmptyAnswer];
export const EMPTY_ANSWERS: readonly EmptyAnswer[] = Object.values(EmptyAnswer);

export interface EmulatorCredential {
  secretId: string;
  secretKey: string;
  /** Session token of temporary credentials; when set, calls must carry it (`X-TC-Token`, v2 `Token`). */
  token?: string;
}

/**
 * A local, obviously fake key pair, used when none is configured so `npm start` needs no setup.
 * The emulator prints it at start; it opens nothing but the emulator.
 */
export const LOCAL_CREDENTIAL: EmulatorCredential = {
  secretId: 'AKIDLOCALVODEMULATOR0000000000000000',
  secretKey: 'local-vod-emulator-secret-key-0000',
};

export interface EmulatorOptions {
  /** @defaultvalue 0 (a free port) */
  port?: number;
  /** @defaultvalue '127.0.0.1' */
  host?: string;
  /** Accepted key pairs. @defaultvalue [LOCAL_CREDENTIAL] */
  credentials?: EmulatorCredential[];
  /** Longest hold of an empty pull. @defaultvalue 5000 */
  longPollMs?: number;
  /** @defaultvalue 16 */
  maxEventsPerPull?: number;
  /** @defaultvalue 16 */
  maxHandlesPerConfirm?: number;
  /** Life of a handle; an unconfirmed event is pending again after it. @defaultvalue 30000 */
  handleTtlMs?: number;
  /** Calls per second per action before `RequestLimitExceeded`. @defaultvalue 100 */
  maxQps?: number;
  /** Largest accepted distance between a request's timestamp and the clock. @defaultvalue 300000 */
  maxClockSkewMs?: number;
  /** @defaultvalue 'resource-not-found' */
  emptyAnswer?: EmptyAnswer;
  /** @defaultvalue {} */
  faults?: FaultPlan;
  /** Seed of the fault dice. @defaultvalue 1 */
  seed?: number;
  /** How long a hung call holds its connection before dropping it. @defaultvalue 30000 */
  hangMs?: number;
  /** Drives handle expiry, rate limiting and signature timestamps (long-poll waits use real timers). */
  clock?: Clock;
  /** v3 event contents queued at start for the default app. */
  events?: Record<string, unknown>[];
}

export type ResolvedOptions = Required<EmulatorOptions>;

const POSITIVE = ['maxEventsPerPull', 'maxHandlesPerConfirm', 'handleTtlMs', 'maxQps', 'maxClockSkewMs', 'hangMs'] as const;

/** Applies defaults in one place and rejects values the emulator cannot honour, naming the option. */
export function resolveOptions(options: EmulatorOptions): ResolvedOptions {
  const resolved: ResolvedOptions = {
    port: options.port ?? 0,
    host: options.host ?? '127.0.0.1',
    credentials: options.credentials ?? [LOCAL_CREDENTIAL],
    longPollMs: options.longPollMs ?? 5000,
    maxEventsPerPull: options.maxEventsPerPull ?? 16,
    maxHandlesPerConfirm: options.maxHandlesPerConfirm ?? 16,
    handleTtlMs: options.handleTtlMs ?? 30_000,
    maxQps: options.maxQps ?? 100,
    maxClockSkewMs: options.maxClockSkewMs ?? 300_000,
    emptyAnswer: options.emptyAnswer ?? EmptyAnswer.resourceNotFound,
    faults: options.faults ?? {},
    seed: options.seed ?? 1,
    hangMs: options.hangMs ?? 30_000,
    clock: options.clock ?? systemClock,
    events: options.events ?? [],
  };
  for (const name of POSITIVE) {
    if (!(resolved[name] > 0)) throw new RangeError(`emulator option ${name} must be > 0, got ${resolved[name]}`);
  }
  if (!(resolved.longPollMs >= 0)) throw new RangeError(`emulator option longPollMs must be ≥ 0, got ${resolved.longPollMs}`);
  if (!EMPTY_ANSWERS.includes(resolved.emptyAnswer))
    throw new RangeError(`emulator option emptyAnswer must be one of ${EMPTY_ANSWERS.join(' | ')}`);
  if (resolved.credentials.length === 0) throw new RangeError('emulator option credentials must hold at least one key pair');
  return resolved;
}
