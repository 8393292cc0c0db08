import { readFileSync } from 'node:fs';
import { credentialsFrom } from '../../../lib/config';
import { ConfigError } from '../../../lib/errors';
import {
  EMPTY_ANSWERS,
  LOCAL_CREDENTIAL,
  startEmulator,
  V2_PATH,
  type EmptyAnswer,
  type EmulatorCredential,
  type EmulatorOptions,
  type FaultSpec,
} from '../../emulator';
import { defineCommand, numberFlag, untilStopped, UsageError, writeLine, type FlagValues, type Options } from '../command';

const flags = {
  port: { type: 'string' },
  host: { type: 'string' },
  events: { type: 'string' },
  'latency-ms': { type: 'string' },
  'fail-rate': { type: 'string' },
  'fail-code': { type: 'string' },
  'hang-rate': { type: 'string' },
  'lost-confirm-rate': { type: 'string' },
  seed: { type: 'string' },
  'handle-ttl-ms': { type: 'string' },
  'long-poll-ms': { type: 'string' },
  'max-qps': { type: 'string' },
  'empty-answer': { type: 'string' },
} satisfies Options;

type Values = FlagValues<typeof flags>;

const help = `Usage: vod-events emulator --port P [flags]

Serves a local stand-in for VOD's event queue until SIGINT/SIGTERM:
  POST /               v3 PullEvents, ConfirmEvents, DescribeEventsState (TC3-HMAC-SHA256)
  GET|POST ${V2_PATH}  v2 PullEvent/ConfirmEvent, PullVodEvent/ConfirmVodEvent (HmacSHA1/HmacSHA256)
  /_emulator/...       control API: POST events, GET stats, POST reset, GET|POST faults
Signatures are checked against TENCENTCLOUD_SECRETID/TENCENTCLOUD_SECRETKEY (and calls must carry
TENCENTCLOUD_SESSIONTOKEN when it is set); with neither set, a local key pair is used and printed.

Flags:
  --port P              port to listen on, 0 for a free one (required)
  --host H              address to listen on (default 127.0.0.1)
  --events FILE         JSON array of v3 event contents (no EventHandle) queued at start
  --latency-ms N        delay added to every API call (default 0)
  --fail-rate R         share of API calls answered with an error, 0 to 1 (default 0)
  --fail-code C         error code of those answers (default InternalError; v2 calls answer 6000)
  --hang-rate R         share of API calls never answered, 0 to 1 (default 0)
  --lost-confirm-rate R share of confirms answered with success but not applied, 0 to 1 (default 0)
  --seed N              seed of the fault dice, for a reproducible run (default 1)
  --handle-ttl-ms N     life of an event handle before the event is redelivered (default 30000)
  --long-poll-ms N      longest hold of an empty pull (default 5000)
  --max-qps N           calls per second per action before RequestLimitExceeded (default 100)
  --empty-answer A      answer to an empty long poll: resource-not-found (the real API's
                        ResourceNotFound "no event"; v2 code 4000), empty-list or null (default
                        resource-not-found)
  -h, --help            show this help`;

/** Flags and environment → emulator options; throws `UsageError`/`ConfigError` naming the culprit. */
export function emulatorOptionsFromFlags(values: Values, env: Record<string, string | undefined>): EmulatorOptions {
  if (values.port === undefined) throw new UsageError('--port is required (0 picks a free port)');
  const rate = (flag: keyof Values) => numberFlag(values, flag, { min: 0, max: 1, integer: false }, 0);
  const failCode = values['fail-code'] ?? 'InternalError';
  if (typeof failCode !== 'string' || !/^[A-Za-z]+(\.[A-Za-z0-9]+)*$/.test(failCode)) {
    throw new UsageError(
      `--fail-code expects an error code such as InternalError or FailedOperation.Busy, got "${String(failCode)}"`,
    );
  }
  const emptyAnswer = values['empty-answer'] ?? 'resource-not-found';
  if (!EMPTY_ANSWERS.includes(emptyAnswer as EmptyAnswer))
    throw new UsageError(`--empty-answer expects one of ${EMPTY_ANSWERS.join(' | ')}, got "${String(emptyAnswer)}"`);
  const faults: FaultSpec = {
    latencyMs: numberFlag(values, 'latency-ms', { min: 0, max: 600_000 }, 0),
    errorRate: rate('fail-rate'),
    errorCode: failCode,
    hangRate: rate('hang-rate'),
    lostConfirmRate: rate('lost-confirm-rate'),
  };
  return {
    port: numberFlag(values, 'port', { min: 0, max: 65_535 }, 0),
    host: values.host ?? '127.0.0.1',
    credentials: [credentialFrom(env)],
    events: values.events === undefined ? [] : readEvents(values.events),
    faults: { '*': faults },
    seed: numberFlag(values, 'seed', { min: 0, max: 2 ** 32 - 1 }, 1),
    handleTtlMs: numberFlag(values, 'handle-ttl-ms', { min: 1, max: 86_400_000 }, 30_000),
    longPollMs: numberFlag(values, 'long-poll-ms', { min: 0, max: 600_000 }, 5000),
    maxQps: numberFlag(values, 'max-qps', { min: 1, max: 1_000_000 }, 100),
    emptyAnswer: emptyAnswer as EmptyAnswer,
  };
}

function credentialFrom(env: Record<string, string | undefined>): EmulatorCredential {
  const { secretId, secretKey, sessionToken: token } = credentialsFrom(env);
  if (secretId && secretKey) return token ? { secretId, secretKey, token } : { secretId, secretKey };
  if (!secretId && !secretKey) return LOCAL_CREDENTIAL;
  const missing = secretId ? 'TENCENTCLOUD_SECRETKEY' : 'TENCENTCLOUD_SECRETID';
  throw new ConfigError([{ variable: missing, problem: 'must be set too (set both, or neither to use the local key pair)' }]);
}

function readEvents(file: string): Record<string, unknown>[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new UsageError(`--events ${file}: ${(error as Error).message}`);
  }
  if (!Array.isArray(parsed) || !parsed.every((event) => typeof event === 'object' && event !== null && !Array.isArray(event))) {
    throw new UsageError(`--events ${file}: expected a JSON array of v3 event contents (objects)`);
  }
  return parsed as Record<string, unknown>[];
}

export const emulatorCommand = defineCommand({
  name: 'emulator',
  summary: 'serve a local VOD event queue (v3 and v2 APIs, faults, control API)',
  help,
  options: flags,
  async run({ values }, { env, stdout }) {
    const options = emulatorOptionsFromFlags(values, env);
    const emulator = await startEmulator(options);
    const [credential] = emulator.credentials;
    const local = credential === LOCAL_CREDENTIAL;
    writeLine(
      stdout,
      [
        `VOD emulator listening on ${emulator.url}`,
        `  v3 API      POST ${emulator.url}/   (VOD_ENDPOINT=${emulator.url})`,
        `  v2 API      GET|POST ${emulator.url}${V2_PATH}`,
        `  control API ${emulator.url}/_emulator/{events,stats,reset,faults}`,
        local
          ? `  credentials: TENCENTCLOUD_SECRETID/SECRETKEY unset, so the local pair is used:\n    export TENCENTCLOUD_SECRETID=${LOCAL_CREDENTIAL.secretId} TENCENTCLOUD_SECRETKEY=${LOCAL_CREDENTIAL.secretKey}`
          : `  credentials: SecretId ${credential?.secretId} from TENCENTCLOUD_SECRETID`,
        `  queued ${options.events?.length ?? 0} events; stop with Ctrl-C`,
      ].join('\n'),
    );
    const signal = await untilStopped();
    await emulator.close();
    writeLine(stdout, `VOD emulator stopped (${signal}); final stats ${JSON.stringify(emulator.stats())}`);
    return 0;
  },
});
