/**
 * Rényi differential privacy, defined (Mironov 2017, "Rényi Differential Privacy", CSF): the
 * Rényi divergence of order α > 1 between two output distributions P and Q is
 *   D_α(P ‖ Q) = 1/(α − 1) · log Σ_y P(y)^α Q(y)^{1−α},
 * and a mechanism is (α, ρ)-RDP when D_α between its outputs on any two neighbouring datasets
 * is at most ρ. Its RDP curve (ρ over the orders α) adds up under composition, order by order.
 * Closed forms from Mironov 2017, Table II, for sensitivity 1.
 */
import { InputError, requireNumber } from "../../validation/errors";
import { computeRdp } from "../accountant/rdp";
import { requireEpsilon } from "./params";
import { responseProbabilities } from "./randomisedResponse";

function requireOrder(alpha: unknown): number {
  return requireNumber("alpha", alpha, { min: 1, minExclusive: true });
}

/** D_α(P ‖ Q) of two distributions over the same finite outcomes (∞ when Q misses an outcome of P). */
export function renyiDivergence(p: readonly number[], q: readonly number[], alpha: number): number {
  const order = requireOrder(alpha);
  if (!Array.isArray(p) || !Array.isArray(q) || p.length !== q.length || p.length === 0) {
    throw new InputError("q", `an array of ${Array.isArray(p) ? p.length : "as many"} probabilities, like p`, q);
  }
  // Summed in logs: far in a tail p^α underflows while q^{1−α} overflows.
  const logTerms: number[] = [];
  for (let i = 0; i < p.length; i++) {
    const pi = requireNumber(`p[${i}]`, p[i], { min: 0, max: 1 });
    const qi = requireNumber(`q[${i}]`, q[i], { min: 0, max: 1 });
    if (pi === 0) continue;
    if (qi === 0) return Infinity;
    logTerms.push(order * Math.log(pi) + (1 - order) * Math.log(qi));
  }
  const max = Math.max(...logTerms);
  const sum = logTerms.reduce((s, t) => s + Math.exp(t - max), 0);
  return (max + Math.log(sum)) / (order - 1);
}

/** RDP of the Gaussian mechanism with noise multiplier σ: α/(2σ²) (the accountant's q = 1 case). */
export function gaussianRdp(noiseMultiplier: number, orders: readonly number[]): number[] {
  return computeRdp({ sampleRate: 1, noiseMultiplier, steps: 1, orders });
}

/** RDP of the Laplace mechanism with scale b = noiseMultiplier·Δ (Mironov 2017, Prop. 6). */
export function laplaceRdp(noiseMultiplier: number, orders: readonly number[]): number[] {
  const b = requireNumber("noiseMultiplier", noiseMultiplier, { min: 0, minExclusive: true });
  return orders.map((alpha) => {
    const a = requireOrder(alpha);
    // log of α/(2α−1)·e^{(α−1)/b} + (α−1)/(2α−1)·e^{−α/b}, factored to avoid overflow.
    const first = Math.log(a / (2 * a - 1)) + (a - 1) / b;
    const second = Math.log((a - 1) / (2 * a - 1)) - a / b;
    const high = Math.max(first, second);
    return (high + Math.log(Math.exp(first - high) + Math.exp(second - high))) / (a - 1);
  });
}

/** RDP of binary randomised response at ε (Mironov 2017, Prop. 5). */
export function randomisedResponseRdp(epsilon: number, orders: readonly number[]): number[] {
  requireEpsilon(epsilon);
  const { keep } = responseProbabilities(epsilon);
  return orders.map((alpha) => renyiDivergence([keep, 1 - keep], [1 - keep, keep], alpha));
}
