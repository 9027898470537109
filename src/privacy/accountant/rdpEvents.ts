/**
 * RDP curves (one value per order α) of the leaf events, for the RDP accountant.
 *   Gaussian, sensitivity 1, noise σ: α/(2σ²) (Mironov 2017, Prop. 7).
 *   Laplace, scale b: (1/(α−1))·log(α/(2α−1)·e^{(α−1)/b} + (α−1)/(2α−1)·e^{−α/b})
 *     (Mironov 2017, Prop. 6, exact for α > 1).
 *   ε-DP: min(ε, αε²/2): a D_∞ bound of ε bounds every order, and ε-DP implies ε²/2-zCDP
 *     (Bun & Steinke 2016, Prop. 3.3).
 *   Poisson-sampled Gaussian under add/remove: Mironov, Talwar & Zhang 2019 (rdp.ts).
 * Replace-one doubles the sensitivity of the Gaussian and the Laplace; the Poisson-sampled
 * analysis here is for add/remove only, so a sampled event under replace-one is unsupported.
 */
import type { NeighbouringRelation } from "./events";
import type { LeafEvent } from "./interface";
import { logAdd } from "./logMath";
import { rdpOfOneStep } from "./rdp";

/** The curve of one run of the leaf, or null when this analysis cannot account for it. */
export function rdpOfLeaf(leaf: LeafEvent, orders: readonly number[], neighbouring: NeighbouringRelation): number[] | null {
  const sensitivity = neighbouring === "replace-one" ? 2 : 1;
  switch (leaf.kind) {
    case "gaussian": {
      const sigma = leaf.noiseMultiplier / sensitivity;
      return orders.map((alpha) => (sigma === 0 ? Infinity : alpha / (2 * sigma * sigma)));
    }
    case "laplace": {
      const scale = leaf.noiseMultiplier / sensitivity;
      return orders.map((alpha) => laplaceRdp(scale, alpha));
    }
    case "pureDp":
      return orders.map((alpha) => Math.min(leaf.epsilon, (alpha * leaf.epsilon * leaf.epsilon) / 2));
    case "poissonSampled": {
      const inner = leaf.event;
      if (inner.kind === "noOp") return orders.map(() => 0);
      if (inner.kind !== "gaussian" || neighbouring !== "add-remove") return null;
      return orders.map((alpha) => rdpOfOneStep(leaf.sampleRate, inner.noiseMultiplier, alpha));
    }
  }
}

export function laplaceRdp(scale: number, alpha: number): number {
  if (scale === 0) return Infinity;
  const a = Math.log(alpha / (2 * alpha - 1)) + (alpha - 1) / scale;
  const b = Math.log((alpha - 1) / (2 * alpha - 1)) - alpha / scale;
  return Math.max(0, logAdd(a, b) / (alpha - 1));
}
