import { VodEventsError } from '../errors';

/**
 * A failed VOD API call, classified once. `retryable` (network, timeouts, `InternalError`,
 * `RequestLimitExceeded`, 5xx) decides retries; everything else is fatal and its message says
 * what the user has to fix.
 */
export class VodApiError extends VodEventsError {
  constructor(
    message: string,
    readonly action: string,
    readonly code: string | undefined,
    readonly retryable: boolean,
    readonly requestId?: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

const RETRYABLE_CODE = /^(InternalError|RequestLimitExceeded|ResourceUnavailable|FailedOperation|ServiceUnavailable|LimitExceeded)/;

const HINTS: [RegExp, string][] = [
  [/^AuthFailure\.(SecretIdNotFound|SignatureFailure|InvalidSecretId)/, 'check TENCENTCLOUD_SECRETID/TENCENTCLOUD_SECRETKEY, or the execution role that SCF uses'],
  [/^AuthFailure\.(TokenFailure|InvalidAuthorization)/, 'the session token is missing or expired: check TENCENTCLOUD_SESSIONTOKEN or the execution role'],
  [/^AuthFailure\.SignatureExpire/, "the machine's clock is off by more than 5 minutes"],
  [/^(AuthFailure|UnauthorizedOperation)/, 'the credentials may not call VOD: grant QcloudVODFullAccess (or PullEvents/ConfirmEvents) to the user or role'],
  [/^(InvalidParameter|MissingParameter|UnknownParameter)/, 'check VOD_SUBAPP_ID (a sub-application id of this account)'],
  [/^ResourceNotFound\.(SubAppId|SubApp)/, 'VOD_SUBAPP_ID names no sub-application of this account'],
];

/** Fix-it text for a fatal code, so the log line tells the operator what to change. */
export function hintFor(code: string | undefined): string | undefined {
  return code === undefined ? undefined : HINTS.find(([pattern]) => pattern.test(code))?.[1];
}

export const isRetryableCode = (code: string): boolean => RETRYABLE_CODE.test(code);

export function apiError(action: string, code: string | undefined, message: string, options: { retryable?: boolean; requestId?: string; cause?: unknown } = {}) {
  const retryable = options.retryable ?? (code !== undefined && isRetryableCode(code));
  const hint = retryable ? undefined : hintFor(code);
  const text = `${action} failed${code ? ` with ${code}` : ''}: ${message}${hint ? ` (${hint})` : ''}`;
  return new VodApiError(text, action, code, retryable, options.requestId, { cause: options.cause });
}
