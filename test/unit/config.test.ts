import { describe, expect, it } from 'vitest';
import { DEFAULTS, loadConfig } from '../../lib/config';
import { ConfigError } from '../../lib/errors';

const problemsOf = (env: Record<string, string>) => {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
};

describe('loadConfig', () => {
  it('applies the documented defaults to an empty environment', () => {
    expect(loadConfig({})).toEqual({
      databaseUrl: undefined,
      pgliteDir: DEFAULTS.pgliteDir,
      credentials: { secretId: undefined, secretKey: undefined, sessionToken: undefined },
      vodEndpoint: 'https://vod.tencentcloudapi.com',
      vodApi: 'v3',
      subAppId: undefined,
      maxQps: 90,
      drainConcurrency: 4,
      drainMode: 'drain',
      drainMaxBatches: 200,
      drainBudgetMs: undefined,
      drainMaxInflightBytes: 16 * 1_048_576,
      callbackSignKeys: [],
      callbackMaxBodyBytes: 262_144,
      forward: undefined,
      runsMaxAttempts: 13,
      runsRetryBaseMs: 30_000,
      dispatchConcurrency: 4,
      callbackDispatchMs: 1_000,
      stateProjection: true,
    });
  });

  it('reads every variable', () => {
    const config = loadConfig({
      DATABASE_URL: 'postgres://u:p@db:5432/vod',
      PGLITE_DIR: '/tmp/x',
      TENCENTCLOUD_SECRETID: 'id',
      TENCENTCLOUD_SECRETKEY: 'key',
      TENCENTCLOUD_SESSIONTOKEN: 'token',
      VOD_ENDPOINT: 'http://127.0.0.1:9000',
      VOD_API: 'v2-legacy',
      VOD_SUBAPP_ID: '1500000001',
      VOD_MAX_QPS: '50',
      DRAIN_CONCURRENCY: '8',
      DRAIN_MODE: 'follow',
      DRAIN_MAX_BATCHES: '10',
      DRAIN_BUDGET_MS: '20000',
      VOD_CALLBACK_SIGN_KEY: 'old, new',
      CALLBACK_MAX_BODY_BYTES: '2048',
      STATE_PROJECTION: 'off',
    });
    expect(config).toMatchObject({
      databaseUrl: 'postgres://u:p@db:5432/vod',
      credentials: { secretId: 'id', secretKey: 'key', sessionToken: 'token' },
      vodApi: 'v2-legacy',
      subAppId: 1500000001,
      maxQps: 50,
      drainConcurrency: 8,
      drainMode: 'follow',
      drainMaxBatches: 10,
      drainBudgetMs: 20000,
      callbackSignKeys: ['old', 'new'],
      callbackMaxBodyBytes: 2048,
      stateProjection: false,
    });
  });

  it('lets the pull window and VOD_MAX_QPS bound the pulls of follow mode unless DRAIN_MAX_BATCHES says', () => {
    expect(loadConfig({ DRAIN_MODE: 'follow' }).drainMaxBatches).toBe(DEFAULTS.followMaxBatches);
    expect(loadConfig({ DRAIN_MODE: 'follow', DRAIN_MAX_BATCHES: '500' }).drainMaxBatches).toBe(500);
  });

  it('names each bad variable and the expected form, all at once', () => {
    expect(
      problemsOf({
        VOD_API: 'v4',
        DRAIN_CONCURRENCY: 'four',
        VOD_MAX_QPS: '0',
        VOD_ENDPOINT: 'ftp://x',
        DATABASE_URL: 'mysql://a:secret@b/c',
      }),
    ).toEqual([
      { variable: 'DATABASE_URL', problem: 'expected a URL starting with postgres: or postgresql:, got "mysql://***@b/c"' },
      { variable: 'VOD_ENDPOINT', problem: 'expected a URL starting with http: or https:, got "ftp://x"' },
      { variable: 'VOD_API', problem: 'expected one of v3 | v2 | v2-legacy, got "v4"' },
      { variable: 'VOD_MAX_QPS', problem: 'expected a whole number from 1 to 1000, got "0"' },
      { variable: 'DRAIN_CONCURRENCY', problem: 'expected a whole number from 1 to 64, got "four"' },
    ]);
  });

  it('never echoes a database password, even one with / or @ in it', () => {
    const [problem] = problemsOf({ DATABASE_URL: 'postgres://vod:pa/ss@w@10.0.0.1:5432/db' });
    expect(problem).toEqual({
      variable: 'DATABASE_URL',
      problem:
        'is not a valid URL (characters such as / : @ in a password must be percent-encoded), got "postgres://***@10.0.0.1:5432/db"',
    });
  });

  it.each([
    ['a query parameter of a malformed URL', 'postgres://vod@db host/vod?sslmode=require&password=s3cret'],
    ['a query parameter of a URL with another scheme', 'mysql://db/vod?password=s3cret'],
    ['a libpq keyword string', "host=db password='s3cret' user=vod"],
    ['sslpassword', 'postgres://vod@db host/vod?sslpassword=s3cret'],
  ])('never echoes a password given as %s (issue 11, defect 8)', (_, url) => {
    const [problem] = problemsOf({ DATABASE_URL: url });
    expect(problem!.variable).toBe('DATABASE_URL');
    expect(problem!.problem).not.toContain('s3cret');
  });

  it('wants the secret id and key together', () => {
    expect(problemsOf({ TENCENTCLOUD_SECRETID: 'id' })).toEqual([
      { variable: 'TENCENTCLOUD_SECRETKEY', problem: 'TENCENTCLOUD_SECRETID and TENCENTCLOUD_SECRETKEY must be set together' },
    ]);
  });

  it('accepts at most two callback keys', () => {
    expect(problemsOf({ VOD_CALLBACK_SIGN_KEY: 'a,b,c' })[0]?.variable).toBe('VOD_CALLBACK_SIGN_KEY');
    expect(problemsOf({ VOD_CALLBACK_SIGN_KEY: 'a,' })[0]?.variable).toBe('VOD_CALLBACK_SIGN_KEY');
  });

  it('puts the variable name in the error message', () => {
    expect(() => loadConfig({ DRAIN_MAX_BATCHES: '-1' })).toThrow(/DRAIN_MAX_BATCHES: expected a whole number/);
  });
});
