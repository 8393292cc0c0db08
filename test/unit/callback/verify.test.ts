import { describe, expect, it } from 'vitest';
import { callbackSign, CLOCK_SKEW_MS, MAX_EXPIRY_AHEAD_MS, verifySign } from '../../../lib/callback/verify';
import seeds from '../../../samples/seed-events.json';
import { NEXT_SIGN_KEY, SIGN_KEY, signed } from '../../helpers/callback-requests';

const now = Date.UTC(2026, 0, 1, 12, 0, 0);
const event = seeds.pullComplete003Callback;
/** A body VOD would send right now: expiring in 10 minutes, signed with the current key. */
const good = (changes: Record<string, unknown> = {}) => ({ ...signed(event, SIGN_KEY, now + 600_000), ...changes });

describe('callbackSign', () => {
  it('is the lowercase hex MD5 of key + decimal T (fixed vector)', () => {
    expect(callbackSign('TestKey', 1700000600)).toBe('51a77cc2f36edb585951b5815e7642e6');
    expect(callbackSign('TestKey', '1700000600')).toBe('51a77cc2f36edb585951b5815e7642e6');
  });
});

describe('verifySign', () => {
  it('accepts what VOD sends: T as a number, 10 minutes ahead', () => {
    expect(verifySign(good(), [SIGN_KEY], now)).toEqual({ ok: true });
  });

  it('accepts T as a decimal string, uppercase hex, and lowercase field names', () => {
    const { Sign, T } = good() as { Sign: string; T: number };
    expect(verifySign({ ...event, Sign, T: String(T) }, [SIGN_KEY], now)).toEqual({ ok: true });
    expect(verifySign({ ...event, Sign: Sign.toUpperCase(), T }, [SIGN_KEY], now)).toEqual({ ok: true });
    expect(verifySign({ ...event, sign: Sign, t: T }, [SIGN_KEY], now)).toEqual({ ok: true });
  });

  it('accepts either key while rotating', () => {
    const byNext = signed(event, NEXT_SIGN_KEY, now + 600_000);
    expect(verifySign(good(), [SIGN_KEY, NEXT_SIGN_KEY], now)).toEqual({ ok: true });
    expect(verifySign(byNext, [SIGN_KEY, NEXT_SIGN_KEY], now)).toEqual({ ok: true });
    expect(verifySign(byNext, [SIGN_KEY], now)).toEqual({
      ok: false,
      reason: 'Sign does not match MD5(key + T) for any configured key',
    });
  });

  it.each([
    ['a missing Sign', { Sign: undefined }, 'missing Sign field: expected MD5(key + T) in the JSON body'],
    ['a missing T', { T: undefined }, 'missing T field: expected the decimal Unix-seconds expiry in the JSON body'],
    ['a hex T (the playback-key format)', { T: '6956a1b8' }, 'T must be a decimal Unix time in seconds, got "6956a1b8"'],
    ['a fractional T', { T: 1767269400.5 }, 'T must be a decimal Unix time in seconds, got 1767269400.5'],
    ['a negative T', { T: -1 }, 'T must be a decimal Unix time in seconds, got -1'],
    ['a Sign that is not hex', { Sign: 'z'.repeat(32) }, 'Sign must be 32 hex digits (an MD5 digest)'],
    ['a truncated Sign', { Sign: 'ab'.repeat(15) }, 'Sign must be 32 hex digits (an MD5 digest)'],
    ['a Sign that is a number', { Sign: 12345 }, 'Sign must be 32 hex digits (an MD5 digest)'],
    [
      'a Sign of another key',
      { Sign: callbackSign('OtherKey', Math.floor((now + 600_000) / 1000)) },
      'Sign does not match MD5(key + T) for any configured key',
    ],
    [
      'a T changed after signing',
      { T: Math.floor((now + 600_000) / 1000) + 1 },
      'Sign does not match MD5(key + T) for any configured key',
    ],
  ])('refuses %s', (_, changes, reason) => {
    const content = good(changes);
    for (const [key, value] of Object.entries(changes)) if (value === undefined) delete content[key];
    expect(verifySign(content, [SIGN_KEY], now)).toEqual({ ok: false, reason });
  });

  it('accepts an expiry up to the clock skew in the past, and refuses one beyond it', () => {
    const justExpired = signed(event, SIGN_KEY, now - CLOCK_SKEW_MS);
    const expired = signed(event, SIGN_KEY, now - CLOCK_SKEW_MS - 1000);
    expect(verifySign(justExpired, [SIGN_KEY], now)).toEqual({ ok: true });
    expect(verifySign(expired, [SIGN_KEY], now)).toEqual({ ok: false, reason: 'expired: T is 31 s in the past' });
  });

  it('refuses a captured callback replayed after it expired', () => {
    const captured = good();
    expect(verifySign(captured, [SIGN_KEY], now + 11 * 60_000)).toEqual({ ok: false, reason: 'expired: T is 60 s in the past' });
  });

  it('accepts an expiry up to 15 minutes ahead, and refuses one further', () => {
    expect(verifySign(signed(event, SIGN_KEY, now + MAX_EXPIRY_AHEAD_MS), [SIGN_KEY], now)).toEqual({ ok: true });
    expect(verifySign(signed(event, SIGN_KEY, now + MAX_EXPIRY_AHEAD_MS + 1000), [SIGN_KEY], now)).toEqual({
      ok: false,
      reason: 'T is more than 900 s in the future, which VOD never sends',
    });
  });
});
