export const StopReason = { drained: 'drained', budget: 'budget', maxBatches: 'max-batches', failed: 'failed' } as const;
export type StopReason = (typeof StopReason)[keyof typeof StopReason];

/** The summary of one drain, logged as one JSON line; the counts are what VOD's answers allow to know. */
export interface DrainResult {
  pulled: number;
  inserted: number;
  duplicates: number;
  /** Handles VOD acknowledged. */
  confirmed: number;
  /** Stored but certainly not confirmed (handle too old, confirm refused, never sent): VOD redelivers them, the store counts them as duplicates. */
  unconfirmed: number;
  /**
   * Stored, sent to VOD, and VOD's answer does not say whether it took them: the call timed out,
   * or VOD refused a call of several handles (the ConfirmEvents doc does not say whether the
   * valid ones of a mixed call are confirmed). Whatever VOD did not take comes back as a duplicate.
   */
  confirmUnknown: number;
  batches: number;
  retries: number;
  elapsedMs: number;
  stopReason: StopReason;
}

export const emptyResult = (stopReason: StopReason): DrainResult => ({
  pulled: 0,
  inserted: 0,
  duplicates: 0,
  confirmed: 0,
  unconfirmed: 0,
  confirmUnknown: 0,
  batches: 0,
  retries: 0,
  elapsedMs: 0,
  stopReason,
});
