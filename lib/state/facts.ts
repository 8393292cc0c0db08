/**
 * The join-semilattice the state tables are built on (docs/state.md). A `Facts` value is what the
 * events seen so far say about one file or one task; `mergeFacts` is commutative, associative and
 * idempotent, so folding any order of any multiset of contributions gives the same value. The same
 * shape is stored as jsonb and merged in SQL by phase 2, so keep it plain JSON.
 */

/** A JSON value a field can hold (`null` is a tombstone: "this was removed, and that is final"). */
export type FieldValue = string | number | boolean | null | { [key: string]: FieldValue } | FieldValue[];

/** One field's value with the precedence that lets it win: greater `rank`, then greater `key`. */
export interface Ranked {
  rank: number;
  /** The id of the event that set the value (64 lowercase hex): the deterministic tiebreak. */
  key: string;
  value: FieldValue;
}

/** Field name (a column of the state table, or `output:<kind>:<definition>`) → its ranked value. */
export type RankedFields = Record<string, Ranked>;

export interface Facts {
  /** `FileId` or `TaskId`. */
  id: string;
  fields: RankedFields;
  /** The events that contributed, sorted and without repeats. */
  eventIds: string[];
  /** Earliest and latest first arrival (`first_received_at`) of those events, ISO 8601 UTC. */
  firstEventAt: string;
  lastEventAt: string;
}

/**
 * Whether `a` beats `b`. Ids are lowercase hex, so comparing UTF-16 code units is the same order
 * as PostgreSQL's `COLLATE "C"`; equal rank and key means the same event, hence the same value.
 */
export const outranks = (a: Ranked, b: Ranked): boolean => a.rank > b.rank || (a.rank === b.rank && a.key > b.key);

export function mergeFields(a: RankedFields, b: RankedFields): RankedFields {
  const merged: RankedFields = { ...a };
  for (const [name, candidate] of Object.entries(b)) {
    const current = merged[name];
    if (current === undefined || outranks(candidate, current)) merged[name] = candidate;
  }
  return sortedKeys(merged);
}

/** Keys in code-unit order, so equal facts are equal JSON too (what a test or a jsonb compare sees). */
function sortedKeys(fields: RankedFields): RankedFields {
  const sorted: RankedFields = {};
  for (const name of Object.keys(fields).sort(byCodeUnits)) sorted[name] = fields[name]!;
  return sorted;
}

export const byCodeUnits = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export const sortedUnion = (a: readonly string[], b: readonly string[]): string[] => [...new Set([...a, ...b])].sort(byCodeUnits);

/** Merge two facts about the same file or task. */
export function mergeFacts(a: Facts, b: Facts): Facts {
  if (a.id !== b.id) throw new Error(`mergeFacts: facts of ${a.id} and ${b.id} cannot be merged`);
  return {
    id: a.id,
    fields: mergeFields(a.fields, b.fields),
    eventIds: sortedUnion(a.eventIds, b.eventIds),
    // ISO 8601 UTC strings of one format order like the instants they name.
    firstEventAt: a.firstEventAt <= b.firstEventAt ? a.firstEventAt : b.firstEventAt,
    lastEventAt: a.lastEventAt >= b.lastEventAt ? a.lastEventAt : b.lastEventAt,
  };
}

/** Facts merged per id, into `into`. */
export function mergeInto(into: Map<string, Facts>, facts: readonly Facts[]): Map<string, Facts> {
  for (const fact of facts) {
    const current = into.get(fact.id);
    into.set(fact.id, current ? mergeFacts(current, fact) : fact);
  }
  return into;
}
