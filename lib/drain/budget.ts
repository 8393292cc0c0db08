import { PULL_GRACE_MS, WRITE_GRACE_MS } from './drain';

/** Room after the budget: a pull cut off at its grace, store/confirm retries, a second to log the summary. */
export const SAFETY_MARGIN_MS = PULL_GRACE_MS + WRITE_GRACE_MS + 1_000;
/** When neither the SCF context nor DRAIN_BUDGET_MS says (shell runs): a 60 s function's worth. */
export const DEFAULT_REMAINING_MS = 60_000;

/**
 * The drain's wall-clock budget: `DRAIN_BUDGET_MS` when set, else the invocation's remaining
 * time less the safety margin, so the function returns before SCF kills it.
 */
export function drainBudgetMs(configured: number | undefined, remainingMs: number | undefined): number {
  if (configured !== undefined) return configured;
  return Math.max(1_000, (remainingMs ?? DEFAULT_REMAINING_MS) - SAFETY_MARGIN_MS);
}
