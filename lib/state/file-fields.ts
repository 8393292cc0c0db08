import type { FieldValue } from './facts';
import type { FieldSpec } from './contribution';
import { LIFECYCLE_RANK, type Lifecycle } from './precedence';

/** The descriptive columns of `vod_files`, as an event can supply them. */
export interface FileDetails {
  name?: string | undefined;
  media_url?: string | undefined;
  cover_url?: string | undefined;
  duration?: number | undefined;
  size?: number | undefined;
  session_context?: string | undefined;
  source_context?: string | undefined;
}

/** Which family of templates an output belongs to; definitions are numbered per family. */
export type OutputKind = 'transcode' | 'adaptive';

export interface Output {
  kind: OutputKind;
  definition: number;
  /** `HLS`, `DASH`, or the container (`mp4`, `flv`, …). */
  format: string;
  url: string;
}

export const OUTPUT_PREFIX = 'output:';

/** `output:<kind>:<definition>`, or `output:<kind>:*` for a deletion of every definition. */
export const outputField = (kind: OutputKind, definition: number | '*'): string => `${OUTPUT_PREFIX}${kind}:${definition}`;

/**
 * The fields of an event at lifecycle `stage`: the lifecycle itself, and every detail and output
 * at the same rank, so a later stage's value is never replaced by an earlier stage's.
 */
export function stageFields(stage: Lifecycle, details: FileDetails = {}, outputs: readonly Output[] = []): FieldSpec {
  const rank = LIFECYCLE_RANK[stage];
  const spec: Record<string, readonly [number, FieldValue | undefined]> = { lifecycle: [rank, stage] };
  for (const [name, value] of Object.entries(details)) spec[name] = [rank, value as FieldValue | undefined];
  for (const output of outputs) {
    spec[outputField(output.kind, output.definition)] = [rank, { format: output.format, url: output.url }];
  }
  return spec;
}

/**
 * A file deletion: the whole file (`deleted`, final), or only some outputs, whose fields become
 * tombstones at the deleted rank (see MediaDeleteItem in the SDK: Definition 0 means all).
 */
export function deletionFields(whole: boolean, outputs: readonly { kind: OutputKind; definition: number }[]): FieldSpec {
  const rank = LIFECYCLE_RANK.deleted;
  const spec: Record<string, readonly [number, FieldValue]> = whole ? { lifecycle: [rank, 'deleted'] } : {};
  for (const { kind, definition } of outputs) spec[outputField(kind, definition === 0 ? '*' : definition)] = [rank, null];
  return spec;
}

/** `HLS`/`DASH` by the playlist's extension, else the extension itself (`mp4`), else `unknown`. */
export function formatOfUrl(url: string): string {
  const extension = /\.([A-Za-z0-9]+)(?:[?#]|$)/.exec(url)?.[1]?.toLowerCase();
  if (extension === 'm3u8') return 'HLS';
  if (extension === 'mpd') return 'DASH';
  return extension ?? 'unknown';
}
