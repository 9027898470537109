/**
 * The Rényi-DP accountant (Opacus / dp_accounting style): events are composed, their RDP
 * curves add up order by order (Mironov 2017, Prop. 1), and ε(δ) is the best conversion over
 * the orders. It implements the shared `Accountant` interface and keeps its older DP-SGD API
 * (`step`, `history`, `mechanism`) for code written before events.
 */
import { EpsilonAtOrder, rdpToDelta, rdpToEpsilon, requireDelta } from "./conversion";
import { sampledGaussianEvent, type DpEvent, type NeighbouringRelation, type PrivacyUnit } from "./events";
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
} from "./interface";
import { DEFAULT_ORDERS, requireOrders } from "./orders";
import { computeRdp, requireNoiseMultiplier, requireSampleRate, requireSteps } from "./rdp";
import { rdpOfLeaf } from "./rdpEvents";
import { InputError, requireNumber } from "../../validation/errors";

/** `steps` runs of one Poisson-subsampled Gaussian mechanism (one DP-SGD step each). */
export interface SampledGaussianEvent {
  readonly noiseMultiplier: number;
  readonly sampleRate: number;
  readonly steps: number;
}

/** The DP-SGD-only interface of the first accountant; `Accountant` is the general one. */
export interface PrivacyAccountant {
  /** Which analysis the accountant uses ("rdp"). */
  readonly mechanism: string;
  /** Records `steps` (default 1) steps with the given noise and sampling rate. */
  step(event: { noiseMultiplier: number; sampleRate: number; steps?: number }): void;
  /** The (ε, δ)-DP guarantee of everything recorded so far. */
  getEpsilon(delta: number): EpsilonAtOrder;
  /** The recorded Poisson-sampled Gaussian events, consecutive identical ones merged. */
  readonly history: ReadonlyArray<SampledGaussianEvent>;
}

export interface RdpAccountantOptions extends AccountantBaseOptions {
  orders?: readonly number[];
}

export type RdpEpsilonReport = EpsilonAtOrder & EpsilonReport;

export class RdpAccountant implements PrivacyAccountant, Accountant {
  readonly kind = "rdp";
  readonly mechanism = "rdp";
  readonly orders: readonly number[];
  readonly neighbouring: NeighbouringRelation;
  readonly unit: PrivacyUnit;
  private readonly entries: LedgerEntry[] = [];
  private readonly curves = new Map<string, readonly number[]>();

  constructor(options: RdpAccountantOptions = {}) {
    this.orders = options.orders === undefined ? DEFAULT_ORDERS : Object.freeze([...requireOrders(options.orders)]);
    ({ neighbouring: this.neighbouring, unit: this.unit } = resolveWho(options));
  }

  get ledger(): readonly LedgerEntry[] {
    return this.entries.slice();
  }

  /** The ledger's Poisson-sampled (and plain, q = 1) Gaussian entries, in the older shape. */
  get history(): ReadonlyArray<SampledGaussianEvent> {
    const out: SampledGaussianEvent[] = [];
    for (const { event, count } of this.entries) {
      const one = event.kind === "selfComposed" ? event.event : event;
      const steps = event.kind === "selfComposed" ? count * event.count : count;
      if (one.kind === "poissonSampled" && one.event.kind === "gaussian") {
        out.push(Object.freeze({ noiseMultiplier: one.event.noiseMultiplier, sampleRate: one.sampleRate, steps }));
      } else if (one.kind === "gaussian") {
        out.push(Object.freeze({ noiseMultiplier: one.noiseMultiplier, sampleRate: 1, steps }));
      }
    }
    return out;
  }

  supports(event: DpEvent): boolean {
    try {
      return this.leaves(event, 1).every(({ leaf }) => this.curveOf(leaf) !== null);
    } catch {
      return false;
    }
  }

  compose(event: DpEvent, count = 1): void {
    requireCount(count);
    for (const { leaf } of this.leaves(event, 1)) {
      if (this.curveOf(leaf) === null) {
        throw new InputError("event", `an event the RDP accountant supports under ${this.neighbouring} (not ${describeEvent(leaf)})`, leaf.kind);
      }
    }
    appendToLedger(this.entries, event, count);
  }

  step(event: { noiseMultiplier: number; sampleRate: number; steps?: number }): void {
    const noiseMultiplier = requireNoiseMultiplier(event.noiseMultiplier);
    const sampleRate = requireSampleRate(event.sampleRate);
    const steps = requireSteps(event.steps ?? 1);
    this.compose(sampledGaussianEvent({ noiseMultiplier, sampleRate }), steps);
  }

  /** The RDP of everything composed, one value per order. */
  rdp(): number[] {
    const total = new Array<number>(this.orders.length).fill(0);
    for (const { event, count } of this.entries) {
      for (const { leaf, count: runs } of this.leaves(event, count)) {
        const curve = this.curveOf(leaf) as readonly number[];
        for (let k = 0; k < total.length; k++) total[k] += runs * curve[k];
      }
    }
    return total;
  }

  getEpsilon(delta: number): RdpEpsilonReport {
    requireDelta(delta);
    const result = rdpToEpsilon({ orders: this.orders, rdp: this.rdp(), delta });
    return { ...result, warnings: orderWarnings(result, this.orders) };
  }

  getDelta(epsilon: number): number {
    requireNumber("epsilon", epsilon, { min: 0 });
    return rdpToDelta({ orders: this.orders, rdp: this.rdp(), epsilon }).delta;
  }

  describe(): AccountantDescription {
    const smallest = Math.min(...this.orders);
    const largest = Math.max(...this.orders);
    return {
      kind: "rdp",
      neighbouring: this.neighbouring,
      unit: this.unit,
      orders: { count: this.orders.length, smallest, largest },
      summary: `Rényi-DP accountant (${this.orders.length} orders α from ${smallest} to ${largest}; conversion of Balle et al. 2020), ${this.neighbouring}, per ${this.unit}`,
    };
  }

  private leaves(event: DpEvent, count: number): Array<{ leaf: LeafEvent; count: number }> {
    return flattenEvent(event, count);
  }

  /** RDP is linear in the count, so one curve per leaf serves every entry and every call. */
  private curveOf(leaf: LeafEvent): readonly number[] | null {
    const key = eventKey(leaf);
    let curve = this.curves.get(key);
    if (curve === undefined) {
      const computed = rdpOfLeaf(leaf, this.orders, this.neighbouring);
      if (computed === null) return null;
      curve = computed;
      this.curves.set(key, curve);
    }
    return curve;
  }
}

/** Say when ε sits at an edge of the order grid (a wider grid could give less) or is infinite. */
export function orderWarnings(result: EpsilonAtOrder, orders: readonly number[]): string[] {
  if (result.epsilon === Infinity) return ["ε is infinite: some event has no noise (σ = 0 or b = 0)"];
  if (result.epsilon === 0) return [];
  const smallest = Math.min(...orders);
  const largest = Math.max(...orders);
  if (orders.length > 1 && result.order === smallest) {
    return [`the best RDP order is the smallest of the grid (α = ${smallest}): orders closer to 1 could give a smaller ε`];
  }
  if (orders.length > 1 && result.order === largest) {
    return [`the best RDP order is the largest of the grid (α = ${largest}): larger orders could give a smaller ε`];
  }
  return [];
}

/** ε after `steps` DP-SGD steps with one sampling rate and noise multiplier. */
export function computeEpsilon(params: {
  sampleRate: number;
  noiseMultiplier: number;
  steps: number;
  delta: number;
  orders?: readonly number[];
}): EpsilonAtOrder {
  requireSampleRate(params.sampleRate);
  const orders = params.orders === undefined ? DEFAULT_ORDERS : requireOrders(params.orders);
  const rdp = computeRdp({
    sampleRate: params.sampleRate,
    noiseMultiplier: params.noiseMultiplier,
    steps: params.steps,
    orders,
  });
  return rdpToEpsilon({ orders, rdp, delta: params.delta });
}
