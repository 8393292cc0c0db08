import { SAFETY_MARGIN_MS } from './deadlines';

/** When neither the SCF context nor DRAIN_BUDGET_MS says (shell runs): a 60 s function's worth. */
export const DEFAULT_REMAINING_MS = 60_000;

/**
 * The drain's pull window: the smaller of `DRAIN_BUDGET_MS` and the invocation's remaining time
 * less the safety margin (the last pull's grace, the last writes, the summary), so every
 * invocation returns inside its SCF time limit. Zero or less means the time left cannot hold one
 * pull: no pull may start. Without a known remaining time (a shell run), `DRAIN_BUDGET_MS` as given.
 */
export function drainBudgetMs(configured: number | undefined, remainingMs: number | undefined): number {
  if (remainingMs === undefined) return configured ?? DEFAULT_REMAINING_MS - SAFETY_MARGIN_MS;
  return Math.min(configured ?? Infinity, remainingMs - SAFETY_MARGIN_MS);
}
