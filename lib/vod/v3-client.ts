import { Client } from 'tencentcloud-sdk-nodejs-vod/tencentcloud/services/vod/v20180717/vod_client';
import type { EventContent } from 'tencentcloud-sdk-nodejs-vod/tencentcloud/services/vod/v20180717/vod_models';
import { VodApiError, type VodErrorKind } from '../errors';
import { ApiFormat } from '../events/types';
import { CLIENT_TIMEOUT_MS, type PulledEvent, type VodQueueClient } from './queue-client';
import { CLOCK_HINT, EXPIRED_HANDLE_HINT, httpFailure, noAnswer, SUBAPP_HINT } from './transport-errors';

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

/**
 * API 3.0 error codes → kind and fix-it hint, first match wins. Common codes: VOD's "Error Codes"
 * page (https://www.tencentcloud.com/zh/document/product/266/70594); the hint says what to change.
 */
const V3_CODES: [RegExp, VodErrorKind, string?][] = [
  [/^(InternalError|RequestLimitExceeded|ResourceUnavailable|FailedOperation|ServiceUnavailable|LimitExceeded)/, 'retryable'],
  [/^AuthFailure\.SignatureExpire/, 'auth', CLOCK_HINT],
  [
    /^AuthFailure\.(SecretIdNotFound|SignatureFailure|InvalidSecretId)/,
    'auth',
    'check TENCENTCLOUD_SECRETID/TENCENTCLOUD_SECRETKEY, or the execution role that SCF uses',
  ],
  [
    /^AuthFailure\.(TokenFailure|InvalidAuthorization)/,
    'auth',
    'the session token is missing or expired: check TENCENTCLOUD_SESSIONTOKEN or the execution role',
  ],
  [
    /^(AuthFailure|UnauthorizedOperation)/,
    'auth',
    'the credentials may not call VOD: grant QcloudVODFullAccess (or PullEvents/ConfirmEvents) to the user or role',
  ],
  [/^ResourceNotFound\.(SubAppId|SubApp)/, 'fatal', 'VOD_SUBAPP_ID names no sub-application of this account'],
];

/** SDK errors → `VodApiError`: API codes by name, HTTP status by class, anything else is the network. */
function classify(action: string, error: unknown): VodApiError {
  const { code, httpCode, requestId, message } = error as SdkError;
  if (code) {
    const [, kind, hint] = V3_CODES.find(([pattern]) => pattern.test(code)) ?? [
      undefined,
      'fatal' as const,
      parameterHint(action, code),
    ];
    return new VodApiError({ action, code, kind, detail: message, hint, requestId, cause: error });
  }
  if (httpCode) return httpFailure(action, httpCode, message, error);
  return noAnswer(action, error);
}

/** ConfirmEvents answers a parameter error for an expired handle (ConfirmEvents doc); elsewhere it is the SubAppId. */
function parameterHint(action: string, code: string): string | undefined {
  if (!/^(InvalidParameter|MissingParameter|UnknownParameter)/.test(code)) return undefined;
  return action === 'ConfirmEvents' ? EXPIRED_HANDLE_HINT : SUBAPP_HINT;
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
    endpoint: settings.endpoint,
    async pull(signal) {
      let response: { EventSet?: EventContent[] | null };
      try {
        response = await client.request('PullEvents', subApp, { signal });
      } catch (error) {
        // An empty long poll is answered with this error, not with an empty list.
        if ((error as SdkError).code === 'ResourceNotFound') return [];
        throw classify('PullEvents', error);
      }
      return (response.EventSet ?? []).map((content): PulledEvent => ({ handle: String(content.EventHandle ?? ''), content }));
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
