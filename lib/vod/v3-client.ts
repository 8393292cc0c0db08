import { Client } from 'tencentcloud-sdk-nodejs-vod/tencentcloud/services/vod/v20180717/vod_client';
import type { EventContent } from 'tencentcloud-sdk-nodejs-vod/tencentcloud/services/vod/v20180717/vod_models';
import { ApiFormat } from '../events/types';
import { CLIENT_TIMEOUT_MS, type PulledEvent, type VodQueueClient } from './queue-client';
import { apiError } from './vod-api-error';

export interface VodClientSettings {
  endpoint: string;
  secretId: string;
  secretKey: string;
  sessionToken?: string;
  subAppId?: number;
}

interface SdkError {
  code?: string;
  httpCode?: number;
  requestId?: string;
  message: string;
}

/** SDK errors → `VodApiError`: API codes by name, HTTP status by class, anything else is the network. */
function classify(action: string, error: unknown) {
  const { code, httpCode, requestId, message } = error as SdkError;
  if (code) return apiError(action, code, message, { requestId, cause: error });
  if (httpCode) return apiError(action, `HTTP ${httpCode}`, message, { retryable: httpCode >= 500 || httpCode === 429, cause: error });
  return apiError(action, undefined, `network error or timeout: ${message}`, { retryable: true, cause: error });
}

/** PullEvents/ConfirmEvents of the 2018-07-17 API through the official SDK. */
export function createV3Client(settings: VodClientSettings): VodQueueClient {
  const url = new URL(settings.endpoint);
  const client = new Client({
    credential: { secretId: settings.secretId, secretKey: settings.secretKey, token: settings.sessionToken },
    region: '',
    profile: {
      httpProfile: {
        endpoint: url.host + url.pathname.replace(/\/$/, ''),
        protocol: `${url.protocol}//`,
        reqTimeout: CLIENT_TIMEOUT_MS / 1000,
      },
    },
  });
  const subApp = settings.subAppId === undefined ? {} : { SubAppId: settings.subAppId };

  return {
    api: ApiFormat.v3,
    async pull(signal) {
      let response: { EventSet?: EventContent[] | null };
      try {
        response = await client.request('PullEvents', subApp, { signal });
      } catch (error) {
        // An empty long poll is answered with this error, not with an empty list.
        if ((error as SdkError).code === 'ResourceNotFound') return [];
        throw classify('PullEvents', error);
      }
      return (response.EventSet ?? []).map(
        (content): PulledEvent => ({ handle: String(content.EventHandle ?? ''), content }),
      );
    },
    async confirm(handles, signal) {
      try {
        await client.request('ConfirmEvents', { ...subApp, EventHandles: handles }, { signal });
      } catch (error) {
        throw classify('ConfirmEvents', error);
      }
    },
  };
}
