/** Base of every error this project throws on purpose; `name` tells the kinds apart in logs. */
export class VodEventsError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** A bad or missing environment variable. `variable` names it; the message says the expected form. */
export class ConfigError extends VodEventsError {
  constructor(
    readonly problems: readonly { variable: string; problem: string }[],
  ) {
    super(problems.map((p) => `${p.variable}: ${p.problem}`).join('; '));
  }
}

/**
 * The store could not take the write. `unavailable` (connection refused, dropped, server shutting
 * down, timeouts) is worth retrying later; `rejected` means PostgreSQL refused the data itself.
 */
export class StoreError extends VodEventsError {
  constructor(
    message: string,
    readonly kind: 'unavailable' | 'rejected',
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}
