import { SAMPLE_CALLBACKS } from '../../dev/sample-events';
import { signCallbackBody } from '../../emulator/pusher';
import { defineCommand, numberFlag, UsageError, writeLine } from '../command';

// VOD's default expiry of a signed callback: now + 10 minutes (ModifyEventConfig SignKey doc).
const SIGN_TTL_SECONDS = 600;

/** The seed's PullComplete callback (seeds/003): the event `send-test` posts. */
const SAMPLE = SAMPLE_CALLBACKS.find((event) => event.EventType === 'PullComplete')!;

export interface SendTestResult {
  status: number;
  latencyMs: number;
  body: string;
}

/** POSTs the sample event to `url` as VOD's normal callback does, signed when `key` is given. */
export async function sendTestEvent(
  url: string,
  key: string | undefined,
  timeoutMs: number,
  now = Date.now(),
): Promise<SendTestResult> {
  const content = key ? signCallbackBody(SAMPLE, key, now, SIGN_TTL_SECONDS) : SAMPLE;
  const started = performance.now();
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(content),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const body = await response.text();
  return { status: response.status, latencyMs: Math.round(performance.now() - started), body };
}

function httpUrl(raw: unknown): string {
  if (typeof raw !== 'string' || raw === '')
    throw new UsageError('--url is required: the callback function URL `npm run deploy` printed');
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UsageError(`--url expects an http(s) URL, got "${raw}"`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new UsageError(`--url expects an http(s) URL, got "${raw}"`);
  return url.href;
}

export const sendTestCommand = defineCommand({
  name: 'send-test',
  summary: 'post one signed sample VOD event to a deployed callback and report status and latency',
  help: [
    'Usage: vod-events send-test --url URL [--key K] [--timeout-ms N]',
    '',
    "Posts the seed's PullComplete event to URL the way VOD's normal callback does: JSON body, with",
    'Sign = MD5(K + T) and T = now + 600 s when a key is given (VOD_CALLBACK_SIGN_KEY if --key is absent).',
    'Prints the HTTP status, the latency and the answer; exits 0 on 200, else 1. The event is a sample:',
    'it is stored like any callback (sending it again only counts a duplicate delivery).',
    '',
    '  --url URL        the callback function URL (printed by npm run deploy)',
    '  --key K          the callback key; defaults to VOD_CALLBACK_SIGN_KEY (first key if two)',
    '  --timeout-ms N   give up after N ms (default 5000, what VOD waits)',
  ].join('\n'),
  options: { url: { type: 'string' }, key: { type: 'string' }, 'timeout-ms': { type: 'string' } },
  async run({ values }, { env, stdout, stderr }) {
    const url = httpUrl(values.url);
    const timeoutMs = numberFlag(values, 'timeout-ms', { min: 1, max: 60_000 }, 5000);
    const key = (values.key ?? env.VOD_CALLBACK_SIGN_KEY?.split(',')[0])?.trim() || undefined;
    let result: SendTestResult;
    try {
      result = await sendTestEvent(url, key, timeoutMs);
    } catch (error) {
      writeLine(stderr, `send-test: POST ${url} failed: ${(error as Error).message}`);
      return 1;
    }
    writeLine(stdout, `POST ${url} (${key ? 'signed' : 'unsigned'}): ${result.status} in ${result.latencyMs} ms`);
    writeLine(stdout, result.body);
    return result.status === 200 ? 0 : 1;
  },
});
