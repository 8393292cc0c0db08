import type { Clock } from '../clock';
import { jsonText } from '../events/canonical-json';
import type { Handler } from './handler';
import { webhookHeaders } from './webhook-signature';

/** The run name of built-in forwarding (`vod-events runs --handler forward`). */
export const FORWARD_HANDLER = 'forward';

export interface ForwardOptions {
  url: string;
  /** Key bytes of the `whsec_…` secret. */
  key: Buffer;
  timeoutMs: number;
  clock: Clock;
}

/** How much of a refusing receiver's answer goes into the run's error. */
const ANSWER_PREVIEW_CHARS = 200;

/**
 * The forwarding handler: POSTs `{type, timestamp, data}` (Standard Webhooks' payload shape) with
 * `webhook-id` = the event's dedupe id, so the receiver drops a repeat even when VOD sent the same
 * event by pull and by callback. Any answer but 2xx, and no answer within `timeoutMs`, is a failed
 * attempt, retried on the runs' schedule.
 */
export function forwardHandler(options: ForwardOptions): Handler<unknown> {
  return {
    name: FORWARD_HANDLER,
    timeoutMs: options.timeoutMs,
    async run({ event, payload, context }) {
      const now = new Date(options.clock.now());
      const body = `{"type":${JSON.stringify(event.eventType)},"timestamp":${JSON.stringify(now.toISOString())},"data":${jsonText(payload)}}`;
      const response = await fetch(options.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...webhookHeaders(options.key, event.id, body, now) },
        body,
        signal: AbortSignal.any([context.signal, AbortSignal.timeout(options.timeoutMs)]),
      });
      const answer = await response.text().catch(() => '');
      if (response.status < 200 || response.status > 299) {
        throw new Error(`FORWARD_URL answered ${response.status}: ${answer.slice(0, ANSWER_PREVIEW_CHARS)}`);
      }
    },
  };
}
