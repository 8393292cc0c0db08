import type { NormalizedEvent } from '../events/types';

/**
 * A write that commits in the same statement as the events it derives from: the event store
 * appends each projection's CTEs to its write statement (the batch upsert and the callback's
 * delivery statement alike), so an event and what is derived from it are stored together or not
 * at all (docs/state.md; /work/notes/store-hook.md for the next projections).
 *
 * The CTEs read the statement's `stored (id text, first_received_at timestamptz, inserted boolean)`:
 * one row per distinct event the statement wrote, `inserted` false for an id that was already
 * stored (a counted repeat). A delivery the callback statement did not count has no row.
 */
export interface Projection {
  /** Prefix of its CTE names, unique among the projections of a store. */
  readonly name: string;
  /** How many parameters `params` returns, always: statements are prepared once per shape. */
  readonly paramCount: number;
  /** Its parameters for one write (text or null), given the distinct events being written. */
  params(events: readonly NormalizedEvent[]): (string | null)[];
  /** Its CTEs (`name AS (…)`, comma-separated), with `$first` … `$first + paramCount - 1` for its parameters. */
  ctes(first: number): string;
}

/** The projections' CTEs, to follow a statement's own (each preceded by a comma), with parameters from `$first` on. */
export function projectionCtes(projections: readonly Projection[], first: number): string {
  let next = first;
  return projections
    .map((projection) => {
      const text = projection.ctes(next);
      next += projection.paramCount;
      return `,\n${text}`;
    })
    .join('');
}

export function projectionParams(projections: readonly Projection[], events: readonly NormalizedEvent[]): (string | null)[] {
  return projections.flatMap((projection) => {
    const params = projection.params(events);
    if (params.length !== projection.paramCount) {
      throw new Error(`projection ${projection.name} gave ${params.length} parameters, declared ${projection.paramCount}`);
    }
    return params;
  });
}
