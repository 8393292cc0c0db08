import type { Clock } from '../clock';
import { ApiFormat } from '../events/types';
import { CLIENT_TIMEOUT_MS, type PulledEvent, type VodQueueClient } from './queue-client';
import type { VodClientSettings } from './v3-client';
import { signV2Request } from './v2-signer';
import { apiError } from './vod-api-error';

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

/** 4100–4106 and 4500 are signature, key and permission failures; 1000 is a bad parameter. */
const FATAL_V2_CODES = /^(1000|41\d\d|4500|4600)$/;

function failure(action: string, response: V2Response) {
  const code = String(response.code);
  return apiError(action, code, response.message || response.codeDesc || 'no message', {
    retryable: !FATAL_V2_CODES.test(code) && !(code === '4000'),
  });
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
      response = await fetch(url, { signal: AbortSignal.any([signal, AbortSignal.timeout(CLIENT_TIMEOUT_MS)]) });
    } catch (error) {
      throw apiError(action, undefined, `network error or timeout: ${(error as Error).message}`, { retryable: true, cause: error });
    }
    if (!response.ok) {
      throw apiError(action, `HTTP ${response.status}`, response.statusText, { retryable: response.status >= 500 || response.status === 429 });
    }
    try {
      return (await response.json()) as V2Response;
    } catch (error) {
      throw apiError(action, undefined, `the answer is not JSON: ${(error as Error).message}`, { retryable: true, cause: error });
    }
  }

  const subApp: Record<string, string> = settings.subAppId === undefined ? {} : { SubAppId: String(settings.subAppId) };

  return {
    api,
    async pull(signal) {
      const response = await call(actions.pull, subApp, signal);
      // The 2017 API answers an empty long poll with code 4000 "no event".
      if (response.code === 4000 && /no\s*event/i.test(response.message ?? '')) return [];
      if (response.code !== 0) throw failure(actions.pull, response);
      return (response.eventList ?? []).map(
        (item): PulledEvent => ({ handle: String(item.msgHandle ?? ''), content: item.eventContent }),
      );
    },
    async confirm(handles, signal) {
      const list = Object.fromEntries(handles.map((handle, i) => [`msgHandle.${i + 1}`, handle]));
      const response = await call(actions.confirm, { ...subApp, ...list }, signal);
      if (response.code !== 0) throw failure(actions.confirm, response);
    },
  };
}
