import { byCodeUnits, type Facts, type FieldValue } from './facts';
import { TASK_FILE_PREFIX } from './contribution';
import { OUTPUT_PREFIX, type OutputKind } from './file-fields';
import type { Lifecycle } from './precedence';

/** One row of `vod_files`. */
export interface FileState {
  fileId: string;
  lifecycle: Lifecycle | null;
  name: string | null;
  mediaUrl: string | null;
  coverUrl: string | null;
  duration: number | null;
  size: number | null;
  /** HLS first, then DASH, then the rest; by definition within each. */
  outputs: FileOutputRow[];
  reviewSuggestion: string | null;
  sessionContext: string | null;
  sourceContext: string | null;
  eventIds: string[];
  firstEventAt: string;
  lastEventAt: string;
}

export interface FileOutputRow {
  kind: OutputKind;
  definition: number;
  format: string;
  url: string;
}

/** One row of `vod_tasks`. */
export interface TaskState {
  taskId: string;
  kind: string | null;
  status: string | null;
  errCode: number | null;
  message: string | null;
  fileIds: string[];
  progress: number | null;
  eventIds: string[];
  firstEventAt: string;
  lastEventAt: string;
}

const valueOf = (facts: Facts, name: string): FieldValue | undefined => facts.fields[name]?.value;
const textOf = (facts: Facts, name: string): string | null => {
  const value = valueOf(facts, name);
  return typeof value === 'string' ? value : null;
};
const numberOf = (facts: Facts, name: string): number | null => {
  const value = valueOf(facts, name);
  return typeof value === 'number' ? value : null;
};

const FORMAT_ORDER: Record<string, number> = { HLS: 0, DASH: 1 };

/** The live outputs: set, and not deleted one by one (a `null`) or by kind (`output:<kind>:*`). */
function outputsOf(facts: Facts): FileOutputRow[] {
  const outputs: FileOutputRow[] = [];
  for (const [name, { value }] of Object.entries(facts.fields)) {
    if (!name.startsWith(OUTPUT_PREFIX)) continue;
    const [kind, definition] = name.slice(OUTPUT_PREFIX.length).split(':') as [OutputKind, string];
    const live = value !== null && typeof value === 'object' && !Array.isArray(value);
    if (!live || valueOf(facts, `${OUTPUT_PREFIX}${kind}:*`) === null) continue;
    outputs.push({ kind, definition: Number(definition), format: String(value.format), url: String(value.url) });
  }
  const order = (output: FileOutputRow) => FORMAT_ORDER[output.format] ?? 2;
  return outputs.sort((a, b) => order(a) - order(b) || a.definition - b.definition || byCodeUnits(a.kind, b.kind));
}

export function fileState(facts: Facts): FileState {
  return {
    fileId: facts.id,
    lifecycle: textOf(facts, 'lifecycle') as Lifecycle | null,
    name: textOf(facts, 'name'),
    mediaUrl: textOf(facts, 'media_url'),
    coverUrl: textOf(facts, 'cover_url'),
    duration: numberOf(facts, 'duration'),
    size: numberOf(facts, 'size'),
    outputs: outputsOf(facts),
    reviewSuggestion: textOf(facts, 'review_suggestion'),
    sessionContext: textOf(facts, 'session_context'),
    sourceContext: textOf(facts, 'source_context'),
    eventIds: facts.eventIds,
    firstEventAt: facts.firstEventAt,
    lastEventAt: facts.lastEventAt,
  };
}

export function taskState(facts: Facts): TaskState {
  const outcome = valueOf(facts, 'outcome') as { status: string; errCode: number | null; message: string | null } | undefined;
  return {
    taskId: facts.id,
    kind: textOf(facts, 'kind'),
    status: outcome?.status ?? null,
    errCode: outcome?.errCode ?? null,
    message: outcome?.message ?? null,
    fileIds: Object.keys(facts.fields)
      .filter((name) => name.startsWith(TASK_FILE_PREFIX))
      .map((name) => name.slice(TASK_FILE_PREFIX.length))
      .sort(byCodeUnits),
    progress: numberOf(facts, 'progress'),
    eventIds: facts.eventIds,
    firstEventAt: facts.firstEventAt,
    lastEventAt: facts.lastEventAt,
  };
}
