/**
 * The same DP-SGD run accounted by both accountants, step by step: what "tighter" means in
 * numbers. The optimistic PLD (grid rounded down) is a lower estimate of the exact ε of the
 * subsampled Gaussian's analysis, so the exact value lies between the two PLD lines.
 */
import { requireNumber } from "../../validation/errors";
import { requireDelta } from "./conversion";
import { sampledGaussianEvent } from "./events";
import { createAccountant } from "./factory";
import type { AccountantDescription } from "./interface";
import { requireNoiseMultiplier, requireSampleRate } from "./rdp";

export interface AccountantComparisonPoint {
  steps: number;
  rdp: number;
  /** The pessimistic PLD: an upper bound, the one to report. */
  pld: number;
  /** The optimistic PLD: a lower estimate of the same analysis, never a guarantee. */
  pldOptimistic: number;
}

export interface AccountantComparison {
  sampleRate: number;
  noiseMultiplier: number;
  delta: number;
  points: AccountantComparisonPoint[];
  /** The accountants at the last point. */
  accountants: { rdp: AccountantDescription; pld: AccountantDescription };
}

/** ε after 1 … `steps` steps (every step up to 60, else 40 evenly spaced counts) by RDP and PLD. */
export function compareAccountants(params: { sampleRate: number; noiseMultiplier: number; steps: number; delta: number }): AccountantComparison {
  const sampleRate = requireSampleRate(params.sampleRate);
  const noiseMultiplier = requireNoiseMultiplier(params.noiseMultiplier);
  const steps = requireNumber("steps", params.steps, { min: 1, integer: true });
  const delta = requireDelta(params.delta);
  const counts = steps <= 60 ? Array.from({ length: steps }, (_, k) => k + 1) : [...new Set(Array.from({ length: 40 }, (_, k) => Math.max(1, Math.round(((k + 1) * steps) / 40))))];
  const event = sampledGaussianEvent({ sampleRate, noiseMultiplier });
  let accountants = { rdp: createAccountant("rdp").describe(), pld: createAccountant("pld").describe() };
  const points = counts.map((count) => {
    const rdp = createAccountant("rdp");
    const pld = createAccountant("pld");
    const optimistic = createAccountant("pld", { pessimistic: false });
    for (const accountant of [rdp, pld, optimistic]) accountant.compose(event, count);
    accountants = { rdp: rdp.describe(), pld: pld.describe() };
    return { steps: count, rdp: rdp.getEpsilon(delta).epsilon, pld: pld.getEpsilon(delta).epsilon, pldOptimistic: optimistic.getEpsilon(delta).epsilon };
  });
  return { sampleRate, noiseMultiplier, delta, points, accountants };
}
