import type { DrainResult } from './drain/result';

/**
 * Base of every error this project throws on purpose; `name` tells the kinds apart in logs. Each
 * class also names itself as a string: a minifier renames classes (`Ee:` in a log line instead of
 * `StoreError:`), and the log must not depend on how the bundle was built.
 */
export class VodEventsError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** A bad or missing environment variable. `variable` names it; the message says the expected form. */
export class ConfigError extends VodEventsError {
  override name = 'ConfigError';
  constructor(readonly problems: readonly { variable: string; problem: string }[]) {
    super(problems.map((p) => `${p.variable}: ${p.problem}`).join('; '));
  }
}

/**
 * The store could not take the write. `unavailable` (connection refused, dropped, server shutting
 * down, timeouts) is worth retrying later; `rejected` means PostgreSQL refused the data itself.
 */
export class StoreError extends VodEventsError {
  override name = 'StoreError';
  constructor(
    message: string,
    readonly kind: 'unavailable' | 'rejected',
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/**
 * How a failed VOD call is handled, decided once by the client that made it: `retryable`
 * (network, timeouts, rate limits, VOD's internal errors) is tried again; `auth` (keys, token,
 * permissions, clock) stops every loop at once; `fatal` (anything else VOD refused) stops the call.
 */
export type VodErrorKind = 'retryable' | 'auth' | 'fatal';

export interface VodApiErrorOptions {
  action: string;
  /** VOD's error code (`AuthFailure.SignatureFailure`, `4100`, `HTTP 502`); none when VOD never answered. */
  code?: string;
  kind: VodErrorKind;
  /** What VOD or the network said. */
  detail: string;
  /** What the operator should change, for `auth` and `fatal` errors. */
  hint?: string;
  requestId?: string;
  cause?: unknown;
}

/** A failed VOD API call, classified by the client (`kind`). */
export class VodApiError extends VodEventsError {
  readonly action: string;
  readonly code: string | undefined;
  readonly kind: VodErrorKind;
  readonly requestId: string | undefined;

  constructor(options: VodApiErrorOptions) {
    const { action, code, detail, hint } = options;
    super(`${action} failed${code ? ` with ${code}` : ''}: ${detail}${hint ? ` (${hint})` : ''}`, { cause: options.cause });
    this.action = action;
    this.code = code;
    this.kind = options.kind;
    this.requestId = options.requestId;
  }

  /** VOD never answered (network error, timeout, a hang cut off): the call may or may not have reached it. */
  get unanswered(): boolean {
    return this.code === undefined;
  }
}

export const isRetryableVodError = (error: unknown): error is VodApiError =>
  error instanceof VodApiError && error.kind === 'retryable';

/** The drain could not finish safely; `result` says what was done before it stopped (`stopReason: "failed"`). */
export class DrainError extends VodEventsError {
  readonly result: DrainResult;

  constructor(options: { message: string; result: DrainResult; cause?: unknown }) {
    super(options.message, { cause: options.cause });
    this.result = options.result;
  }
}

/** A handle past the confirm window: VOD would refuse it, so it is left for VOD to redeliver. */
export class HandleTooOld extends VodEventsError {
  constructor(options: { ageMs: number; maxAgeMs: number }) {
    super(`handle is ${options.ageMs} ms old, past the ${options.maxAgeMs} ms confirm window; left for VOD to redeliver`);
  }
}
