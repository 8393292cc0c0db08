import { VodApiError } from '../errors';

/**
 * Failures below VOD's API, the same for both API generations: no answer at all (network error,
 * timeout, a hang cut off by the caller) and HTTP errors (5xx and 429 are worth another try).
 */
export function noAnswer(action: string, error: unknown): VodApiError {
  const detail = `no answer (network error or timeout): ${(error as Error).message}`;
  return new VodApiError({ action, kind: 'retryable', detail, cause: error });
}

export function httpFailure(action: string, status: number, detail: string, cause?: unknown): VodApiError {
  const kind = status >= 500 || status === 429 ? 'retryable' : 'fatal';
  return new VodApiError({ action, code: `HTTP ${status}`, kind, detail, cause });
}

/**
 * The hint for a parameter error in a confirm. The ConfirmEvents doc names this cause ("超出 30 秒会报参数
 * 错误", https://tencentcloud.com/document/product/266/34184) and is silent on the other handles of the call.
 */
export const EXPIRED_HANDLE_HINT =
  'VOD answers a parameter error for a handle older than 30 s; such events are delivered again and counted as duplicates';
export const SUBAPP_HINT = 'check VOD_SUBAPP_ID (a sub-application id of this account)';
export const CLOCK_HINT = "the machine's clock is off by more than 5 minutes";
