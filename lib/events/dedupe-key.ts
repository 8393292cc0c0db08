import { createHash } from 'node:crypto';
import { writeCanonicalJson } from './canonical-json';

/** Top-level fields that belong to one delivery, not to the event: they never change its key. */
export const ENVELOPE_FIELDS: readonly string[] = ['EventHandle', 'msgHandle', 'Sign', 'T', 'sign', 't'];

/** `content` without the delivery-envelope fields; non-objects come back unchanged. */
export function withoutEnvelope(content: unknown): unknown {
  if (content === null || typeof content !== 'object' || Array.isArray(content)) return content;
  const rest: Record<string, unknown> = { ...(content as Record<string, unknown>) };
  for (const field of ENVELOPE_FIELDS) delete rest[field];
  return rest;
}

/**
 * SHA-256 hex of the canonical JSON of the event content: envelope fields removed, null members
 * removed at every depth, keys sorted. A redelivery, an HTTP retry and the same event by pull and
 * by callback all get the same key.
 */
export function dedupeKey(content: unknown): string {
  const hash = createHash('sha256');
  writeCanonicalJson(withoutEnvelope(content), (text) => hash.update(text));
  return hash.digest('hex');
}
