/**
 * From an RDP curve to an (ε, δ)-DP guarantee, with the conversion of Balle, Barthe, Gaboardi,
 * Hsu & Sato 2020, "Hypothesis testing interpretations and Rényi differential privacy"
 * (arXiv:1905.09982, Theorem 21; Prop. 12 of arXiv:2004.00010 v4), the one Opacus
 * `get_privacy_spent` and dp_accounting `compute_epsilon` use:
 *
 *   ε(α) = RDP(α) + log1p(−1/α) − (log δ + log α)/(α − 1),   ε = min over α.
 *
 * It is tighter than the original ε = RDP(α) − log δ/(α − 1) of Mironov 2017 (Prop. 3).
 */
import { InputError, requireNumber } from "../../validation/errors";
import { requireOrders } from "./orders";

export interface EpsilonAtOrder {
  epsilon: number;
  /** The order α at which the minimum was reached. */
  order: number;
}

export function requireDelta(value: unknown): number {
  return requireNumber("delta", value, { min: 0, max: 1, minExclusive: true, maxExclusive: true });
}

/**
 * The smallest ε over the orders (never below 0), and its order. Edge cases as in
 * dp_accounting: an RDP of 0 gives ε = 0; an order ≤ 1.01, where the bound is numerically
 * unstable, gives ε = ∞ unless the KL bound applies; if every order gives ∞, the first order is
 * reported.
 */
export function rdpToEpsilon(params: {
  orders: readonly number[];
  rdp: readonly number[];
  delta: number;
}): EpsilonAtOrder {
  const orders = requireOrders(params.orders);
  const rdp = params.rdp;
  if (!Array.isArray(rdp) || rdp.length !== orders.length) {
    throw new InputError("rdp", `an array with one value per order (${orders.length})`, rdp);
  }
  const delta = requireDelta(params.delta);
  const logDelta = Math.log(delta);

  let best = Infinity;
  let bestOrder = orders[0];
  for (let k = 0; k < orders.length; k++) {
    const epsilon = epsilonAtOrder(orders[k], rdp[k], delta, logDelta);
    if (epsilon < best) {
      best = epsilon;
      bestOrder = orders[k];
    }
  }
  return { epsilon: Math.max(0, best), order: bestOrder };
}

function epsilonAtOrder(alpha: number, rdp: unknown, delta: number, logDelta: number): number {
  if (typeof rdp !== "number" || !(rdp >= 0)) {
    throw new InputError("rdp", "numbers ≥ 0 (Infinity allowed)", rdp);
  }
  const r = rdp;
  // KL bound (the α → 1 limit): δ ≥ √(1 − e^{−r}) already holds at ε = 0.
  if (delta * delta + Math.expm1(-r) > 0) return 0;
  if (alpha <= 1.01) return Infinity;
  return r + Math.log1p(-1 / alpha) - (logDelta + Math.log(alpha)) / (alpha - 1);
}
