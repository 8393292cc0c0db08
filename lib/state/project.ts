import { ApiFormat, type NormalizedEvent } from '../events/types';
import { ContributionBuilder, type Contribution } from './contribution';
import { mergeInto, type Facts } from './facts';
import { contributeV2, contributeV2Legacy } from './v2-contribution';
import { contributeV3 } from './v3-contribution';

/**
 * What one stored event says about files and tasks. `firstReceivedAt` is the event's
 * `first_received_at`, never a later delivery's time: a duplicate then contributes exactly what
 * the first delivery did, so skipping or applying it changes nothing, and a rebuild from
 * `vod_events` sees the same times as the live path did.
 */
export function contributionOf(event: NormalizedEvent, firstReceivedAt: Date): Contribution {
  const builder = new ContributionBuilder(event.id, firstReceivedAt);
  if (event.apiFormat === ApiFormat.v3) contributeV3(builder, event);
  else if (event.apiFormat === ApiFormat.v2) contributeV2(builder, event);
  else contributeV2Legacy(builder, event);
  return builder.build();
}

/** The merged facts of every file and task: the lattice join of all contributions. */
export interface StateFacts {
  files: Map<string, Facts>;
  tasks: Map<string, Facts>;
}

export const emptyState = (): StateFacts => ({ files: new Map(), tasks: new Map() });

/** `state` joined with `contribution` (in place). */
export function applyContribution(state: StateFacts, contribution: Contribution): StateFacts {
  mergeInto(state.files, contribution.files);
  mergeInto(state.tasks, contribution.tasks);
  return state;
}

/** The state of a set of stored events, in any order, duplicates included. */
export function projectEvents(events: Iterable<{ event: NormalizedEvent; firstReceivedAt: Date }>): StateFacts {
  const state = emptyState();
  for (const { event, firstReceivedAt } of events) applyContribution(state, contributionOf(event, firstReceivedAt));
  return state;
}
