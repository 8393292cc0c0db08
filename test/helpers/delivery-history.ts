import fc from 'fast-check';
import { eventsOfFile } from '../unit/state/histories';

/** How a delivery reaches the store. */
export type DeliveryPath = 'pull' | 'callback';

/**
 * Every event files 0 and 1 can see, each made for the path it arrives by: the pool the state
 * properties draw their histories from (two files, so events of one never touch the other's rows).
 */
export const TWO_FILES_EVENTS = [0, 1].flatMap(eventsOfFile);

/** The distinct events of one history: indexes into TWO_FILES_EVENTS, at least one, in pool order. */
export const chosenEvents = fc.subarray(
  TWO_FILES_EVENTS.map((_, index) => index),
  { minLength: 1 },
);

/** The path of each of `count` deliveries, either one at random. */
export const deliveryPaths = (count: number) =>
  fc.array(fc.constantFrom<DeliveryPath>('pull', 'callback'), { minLength: count, maxLength: count });
