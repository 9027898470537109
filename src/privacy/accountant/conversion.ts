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

/**
 * The smallest δ the RDP curve gives at ε, the same conversion solved for δ (dp_accounting
 * `compute_delta`): log δ = (α − 1)(RDP(α) − ε + log(1 − 1/α)) − log α, minimised over α, and
 * the KL bound δ ≤ √(1 − e^{−RDP}) for orders near 1.
 */
export function rdpToDelta(params: { orders: readonly number[]; rdp: readonly number[]; epsilon: number }): { delta: number; order: number } {
  const orders = requireOrders(params.orders);
  const rdp = params.rdp;
  if (!Array.isArray(rdp) || rdp.length !== orders.length) {
    throw new InputError("rdp", `an array with one value per order (${orders.length})`, rdp);
  }
  const epsilon = requireNumber("epsilon", params.epsilon, { min: 0 });
  let best = 0; // log δ; δ ≤ 1 always
  let bestOrder = orders[0];
  for (let k = 0; k < orders.length; k++) {
    const alpha = orders[k];
    const r = rdp[k];
    if (typeof r !== "number" || !(r >= 0)) throw new InputError("rdp", "numbers ≥ 0 (Infinity allowed)", r);
    const kl = 0.5 * Math.log1p(-Math.exp(-r));
    const logDelta = Math.min(kl, alpha <= 1.01 ? Infinity : (alpha - 1) * (r - epsilon + Math.log1p(-1 / alpha)) - Math.log(alpha));
    if (logDelta < best) {
      best = logDelta;
      bestOrder = alpha;
    }
  }
  return { delta: Math.min(1, Math.exp(best)), order: bestOrder };
}
