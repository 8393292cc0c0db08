import type { Clock } from '../clock';
import { VodApiError, type VodErrorKind } from '../errors';
import { ApiFormat } from '../events/types';
import { CLIENT_TIMEOUT_MS, type PulledEvent, type VodQueueClient } from './queue-client';
import { CLOCK_HINT, EXPIRED_HANDLE_HINT, httpFailure, noAnswer, SUBAPP_HINT } from './transport-errors';
import type { VodClientSettings } from './v3-client';
import { signV2Request } from './v2-signer';

/** The 2017 API lives on its own host; a VOD_ENDPOINT override (the emulator) serves both. */
export const V2_DEFAULT_ENDPOINT = 'https://vod.api.qcloud.com';
const V2_PATH = '/v2/index.php';

const ACTIONS = {
  [ApiFormat.v2]: { pull: 'PullEvent', confirm: 'ConfirmEvent' },
  [ApiFormat.v2Legacy]: { pull: 'PullVodEvent', confirm: 'ConfirmVodEvent' },
} as const;

interface V2Response {
  code?: number;
  codeDesc?: string;
  message?: string;
  eventList?: { msgHandle?: string; eventContent?: unknown }[] | null;
}

const KEYS_HINT = 'check TENCENTCLOUD_SECRETID/TENCENTCLOUD_SECRETKEY, or the execution role that SCF uses';
const GRANT_HINT =
  'the credentials may not call VOD: grant QcloudVODFullAccess (or the pull and confirm actions) to the user or role';

/**
 * API 2.0 public error codes (https://cloud.tencent.com/document/product/248/4484,
 * https://cloud.tencent.com/doc/api/309/7025) → kind and fix-it hint. 4200 (request expired) and
 * 4500 (replayed Nonce/Timestamp) mean the clock is off: retrying with the same clock cannot help.
 * Codes not listed (VOD's own module codes) are retried, as the 2017 API documents no others.
 */
const V2_CODES: Record<string, [VodErrorKind, string?]> = {
  '1000': ['fatal', SUBAPP_HINT],
  '4100': ['auth', KEYS_HINT],
  '4101': ['auth', GRANT_HINT],
  '4102': ['auth', GRANT_HINT],
  '4103': ['auth', GRANT_HINT],
  '4104': ['auth', KEYS_HINT],
  '4105': ['auth', 'the session token is missing or expired: check TENCENTCLOUD_SESSIONTOKEN or the execution role'],
  '4106': ['auth', KEYS_HINT],
  '4110': ['auth', GRANT_HINT],
  '4200': ['auth', CLOCK_HINT],
  '4300': ['auth', 'VOD refuses this account (blocked, or not allowed to call this action)'],
  '4500': ['auth', CLOCK_HINT],
  '4600': ['fatal', 'VOD_ENDPOINT must be https'],
  '6100': ['fatal', 'VOD_ENDPOINT does not serve the 2017 API; check VOD_ENDPOINT and VOD_API'],
};

function failure(action: string, response: V2Response, confirming: boolean): VodApiError {
  const code = String(response.code);
  // 4000 is a parameter error: in a confirm, the ConfirmEvents doc names expired handles.
  const [kind, hint] =
    code === '4000'
      ? ['fatal' as const, confirming ? EXPIRED_HANDLE_HINT : SUBAPP_HINT]
      : (V2_CODES[code] ?? ['retryable' as const]);
  return new VodApiError({ action, code, kind, hint, detail: response.message || response.codeDesc || 'no message' });
}

/** `PullEvent`/`ConfirmEvent` (callback v2 contents) or `PullVodEvent`/`ConfirmVodEvent` (v2-legacy). */
export function createV2Client(
  settings: VodClientSettings,
  api: typeof ApiFormat.v2 | typeof ApiFormat.v2Legacy,
  clock: Clock,
): VodQueueClient {
  const base = new URL(settings.endpoint);
  const actions = ACTIONS[api];
  const credentials = { secretId: settings.secretId, secretKey: settings.secretKey, sessionToken: settings.sessionToken };

  async function call(action: string, extra: Record<string, string>, signal: AbortSignal): Promise<V2Response> {
    const params = signV2Request(action, extra, credentials, {
      method: 'GET',
      host: base.host,
      path: V2_PATH,
      nowSeconds: Math.floor(clock.now() / 1000),
    });
    const url = new URL(V2_PATH, base);
    url.search = new URLSearchParams(params).toString();
    let response: Response;
    try {
      response = await fetch(url, { signal: AbortSignal.any([signal, clock.timeout(CLIENT_TIMEOUT_MS)]) });
    } catch (error) {
      throw noAnswer(action, error);
    }
    if (!response.ok) throw httpFailure(action, response.status, response.statusText);
    try {
      return (await response.json()) as V2Response;
    } catch (error) {
      // Cut off mid-body (a timeout) or not JSON: either way VOD's answer is not known.
      throw noAnswer(action, error);
    }
  }

  const subApp: Record<string, string> = settings.subAppId === undefined ? {} : { SubAppId: String(settings.subAppId) };

  return {
    api,
    endpoint: settings.endpoint,
    async pull(signal) {
      const response = await call(actions.pull, subApp, signal);
      // The 2017 API answers an empty long poll with code 4000 "no event".
      if (response.code === 4000 && /no\s*event/i.test(response.message ?? '')) return [];
      if (response.code !== 0) throw failure(actions.pull, response, false);
      return (response.eventList ?? []).map((item): PulledEvent => ({
        handle: String(item.msgHandle ?? ''),
        content: item.eventContent,
      }));
    },
    async confirm(handles, signal) {
      const list = Object.fromEntries(handles.map((handle, i) => [`msgHandle.${i + 1}`, handle]));
      const response = await call(actions.confirm, { ...subApp, ...list }, signal);
      if (response.code !== 0) throw failure(actions.confirm, response, true);
    },
  };
}
