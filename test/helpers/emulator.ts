import type { Clock } from '../../lib/clock';
import { vod } from 'tencentcloud-sdk-nodejs-vod';
import { signV2Params } from '../../lib/vod/v2-signer';
import {
  startEmulator,
  V2_PATH,
  type EmulatorCredential,
  type EmulatorOptions,
  type RunningEmulator,
} from '../../tools/emulator';

export const TEST_CREDENTIAL: EmulatorCredential = {
  secretId: 'AKIDTESTEMULATOR000000000000000000',
  secretKey: 'test-emulator-secret-key',
};

/** An emulator on a free loopback port that accepts `TEST_CREDENTIAL`. */
export function startTestEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  return startEmulator({ credentials: [TEST_CREDENTIAL], ...options });
}

export type VodClient = InstanceType<typeof vod.v20180717.Client>;

/**
 * The official SDK client pointed at the emulator. These profile settings are what make it talk
 * plain HTTP to a loopback port: `endpoint` is `host:port` (no scheme), `protocol` is `'http://'`,
 * and `reqMethod: 'POST'` with the default `signMethod` gives POST JSON with TC3-HMAC-SHA256.
 */
export function sdkClient(
  emulator: Pick<RunningEmulator, 'url'>,
  { credential = TEST_CREDENTIAL, reqTimeoutSeconds = 10 }: { credential?: EmulatorCredential; reqTimeoutSeconds?: number } = {},
): VodClient {
  return new vod.v20180717.Client({
    credential: { secretId: credential.secretId, secretKey: credential.secretKey, token: credential.token },
    region: '',
    profile: {
      httpProfile: {
        endpoint: new URL(emulator.url).host,
        protocol: 'http://',
        reqMethod: 'POST',
        reqTimeout: reqTimeoutSeconds,
      },
    },
  });
}

/** The SDK's error as thrown: `TencentCloudSDKHttpException` with the API's `code` (undefined for network failures). */
export async function sdkError(
  call: Promise<unknown>,
): Promise<{ code: string | undefined; message: string; requestId: string }> {
  try {
    await call;
  } catch (error) {
    const { code, message, requestId } = error as { code?: string; message: string; requestId: string };
    return { code, message, requestId };
  }
  throw new Error('expected the SDK call to fail');
}

export interface V2CallOptions {
  method?: 'GET' | 'POST';
  signatureMethod?: 'HmacSHA1' | 'HmacSHA256';
  credential?: EmulatorCredential;
  /** Unix seconds. */
  timestamp?: number;
  /** Host the signature covers. @defaultvalue the emulator's host:port */
  signedHost?: string;
}

/** One signed v2 (`/v2/index.php`) call; resolves to the parsed JSON answer. */
export async function v2Call(
  emulator: RunningEmulator,
  action: string,
  extra: Record<string, string> = {},
  options: V2CallOptions = {},
): Promise<Record<string, unknown>> {
  const {
    method = 'GET',
    signatureMethod = 'HmacSHA1',
    credential = TEST_CREDENTIAL,
    timestamp = Math.floor(Date.now() / 1000),
  } = options;
  const host = new URL(emulator.url).host;
  const params: Record<string, string> = {
    Action: action,
    Region: 'gz',
    Timestamp: String(timestamp),
    Nonce: String(Math.floor(Math.random() * 1e9)),
    SecretId: credential.secretId,
    SignatureMethod: signatureMethod,
    ...extra,
  };
  params.Signature = signV2Params(params, credential.secretKey, method, options.signedHost ?? host, V2_PATH);
  const query = new URLSearchParams(params).toString();
  const response =
    method === 'GET'
      ? await fetch(`${emulator.url}${V2_PATH}?${query}`)
      : await fetch(`${emulator.url}${V2_PATH}`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
          body: query,
        });
  return (await response.json()) as Record<string, unknown>;
}

/** One control-API call; resolves to the HTTP status and parsed JSON body. */
export async function control(
  emulator: RunningEmulator,
  method: 'GET' | 'POST',
  path: string,
  body?: unknown,
): Promise<{ status: number; body: any }> {
  const response = await fetch(`${emulator.url}/_emulator/${path}`, {
    method,
    headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: await response.json() };
}

/** A clock that moves only when told, starting now (so signatures made with the real time still verify). */
export function manualClock(start = Date.now()): { clock: Clock; advance(ms: number): void } {
  let now = start;
  return {
    clock: { now: () => now, sleep: async () => {}, timeout: () => new AbortController().signal },
    advance: (ms) => void (now += ms),
  };
}
