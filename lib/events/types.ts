/** Which payload generation an event belongs to (see design.md, "Three generations"). */
export const ApiFormat = { v3: 'v3', v2: 'v2', v2Legacy: 'v2-legacy' } as const;
export type ApiFormat = (typeof ApiFormat)[keyof typeof ApiFormat];
export const API_FORMATS: readonly ApiFormat[] = Object.values(ApiFormat);

/** How the first delivery of an event reached us. */
export const Source = { pull: 'pull', callback: 'callback' } as const;
export type Source = (typeof Source)[keyof typeof Source];

/** Event type given to content whose shape is none of the three generations. */
export const UNKNOWN_EVENT_TYPE = 'Unknown';

/** The columns extracted from an event's content; `null` where the event has no such value. */
export interface ExtractedFields {
  taskId: string | null;
  fileId: string | null;
  status: string | null;
  errCode: number | null;
  message: string | null;
  fileUrl: string | null;
}

/** An event with none of the columns filled. */
export const NO_FIELDS: ExtractedFields = {
  taskId: null,
  fileId: null,
  status: null,
  errCode: null,
  message: null,
  fileUrl: null,
};

/** One row of `vod_events`, before the store adds timestamps and counts. */
export interface NormalizedEvent extends ExtractedFields {
  /** Dedupe key: SHA-256 hex of the canonical content (see dedupe-key.ts). */
  id: string;
  eventType: string;
  apiFormat: ApiFormat;
  source: Source;
  /** The content as received, without the delivery handle, made safe for jsonb. */
  payload: unknown;
}

/** How an event arrived: its source, and for pulls which API generation delivered it. */
export interface Arrival {
  source: Source;
  /** Used for content that matches no known shape; detection wins otherwise. */
  api?: ApiFormat;
}
