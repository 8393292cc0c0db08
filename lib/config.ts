import { ConfigError } from './errors';
import { API_FORMATS, type ApiFormat } from './events/types';
import { webhookKey } from './react/webhook-signature';

/** Everything the functions read from the environment, parsed once (design.md, "Environment"). */
export interface Config {
  /** PostgreSQL connection string; unset means the embedded PGlite store in `pgliteDir`. */
  databaseUrl: string | undefined;
  pgliteDir: string;
  credentials: { secretId: string | undefined; secretKey: string | undefined; sessionToken: string | undefined };
  vodEndpoint: string;
  vodApi: ApiFormat;
  subAppId: number | undefined;
  maxQps: number;
  drainConcurrency: number;
  /** `drain`: stop at the first empty poll; `follow`: keep long-polling until the budget ends (README, "Two drain modes"). */
  drainMode: DrainMode;
  drainMaxBatches: number;
  /** Explicit wall-clock budget; `undefined` means "the SCF context's remaining time less a margin". */
  drainBudgetMs: number | undefined;
  /** Bytes of pulled-but-unstored events the drain holds at once (see README, "Sizing memory"). */
  drainMaxInflightBytes: number;
  /** Accepted callback sign keys (one, or two while rotating); empty means callbacks are unauthenticated. */
  callbackSignKeys: string[];
  callbackMaxBodyBytes: number;
  /** Built-in forwarding of every event (of `types`) to the user's endpoint; `undefined` when FORWARD_URL is unset. */
  forward: ForwardConfig | undefined;
  /** Attempts of a handler run before it is `dead` (a handler's `maxAttempts` wins). */
  runsMaxAttempts: number;
  /** The first retry's delay; each next one doubles, up to 6 h (README, "Retry schedule"). */
  runsRetryBaseMs: number;
  /** Runs executing at once in one dispatcher. */
  dispatchConcurrency: number;
  /** How long the callback function may run a new event's handlers before answering; 0: never (the timer runs them). */
  callbackDispatchMs: number;
  /** Whether writes also merge `vod_files`/`vod_tasks` (`STATE_PROJECTION=off` turns it off, for benchmarks). */
  stateProjection: boolean;
}

export interface ForwardConfig {
  url: string;
  /** The key bytes of FORWARD_SECRET (`whsec_…`). */
  key: Buffer;
  /** Event types to forward; `['*']` for all. */
  types: string[];
  timeoutMs: number;
}

export const DEFAULTS = {
  pgliteDir: '.data/pglite',
  vodEndpoint: 'https://vod.tencentcloudapi.com',
  vodApi: 'v3',
  maxQps: 90,
  drainConcurrency: 4,
  drainMode: 'drain',
  drainMaxBatches: 200,
  /** Follow mode makes a pull per event or two at low rates: its window and VOD_MAX_QPS bound the calls. */
  followMaxBatches: 1_000_000,
  drainMaxInflightBytes: 16 * 1_048_576,
  // VOD's bodies are kilobytes. A body's parse, key and payload take many times its size (up to
  // ~100× for dense JSON), and the callback runs in 128–256 MB: `npm run bench` measures the peak.
  callbackMaxBodyBytes: 262_144,
  // 13 attempts: retries after 30 s, 1, 2, 4, … 256 min, then 6 h twice: the last about 20 h
  // after the first, well inside the 4 days VOD keeps an unpulled event.
  runsMaxAttempts: 13,
  runsRetryBaseMs: 30_000,
  dispatchConcurrency: 4,
  // The callback's store may take up to 4 s (STORE_TIMEOUT_MS) and VOD waits 5 s; handlers get at
  // most 1 s of it, and only what is left of the first 2.5 s (lib/app/callback.ts).
  callbackDispatchMs: 1_000,
  forwardTimeoutMs: 5_000,
} as const;

export const DRAIN_MODES = ['drain', 'follow'] as const;
export type DrainMode = (typeof DRAIN_MODES)[number];

type Env = Record<string, string | undefined>;

/** Reads one variable at a time and collects every problem, so one start reports them all. */
class EnvReader {
  readonly problems: { variable: string; problem: string }[] = [];
  constructor(private readonly env: Env) {}

  text(variable: string): string | undefined {
    const value = this.env[variable]?.trim();
    return value === '' ? undefined : value;
  }

  integer(variable: string, range: { min: number; max: number }): number | undefined {
    const raw = this.text(variable);
    if (raw === undefined) return undefined;
    const value = /^-?\d+$/.test(raw) ? Number(raw) : NaN;
    if (!Number.isSafeInteger(value) || value < range.min || value > range.max) {
      this.problems.push({
        variable,
        problem: `expected a whole number from ${range.min} to ${range.max}, got "${raw}"`,
      });
      return undefined;
    }
    return value;
  }

  oneOf<T extends string>(variable: string, allowed: readonly T[]): T | undefined {
    const raw = this.text(variable);
    if (raw === undefined) return undefined;
    if ((allowed as readonly string[]).includes(raw)) return raw as T;
    this.problems.push({ variable, problem: `expected one of ${allowed.join(' | ')}, got "${raw}"` });
    return undefined;
  }

  url(variable: string, schemes: readonly string[]): string | undefined {
    const raw = this.text(variable);
    if (raw === undefined) return undefined;
    let parsed: URL | undefined;
    try {
      parsed = new URL(raw);
    } catch {
      parsed = undefined;
    }
    if (!parsed) {
      const problem = `is not a valid URL (characters such as / : @ in a password must be percent-encoded), got "${redact(raw)}"`;
      this.problems.push({ variable, problem });
      return undefined;
    }
    if (!schemes.includes(parsed.protocol)) {
      this.problems.push({ variable, problem: `expected a URL starting with ${schemes.join(' or ')}, got "${redact(raw)}"` });
      return undefined;
    }
    return raw;
  }

  /** Where events are forwarded: HTTPS, or HTTP to this machine (local runs and tests). */
  forwardUrl(variable: string): string | undefined {
    const raw = this.url(variable, ['https:', 'http:']);
    if (raw === undefined) return undefined;
    const { protocol, hostname } = new URL(raw);
    if (protocol === 'http:' && !['localhost', '127.0.0.1', '[::1]'].includes(hostname)) {
      this.problems.push({ variable, problem: `expected an https:// URL (plain http only to localhost), got "${redact(raw)}"` });
      return undefined;
    }
    return raw;
  }

  list(variable: string): string[] | undefined {
    const raw = this.text(variable);
    if (raw === undefined) return undefined;
    const items = raw.split(',').map((item) => item.trim());
    if (items.some((item) => item === '')) {
      this.problems.push({ variable, problem: `expected names separated by commas, got "${raw}"` });
      return undefined;
    }
    return items;
  }

  keyList(variable: string): string[] {
    const raw = this.text(variable);
    if (raw === undefined) return [];
    const keys = raw.split(',').map((key) => key.trim());
    if (keys.length > 2 || keys.some((key) => key === '')) {
      this.problems.push({ variable, problem: 'expected one key, or two keys separated by a comma while rotating' });
      return [];
    }
    return keys;
  }
}

export type Credentials = Config['credentials'];

/**
 * The API credentials as the environment holds them now. SCF puts an execution role's temporary
 * keys there and renews them; functions read them per invocation rather than once at cold start.
 */
export function credentialsFrom(env: Env): Credentials {
  const read = new EnvReader(env);
  return {
    secretId: read.text('TENCENTCLOUD_SECRETID'),
    secretKey: read.text('TENCENTCLOUD_SECRETKEY'),
    sessionToken: read.text('TENCENTCLOUD_SESSIONTOKEN'),
  };
}

/**
 * Connection strings carry passwords; error messages must not, whatever form the string has: the
 * user-info of a URL (greedy: a password may hold "/" or "@"), and `password=` (or `sslpassword=`)
 * as a query parameter or a libpq keyword.
 */
const redact = (raw: string): string =>
  raw.replace(/\/\/.*@/, '//***@').replace(/((?:ssl)?password|passwd|pwd)(\s*=\s*)('[^']*'|[^&\s]*)/gi, '$1$2***');

/**
 * The callback keys alone, readable even when another variable is bad: a configuration error must
 * never switch signature checks off. `problem` when the variable itself cannot be read.
 */
export function callbackSignKeysFrom(env: Env): { keys: string[] } | { problem: string } {
  const read = new EnvReader(env);
  const keys = read.keyList('VOD_CALLBACK_SIGN_KEY');
  const [problem] = read.problems;
  return problem ? { problem: `${problem.variable}: ${problem.problem}` } : { keys };
}

/** Parses the environment table once; throws one `ConfigError` naming every bad variable. */
export function loadConfig(env: Env): Config {
  const read = new EnvReader(env);
  const credentials = credentialsFrom(env);
  const { secretId, secretKey } = credentials;
  if ((secretId === undefined) !== (secretKey === undefined)) {
    read.problems.push({
      variable: secretId === undefined ? 'TENCENTCLOUD_SECRETID' : 'TENCENTCLOUD_SECRETKEY',
      problem: 'TENCENTCLOUD_SECRETID and TENCENTCLOUD_SECRETKEY must be set together',
    });
  }
  const drainMode = read.oneOf('DRAIN_MODE', DRAIN_MODES) ?? DEFAULTS.drainMode;
  const config: Config = {
    databaseUrl: read.url('DATABASE_URL', ['postgres:', 'postgresql:']),
    pgliteDir: read.text('PGLITE_DIR') ?? DEFAULTS.pgliteDir,
    credentials,
    vodEndpoint: read.url('VOD_ENDPOINT', ['http:', 'https:']) ?? DEFAULTS.vodEndpoint,
    vodApi: read.oneOf('VOD_API', API_FORMATS) ?? DEFAULTS.vodApi,
    subAppId: read.integer('VOD_SUBAPP_ID', { min: 1, max: 2 ** 53 - 1 }),
    maxQps: read.integer('VOD_MAX_QPS', { min: 1, max: 1000 }) ?? DEFAULTS.maxQps,
    drainConcurrency: read.integer('DRAIN_CONCURRENCY', { min: 1, max: 64 }) ?? DEFAULTS.drainConcurrency,
    drainMode,
    drainMaxBatches:
      read.integer('DRAIN_MAX_BATCHES', { min: 1, max: 1_000_000 }) ??
      (drainMode === 'follow' ? DEFAULTS.followMaxBatches : DEFAULTS.drainMaxBatches),
    drainBudgetMs: read.integer('DRAIN_BUDGET_MS', { min: 1, max: 24 * 3600 * 1000 }),
    drainMaxInflightBytes:
      read.integer('DRAIN_MAX_INFLIGHT_BYTES', { min: 65_536, max: 2 ** 31 }) ?? DEFAULTS.drainMaxInflightBytes,
    callbackSignKeys: read.keyList('VOD_CALLBACK_SIGN_KEY'),
    callbackMaxBodyBytes:
      read.integer('CALLBACK_MAX_BODY_BYTES', { min: 1024, max: 64 * 1_048_576 }) ?? DEFAULTS.callbackMaxBodyBytes,
    forward: forwardFrom(read),
    runsMaxAttempts: read.integer('RUNS_MAX_ATTEMPTS', { min: 1, max: 1000 }) ?? DEFAULTS.runsMaxAttempts,
    runsRetryBaseMs: read.integer('RUNS_RETRY_BASE_MS', { min: 1, max: 24 * 3600 * 1000 }) ?? DEFAULTS.runsRetryBaseMs,
    dispatchConcurrency: read.integer('DISPATCH_CONCURRENCY', { min: 1, max: 256 }) ?? DEFAULTS.dispatchConcurrency,
    callbackDispatchMs: read.integer('CALLBACK_DISPATCH_MS', { min: 0, max: 2_500 }) ?? DEFAULTS.callbackDispatchMs,
    stateProjection: (read.oneOf('STATE_PROJECTION', ['on', 'off'] as const) ?? 'on') === 'on',
  };
  if (read.problems.length > 0) throw new ConfigError(read.problems);
  return config;
}

/** FORWARD_URL with its secret, or `undefined` when forwarding is off; a URL without a valid secret is a problem. */
function forwardFrom(read: EnvReader): ForwardConfig | undefined {
  const url = read.forwardUrl('FORWARD_URL');
  const secret = read.text('FORWARD_SECRET');
  const types = read.list('FORWARD_TYPES');
  const timeoutMs = read.integer('FORWARD_TIMEOUT_MS', { min: 100, max: 60_000 }) ?? DEFAULTS.forwardTimeoutMs;
  if (url === undefined) {
    if (secret !== undefined && read.text('FORWARD_URL') === undefined) {
      read.problems.push({ variable: 'FORWARD_URL', problem: 'required when FORWARD_SECRET is set' });
    }
    return undefined;
  }
  const key = secret === undefined ? undefined : webhookKey(secret);
  if (key === undefined) {
    const problem =
      secret === undefined
        ? 'required when FORWARD_URL is set: a Standard Webhooks secret, whsec_ followed by base64 of 24 to 64 random bytes'
        : 'expected whsec_ followed by base64 of 24 to 64 random bytes (e.g. whsec_$(openssl rand -base64 32))';
    read.problems.push({ variable: 'FORWARD_SECRET', problem });
    return undefined;
  }
  return { url, key, types: types ?? ['*'], timeoutMs };
}
