import { describe, expect, it } from 'vitest';
import { signV2Params } from '../../../../lib/vod/v2-signer';
import { verifyV2Params, V2Code } from '../../../../tools/emulator/v2-signature';

const KEY = 'example-key';
const NOW_MS = 1_700_000_000_000;
const base = { Action: 'PullEvent', Nonce: '11886', Region: 'gz', SecretId: 'AKIDexample', Timestamp: String(NOW_MS / 1000) };
const request = { method: 'GET', hosts: ['vod.api.qcloud.com'], path: '/v2/index.php' };
const secretKeyOf = (id: string) => (id === 'AKIDexample' ? KEY : undefined);

describe('Function: verifyV2Params', () => {
  const signed = (params: Record<string, string>, key = KEY) => ({
    ...params,
    Signature: signV2Params(params, key, 'GET', 'vod.api.qcloud.com', '/v2/index.php'),
  });

  it.each(['HmacSHA1', 'HmacSHA256'])('accepts a %s signature', (SignatureMethod) => {
    expect(verifyV2Params(signed({ ...base, SignatureMethod }), request, secretKeyOf, NOW_MS, 300_000)).toEqual({ ok: true });
  });

  it('rejects a signature made with another key', () => {
    expect(verifyV2Params(signed(base, 'other'), request, secretKeyOf, NOW_MS, 300_000)).toMatchObject({
      ok: false,
      code: V2Code.authFailure,
    });
  });

  it('rejects a parameter changed after signing', () => {
    expect(verifyV2Params({ ...signed(base), Nonce: '1' }, request, secretKeyOf, NOW_MS, 300_000)).toMatchObject({
      ok: false,
      code: V2Code.authFailure,
    });
  });

  it('rejects an unknown SecretId', () => {
    expect(verifyV2Params(signed(base), request, () => undefined, NOW_MS, 300_000)).toMatchObject({
      ok: false,
      code: V2Code.authFailure,
      message: expect.stringMatching(/not found/),
    });
  });

  it('rejects a timestamp outside the window', () => {
    const old = signed({ ...base, Timestamp: String(NOW_MS / 1000 - 301) });
    expect(verifyV2Params(old, request, secretKeyOf, NOW_MS, 300_000)).toMatchObject({ ok: false, code: V2Code.replayOrExpired });
  });

  it('names missing common parameters', () => {
    const { Nonce: _, ...withoutNonce } = base;
    expect(verifyV2Params(withoutNonce, request, secretKeyOf, NOW_MS, 300_000)).toEqual({
      ok: false,
      code: V2Code.invalidParameter,
      message: 'missing parameter Nonce, Signature',
    });
  });
});
