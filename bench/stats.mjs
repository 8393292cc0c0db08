// @ts-check
// Order statistics of the benchmarks' samples; NaN for no samples, so an empty run shows as such.

/**
 * The p-th percentile (nearest rank) of samples sorted ascending.
 *
 * @param {number[]} sorted
 * @param {number} p 0 to 100
 */
export const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] ?? NaN;

/** @param {number[]} values in any order */
export const median = (values) =>
  percentile(
    [...values].sort((a, b) => a - b),
    50,
  );
