import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { NormalizedEvent } from '../../../lib/events/types';
import { contributionOf, fileState, mergeFacts, projectEvents, taskState, type StateFacts } from '../../../lib/state';
import { chosenEvents, deliveryPaths, TWO_FILES_EVENTS } from '../../helpers/delivery-history';

/** A stored event and its first arrival; every delivery of it carries the same time. */
interface Stored {
  event: NormalizedEvent;
  firstReceivedAt: Date;
}

/** Rows as the tables would hold them, in key order, plus the stored ranks (phase 2's jsonb). */
const rows = (state: StateFacts) => ({
  files: [...state.files.values()].map(fileState).sort((a, b) => (a.fileId < b.fileId ? -1 : 1)),
  tasks: [...state.tasks.values()].map(taskState).sort((a, b) => (a.taskId < b.taskId ? -1 : 1)),
  fileFacts: Object.fromEntries([...state.files].sort()),
  taskFacts: Object.fromEntries([...state.tasks].sort()),
});

/** A set of distinct events with their arrival times, and a delivery sequence: shuffled, with repeats, by either path. */
const history = chosenEvents.chain((chosen) =>
  fc.record({
    chosen: fc.constant(chosen),
    arrivals: fc.array(fc.integer({ min: 0, max: 3_600_000 }), { minLength: chosen.length, maxLength: chosen.length }),
    repeats: fc.array(fc.nat(chosen.length - 1), { maxLength: 12 }),
    paths: deliveryPaths(chosen.length + 12),
    order: fc.array(fc.double({ min: 0, max: 1, noNaN: true }), {
      minLength: chosen.length + 12,
      maxLength: chosen.length + 12,
    }),
  }),
);

function stored(index: number, arrival: number, by: 'pull' | 'callback'): Stored {
  return { event: TWO_FILES_EVENTS[index]!(by), firstReceivedAt: new Date(Date.UTC(2024, 0, 8) + arrival) };
}

describe('state projection: the same rows for any order and any duplicates', () => {
  it('a shuffled delivery sequence with repeats, by pull or callback, projects to the rows of the set', () => {
    fc.assert(
      fc.property(history, ({ chosen, arrivals, repeats, paths, order }) => {
        const once = chosen.map((index, n) => stored(index, arrivals[n]!, 'callback'));
        const deliveries = [...chosen.map((_, n) => n), ...repeats].map((n, k) => ({
          delivery: stored(chosen[n]!, arrivals[n]!, paths[k]!),
          sortKey: order[k]!,
        }));
        deliveries.sort((a, b) => a.sortKey - b.sortKey);
        expect(rows(projectEvents(deliveries.map(({ delivery }) => delivery)))).toEqual(rows(projectEvents(once)));
        expect(rows(projectEvents([...once].reverse()))).toEqual(rows(projectEvents(once)));
      }),
      { numRuns: 300 },
    );
  });

  it('merge is commutative, associative and idempotent on the facts of one file or task', () => {
    const contributions = TWO_FILES_EVENTS.map((make, index) =>
      contributionOf(make('callback'), new Date(Date.UTC(2024, 0, 8, 0, 0, index))),
    );
    const byId = new Map<string, ReturnType<typeof contributionOf>['files']>();
    for (const facts of contributions.flatMap((contribution) => [...contribution.files, ...contribution.tasks])) {
      byId.set(facts.id, [...(byId.get(facts.id) ?? []), facts]);
    }
    const groups = [...byId.values()].filter((group) => group.length >= 2);
    const triple = fc
      .constantFrom(...groups)
      .chain((group) => fc.tuple(fc.constantFrom(...group), fc.constantFrom(...group), fc.constantFrom(...group)));
    fc.assert(
      fc.property(triple, ([a, b, c]) => {
        expect(mergeFacts(a, b)).toEqual(mergeFacts(b, a));
        expect(mergeFacts(mergeFacts(a, b), c)).toEqual(mergeFacts(a, mergeFacts(b, c)));
        expect(mergeFacts(a, a)).toEqual(mergeFacts(a, { ...a, fields: {} }));
        expect(mergeFacts(mergeFacts(a, b), b)).toEqual(mergeFacts(a, b));
      }),
      { numRuns: 300 },
    );
  });
});
