import { asInt, asText } from '../events/fields';
import type { Facts, FieldValue, RankedFields } from './facts';
import { mergeInto } from './facts';
import { KIND_RANK, TaskStatus, progressRank, statusRank } from './precedence';

/** What one event says about the files and tasks it names. */
export interface Contribution {
  files: Facts[];
  tasks: Facts[];
}

/** Field name → `[rank, value]`; an `undefined` value (absent in the event) sets nothing. */
export type FieldSpec = Record<string, readonly [rank: number, value: FieldValue | undefined]>;

/** Prefix of the task fields that make up its set of file ids (a set is a map to `true`). */
export const TASK_FILE_PREFIX = 'file:';

/** A file or task id, cut like the `file_id`/`task_id` columns of `vod_events` so the tables join. */
export const id = (value: unknown): string | undefined => asText(value) ?? undefined;

/**
 * Text of a payload member, whole (a `SessionContext` may hold 1,000 characters); `undefined` when
 * absent or empty, as empty strings say nothing in VOD bodies. The payload is already jsonb-safe.
 */
export const text = (value: unknown): string | undefined =>
  typeof value === 'string' ? (value === '' ? undefined : value) : finite(value)?.toString();

export const finite = (value: unknown): number | undefined =>
  typeof value === 'number' && Number.isFinite(value) ? value : undefined;

export const int = (value: unknown): number | undefined => asInt(value) ?? undefined;

/** How a task ended or stands, as one value so status, code and message always come from one event. */
export interface Outcome {
  status: string;
  errCode?: number | undefined;
  message?: string | undefined;
}

/** Collects the facts of one event; several calls for one id merge. */
export class ContributionBuilder {
  readonly #files = new Map<string, Facts>();
  readonly #tasks = new Map<string, Facts>();
  readonly #eventId: string;
  readonly #arrivedAt: string;

  constructor(eventId: string, arrivedAt: Date) {
    this.#eventId = eventId;
    this.#arrivedAt = arrivedAt.toISOString();
  }

  file(fileId: string | undefined, fields: FieldSpec = {}): void {
    if (fileId !== undefined) mergeInto(this.#files, [this.#facts(fileId, fields)]);
  }

  /** A task, its outcome and progress where the event has them, and the files it concerns. */
  task(
    taskId: string | undefined,
    kind: string,
    outcome?: Outcome,
    progress?: number,
    fileIds: (string | undefined)[] = [],
  ): void {
    if (taskId === undefined) return;
    const fields: Record<string, readonly [number, FieldValue | undefined]> = { kind: [KIND_RANK, kind] };
    if (outcome) {
      fields.outcome = [
        statusRank(outcome.status),
        { status: outcome.status, errCode: outcome.errCode ?? null, message: outcome.message ?? null },
      ];
      if (progress !== undefined) fields.progress = [progressRank(outcome.status, progress), progress];
    }
    for (const fileId of fileIds) if (fileId !== undefined) fields[TASK_FILE_PREFIX + fileId] = [0, true];
    mergeInto(this.#tasks, [this.#facts(taskId, fields)]);
  }

  build(): Contribution {
    return { files: [...this.#files.values()], tasks: [...this.#tasks.values()] };
  }

  #facts(id: string, spec: FieldSpec): Facts {
    const fields: RankedFields = {};
    for (const [name, [rank, value]] of Object.entries(spec)) {
      if (value !== undefined) fields[name] = { rank, key: this.#eventId, value };
    }
    return { id, fields, eventIds: [this.#eventId], firstEventAt: this.#arrivedAt, lastEventAt: this.#arrivedAt };
  }
}

/**
 * A task's outcome from the fields VOD uses across generations: any non-zero `ErrCode`, non-empty
 * `ErrCodeExt` or `FAIL` status is a failure (final); otherwise VOD's status, and a completion
 * event without a status (the 2017 `*Complete` types) is `FINISH`.
 */
export function outcomeOf(
  status: string | undefined,
  errCode: number | undefined,
  errCodeExt: string | undefined,
  message: string | undefined,
): Outcome {
  const failed = (errCode !== undefined && errCode !== 0) || errCodeExt !== undefined || status === 'FAIL';
  if (failed) return { status: TaskStatus.fail, errCode, message: message ?? errCodeExt };
  return { status: status ?? TaskStatus.finish, errCode, message };
}
