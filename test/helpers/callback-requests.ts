import type { CallbackRequest } from '../../lib/callback/handle';
import { callbackSign } from '../../lib/callback/verify';
import { jsonLineLogger, type Logger } from '../../lib/log';

export const SIGN_KEY = 'TestKey1';
export const NEXT_SIGN_KEY = 'TestKey2';

/** The content with `Sign`/`T` added as VOD adds them: `T` is the expiry in Unix seconds. */
export function signed(content: object, key: string, expiresAtMs: number): Record<string, unknown> {
  const t = Math.floor(expiresAtMs / 1000);
  return { ...content, Sign: callbackSign(key, t), T: t };
}

/** A POST as the gateway delivers it; the body is the JSON of `content` unless bytes or text are given. */
export function callbackRequest(content: unknown, overrides: Partial<CallbackRequest> = {}): CallbackRequest {
  const body = Buffer.isBuffer(content)
    ? content
    : Buffer.from(typeof content === 'string' ? content : JSON.stringify(content), 'utf8');
  return { method: 'POST', path: '/vod/callback', headers: { 'content-type': 'application/json' }, body, ...overrides };
}

export interface CapturedLog extends Logger {
  lines: string[];
  /** The parsed lines. */
  entries(): Record<string, unknown>[];
  deadLetters(): Record<string, unknown>[];
}

/** A JSON-line logger that keeps its lines, to assert on what the function logged. */
export function captureLog(): CapturedLog {
  const lines: string[] = [];
  const entries = () => lines.map((line) => JSON.parse(line) as Record<string, unknown>);
  return {
    ...jsonLineLogger((line) => lines.push(line)),
    lines,
    entries,
    deadLetters: () => entries().filter((entry) => entry.deadLetter === true),
  };
}
