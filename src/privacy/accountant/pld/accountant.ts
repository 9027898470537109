/**
 * The privacy loss distribution (PLD) accountant (Koskela, Jälkö & Honkela 2020; Doroshenko et
 * al. 2022; the design of dp_accounting's `PLDAccountant`, our own code). Each event's PLD is
 * discretised on a grid of losses k·h, composition is convolution by FFT, and ε(δ), δ(ε) are
 * read off the composed distribution: a bound as tight as the grid allows, where RDP's
 * conversion loses a margin at every order.
 *
 * Under add/remove neighbours the two directions (the person's record removed, or added) have
 * different PLDs once sampling is involved; both are composed and the worse one reported.
 */
import { InputError, requireNumber } from "../../../validation/errors";
import { requireDelta } from "../conversion";
import type { DpEvent, NeighbouringRelation, PrivacyUnit } from "../events";
import {
  appendToLedger,
  describeEvent,
  eventKey,
  flattenEvent,
  requireCount,
  resolveWho,
  type Accountant,
  type AccountantBaseOptions,
  type AccountantDescription,
  type EpsilonReport,
  type LeafEvent,
  type LedgerEntry,
} from "../interface";
import { connectTheDots, laplaceCurve, pureDpCurve, roundDown, sampledGaussianCurve, type LossCurve } from "./mechanisms";
import {
  composePmfs,
  deltaForEpsilon,
  epsilonForDelta,
  identityPmf,
  selfComposePmf,
  type LossPmf,
} from "./pmf";

export interface PldAccountantOptions extends AccountantBaseOptions {
  /**
   * The loss grid's interval h > 0, or "auto" (the default): chosen from the events composed so
   * that the grid's own error stays near 1e-3 in ε (see `autoInterval`). Any h gives an upper
   * bound; a smaller one is tighter and slower (dp_accounting fixes 1e-4).
   */
  discretisation?: number | "auto";
  /**
   * Default true: every rounding errs upwards, so ε and δ are guarantees. false rounds downwards
   * (a lower bound on the true curve), for showing how tight the pessimistic bound is.
   */
  pessimistic?: boolean;
  /** Probability mass each composition may cut from a distribution's tails (moved to +∞); default 1e-15. */
  tailMass?: number;
}

export const PLD_DEFAULTS = { discretisation: "auto", pessimistic: true, tailMass: 1e-15 } as const;

/** The bounds of the automatic interval. */
export const AUTO_INTERVAL = { largest: 1e-3, smallest: 1e-5 } as const;

/** Beyond this many grid points one event's PLD is refused (the interval is too fine for its noise). */
const MAX_GRID_POINTS = 1 << 23;

type Direction = "remove" | "add";

export class PldAccountant implements Accountant {
  readonly kind = "pld";
  readonly neighbouring: NeighbouringRelation;
  readonly unit: PrivacyUnit;
  readonly discretisation: number | "auto";
  readonly pessimistic: boolean;
  readonly tailMass: number;
  private readonly entries: LedgerEntry[] = [];
  /** One step's PLD per leaf and direction, on the grid `leafGrid` (cleared when the grid changes). */
  private readonly leafPmfs = new Map<string, LossPmf>();
  private leafGrid = Number.NaN;
  private composed: Map<Direction, LossPmf> | null = null;

  constructor(options: PldAccountantOptions = {}) {
    ({ neighbouring: this.neighbouring, unit: this.unit } = resolveWho(options));
    const discretisation = options.discretisation ?? PLD_DEFAULTS.discretisation;
    this.discretisation = discretisation === "auto" ? "auto" : requireNumber("discretisation", discretisation, { min: 0, minExclusive: true });
    const pessimistic = options.pessimistic ?? PLD_DEFAULTS.pessimistic;
    if (typeof pessimistic !== "boolean") throw new InputError("pessimistic", "true or false", pessimistic);
    this.pessimistic = pessimistic;
    this.tailMass = requireNumber("tailMass", options.tailMass ?? PLD_DEFAULTS.tailMass, { min: 0, max: 1e-6 });
  }

  get ledger(): readonly LedgerEntry[] {
    return this.entries.slice();
  }

  supports(event: DpEvent): boolean {
    try {
      return flattenEvent(event, 1).every(({ leaf }) => this.unsupportedReason(leaf) === null);
    } catch {
      return false;
    }
  }

  compose(event: DpEvent, count = 1): void {
    requireCount(count);
    for (const { leaf } of flattenEvent(event, 1)) {
      const reason = this.unsupportedReason(leaf);
      if (reason !== null) throw new InputError("event", `an event the PLD accountant supports (${reason})`, describeEvent(leaf));
    }
    if (count === 0) return;
    appendToLedger(this.entries, event, count);
    this.composed = null;
  }

  getDelta(epsilon: number): number {
    requireNumber("epsilon", epsilon, { min: 0 });
    let worst = 0;
    for (const pmf of this.composedPmfs().values()) worst = Math.max(worst, deltaForEpsilon(pmf, epsilon));
    return worst;
  }

  getEpsilon(delta: number): EpsilonReport {
    requireDelta(delta);
    let epsilon = 0;
    let infinityMass = 0;
    for (const pmf of this.composedPmfs().values()) {
      epsilon = Math.max(epsilon, epsilonForDelta(pmf, delta));
      infinityMass = Math.max(infinityMass, pmf.infinityMass);
    }
    const warnings: string[] = [];
    if (epsilon === Infinity) {
      warnings.push(`ε is infinite: the probability of an unbounded privacy loss (${infinityMass.toPrecision(3)}) exceeds δ = ${delta}`);
    } else if (!this.pessimistic) {
      warnings.push("optimistic discretisation: this ε is a lower estimate, not a guarantee");
    }
    return { epsilon, warnings };
  }

  /** The largest probability of an infinite loss over the directions (grid ends and tails cut). */
  infinityMass(): number {
    return Math.max(0, ...[...this.composedPmfs().values()].map((pmf) => pmf.infinityMass));
  }

  /** The composed distributions, one per direction, as plain data. */
  distributions(): Array<{ direction: Direction; pmf: LossPmf }> {
    return [...this.composedPmfs()].map(([direction, pmf]) => ({ direction, pmf }));
  }

  describe(): AccountantDescription {
    const rounding = this.pessimistic ? "pessimistic (connect-the-dots)" : "optimistic (rounded down)";
    return {
      kind: "pld",
      neighbouring: this.neighbouring,
      unit: this.unit,
      discretisation: { interval: this.interval(), automatic: this.discretisation === "auto", pessimistic: this.pessimistic, tailMass: this.tailMass },
      summary: `PLD accountant (loss grid h = ${this.interval()}${this.discretisation === "auto" ? ", chosen for the events" : ""}, ${rounding} discretisation, FFT composition), ${this.neighbouring}, per ${this.unit}`,
    };
  }

  /** The grid interval in use: the caller's, or the automatic one for the events composed so far. */
  interval(): number {
    if (this.discretisation !== "auto") return this.discretisation;
    const leaves = this.entries.flatMap(({ event, count }) => flattenEvent(event, count));
    return autoInterval(leaves, this.neighbouring === "replace-one" ? 2 : 1);
  }

  private directions(): Direction[] {
    return this.neighbouring === "add-remove" ? ["remove", "add"] : ["remove"];
  }

  private unsupportedReason(leaf: LeafEvent): string | null {
    if (leaf.kind === "poissonSampled") {
      if (this.neighbouring !== "add-remove") return "Poisson sampling only under add-remove neighbours";
      const inner = leaf.event.kind;
      if (inner !== "gaussian" && inner !== "noOp") return "Poisson sampling of a Gaussian (or of nothing) only";
    }
    return null;
  }

  private composedPmfs(): Map<Direction, LossPmf> {
    if (this.composed) return this.composed;
    const counts = new Map<string, { leaf: LeafEvent; count: number }>();
    for (const { event, count } of this.entries) {
      for (const { leaf, count: runs } of flattenEvent(event, count)) {
        const key = eventKey(leaf);
        const seen = counts.get(key);
        counts.set(key, { leaf, count: (seen?.count ?? 0) + runs });
      }
    }
    const h = this.interval();
    if (h !== this.leafGrid) {
      this.leafPmfs.clear();
      this.leafGrid = h;
    }
    const composed = new Map<Direction, LossPmf>();
    for (const direction of this.directions()) {
      let total: LossPmf | null = null;
      for (const { leaf, count } of counts.values()) {
        const runs = selfComposePmf(this.leafPmf(leaf, direction, h), count, this.tailMass, this.pessimistic);
        total = total === null ? runs : composePmfs(total, runs, this.tailMass, this.pessimistic);
      }
      composed.set(direction, total ?? identityPmf(h));
    }
    this.composed = composed;
    return composed;
  }

  private leafPmf(leaf: LeafEvent, direction: Direction, h: number): LossPmf {
    // Only sampling makes the two directions differ; the other leaves share one distribution.
    const key = `${leaf.kind === "poissonSampled" ? direction : "both"}:${eventKey(leaf)}`;
    let pmf = this.leafPmfs.get(key);
    if (!pmf) {
      pmf = this.buildLeafPmf(leaf, direction, h);
      this.leafPmfs.set(key, pmf);
    }
    return pmf;
  }

  private buildLeafPmf(leaf: LeafEvent, direction: Direction, h: number): LossPmf {
    const sensitivity = this.neighbouring === "replace-one" ? 2 : 1;
    const unbounded: LossPmf = { interval: h, offset: 0, probs: Float64Array.of(0), infinityMass: 1 };
    let curve: LossCurve;
    switch (leaf.kind) {
      case "gaussian":
        if (leaf.noiseMultiplier === 0) return unbounded;
        curve = sampledGaussianCurve(1, leaf.noiseMultiplier / sensitivity, "remove");
        break;
      case "laplace":
        if (leaf.noiseMultiplier === 0) return unbounded;
        curve = laplaceCurve(leaf.noiseMultiplier / sensitivity);
        break;
      case "pureDp":
        if (leaf.epsilon === 0) return identityPmf(h);
        curve = pureDpCurve(leaf.epsilon);
        break;
      case "poissonSampled": {
        const inner = leaf.event;
        if (inner.kind !== "gaussian") return identityPmf(h); // noOp: unsupportedReason let nothing else through
        // No noise: the sampled record is revealed; counted as unbounded loss, as dp_accounting does.
        if (inner.noiseMultiplier === 0) return unbounded;
        curve = sampledGaussianCurve(leaf.sampleRate, inner.noiseMultiplier, direction);
        break;
      }
    }
    const points = (curve.highestLoss - curve.lowestLoss) / h;
    if (points > MAX_GRID_POINTS) {
      throw new InputError(
        "discretisation",
        `an interval giving at most ${MAX_GRID_POINTS} grid points for ${describeEvent(leaf)} (its losses span ${(curve.highestLoss - curve.lowestLoss).toPrecision(4)}), i.e. ≥ ${((curve.highestLoss - curve.lowestLoss) / MAX_GRID_POINTS).toPrecision(2)}`,
        h,
      );
    }
    return this.pessimistic ? connectTheDots(curve, h) : roundDown(curve, h);
  }
}

/**
 * The automatic grid interval. Connect-the-dots is exact at the grid points of one step; what it
 * adds per step grows like h²/s, s the spread (standard deviation) of one step's loss, and it
 * adds up over the n steps. Measured on DP-SGD runs (test/accountant.pld.test.ts) the excess in ε
 * was about 0.01·n·h²/s, so h = √(0.1·s/n) keeps it near 1e-3, within [1e-5, 1e-3]. The spreads:
 * q·√(e^{1/σ²} − 1) for a Poisson-sampled Gaussian (its χ² divergence), 1/σ for a Gaussian, 1/b
 * for a Laplace, ε for an ε-DP mechanism.
 */
export function autoInterval(leaves: ReadonlyArray<{ leaf: LeafEvent; count: number }>, sensitivity = 1): number {
  let spread = Infinity;
  let steps = 0;
  for (const { leaf, count } of leaves) {
    const s = lossSpread(leaf, sensitivity);
    if (s === null) continue;
    spread = Math.min(spread, s);
    steps += count;
  }
  if (steps === 0 || !Number.isFinite(spread)) return AUTO_INTERVAL.largest;
  const h = Math.sqrt((0.1 * spread) / steps);
  return Number(Math.min(AUTO_INTERVAL.largest, Math.max(AUTO_INTERVAL.smallest, h)).toPrecision(2));
}

function lossSpread(leaf: LeafEvent, sensitivity: number): number | null {
  switch (leaf.kind) {
    case "gaussian":
      return leaf.noiseMultiplier > 0 ? sensitivity / leaf.noiseMultiplier : null;
    case "laplace":
      return leaf.noiseMultiplier > 0 ? sensitivity / leaf.noiseMultiplier : null;
    case "pureDp":
      return leaf.epsilon > 0 ? leaf.epsilon : null;
    case "poissonSampled": {
      const inner = leaf.event;
      if (inner.kind !== "gaussian" || inner.noiseMultiplier === 0) return null;
      return leaf.sampleRate * Math.sqrt(Math.expm1(1 / (inner.noiseMultiplier * inner.noiseMultiplier)));
    }
  }
}
