/**
 * The precedence table of docs/state.md as numbers: a value set by a higher rank is never replaced
 * by a lower one. Ranks are spaced by 10 so a stage can be inserted later without renumbering
 * (a precedence change needs `rebuild-state`, as stored ranks would be stale).
 */

export const Lifecycle = {
  uploaded: 'uploaded',
  processing: 'processing',
  failed: 'failed',
  ready: 'ready',
  deleted: 'deleted',
} as const;
export type Lifecycle = (typeof Lifecycle)[keyof typeof Lifecycle];

/**
 * `ready` outranks `failed`: without timestamps a failed re-processing and a successful one cannot
 * be ordered, and the file row answers "can it be played?" (the failure stays on the task row).
 */
export const LIFECYCLE_RANK: Record<Lifecycle, number> = {
  uploaded: 10,
  processing: 20,
  failed: 30,
  ready: 40,
  deleted: 50,
};

/** Task statuses as this project stores them: VOD's own, plus `FAIL` for any reported error. */
export const TaskStatus = { waiting: 'WAITING', processing: 'PROCESSING', finish: 'FINISH', fail: 'FAIL' } as const;

const STATUS_RANK: Record<string, number> = { WAITING: 10, PROCESSING: 20, FINISH: 30, FAIL: 40 };

/** A status VOD adds later counts as still running: it can neither end nor un-end a task. */
export const statusRank = (status: string): number => STATUS_RANK[status] ?? STATUS_RANK.PROCESSING!;

/** Progress orders within a status: `(status rank, progress)` as one number. */
export const progressRank = (status: string, progress: number): number => statusRank(status) * 1000 + progress;

/** `kind` comes from the event type, which agrees for every event of a task; rank only breaks ties. */
export const KIND_RANK = 0;
