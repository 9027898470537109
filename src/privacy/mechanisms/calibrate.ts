/**
 * Generic calibration: the smallest x > 0 at which a monotone test passes (false below a
 * threshold, true above), by bracketing (doubling or halving) and bisection. The upper end of
 * the final bracket is returned, so the returned x always passes.
 */
import { InputError } from "../../validation/errors";

export function smallestPassing(
  passes: (x: number) => boolean,
  options: { field: string; start?: number; relativeTolerance?: number; min?: number; max?: number },
): number {
  const { field, start = 1, relativeTolerance = 1e-10, min = 1e-12, max = 1e12 } = options;
  let high = start;
  let low = 0;
  if (passes(high)) {
    // Halve until a failing point brackets the threshold from below.
    for (;;) {
      const half = high / 2;
      if (half < min) return high;
      if (!passes(half)) {
        low = half;
        break;
      }
      high = half;
    }
  } else {
    do {
      low = high;
      high *= 2;
      if (high > max) throw new InputError(field, `reachable: no value up to ${max} meets the target`, high);
    } while (!passes(high));
  }
  while (high - low > relativeTolerance * high) {
    const mid = (low + high) / 2;
    if (passes(mid)) high = mid;
    else low = mid;
  }
  return high;
}
