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
  override name = 'StoreError';
  constructor(
    message: string,
    readonly kind: 'unavailable' | 'rejected',
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}
