/**
 * Privacy accountants in the style of Opacus / dp_accounting: training records one event per
 * step (or per run of steps), and ε for a given δ is computed on demand from the whole history.
 */
import { EpsilonAtOrder, rdpToEpsilon, requireDelta } from "./conversion";
import { DEFAULT_ORDERS, requireOrders } from "./orders";
import { computeRdp, requireNoiseMultiplier, requireSampleRate, requireSteps } from "./rdp";

/** `steps` runs of one Poisson-subsampled Gaussian mechanism (one DP-SGD step each). */
export interface SampledGaussianEvent {
  readonly noiseMultiplier: number;
  readonly sampleRate: number;
  readonly steps: number;
}

export interface PrivacyAccountant {
  /** Which analysis the accountant uses ("rdp"). */
  readonly mechanism: string;
  /** Records `steps` (default 1) steps with the given noise and sampling rate. */
  step(event: { noiseMultiplier: number; sampleRate: number; steps?: number }): void;
  /** The (ε, δ)-DP guarantee of everything recorded so far. */
  getEpsilon(delta: number): EpsilonAtOrder;
  /** The recorded events, consecutive identical ones merged. */
  readonly history: ReadonlyArray<SampledGaussianEvent>;
}

/**
 * Rényi-DP accountant: RDP curves of heterogeneous events add up order by order (composition
 * theorem of RDP, Mironov 2017, Prop. 1), and ε is the best conversion over the orders.
 */
export class RdpAccountant implements PrivacyAccountant {
  readonly mechanism = "rdp";
  readonly orders: readonly number[];
  private readonly events: SampledGaussianEvent[] = [];
  private readonly curves = new Map<string, readonly number[]>();

  constructor(options: { orders?: readonly number[] } = {}) {
    this.orders =
      options.orders === undefined ? DEFAULT_ORDERS : Object.freeze([...requireOrders(options.orders)]);
  }

  get history(): ReadonlyArray<SampledGaussianEvent> {
    return this.events.slice();
  }

  step(event: { noiseMultiplier: number; sampleRate: number; steps?: number }): void {
    const noiseMultiplier = requireNoiseMultiplier(event.noiseMultiplier);
    const sampleRate = requireSampleRate(event.sampleRate);
    const steps = requireSteps(event.steps ?? 1);
    if (steps === 0) return;
    const last = this.events[this.events.length - 1];
    if (last && last.noiseMultiplier === noiseMultiplier && last.sampleRate === sampleRate) {
      // One entry per run of identical steps keeps getEpsilon's cost independent of training length.
      this.events[this.events.length - 1] = Object.freeze({ ...last, steps: last.steps + steps });
    } else {
      this.events.push(Object.freeze({ noiseMultiplier, sampleRate, steps }));
    }
  }

  getEpsilon(delta: number): EpsilonAtOrder {
    requireDelta(delta);
    const total = new Array<number>(this.orders.length).fill(0);
    for (const event of this.events) {
      const perStep = this.rdpOfOneStep(event);
      for (let k = 0; k < total.length; k++) total[k] += event.steps * perStep[k];
    }
    return rdpToEpsilon({ orders: this.orders, rdp: total, delta });
  }

  /** RDP is linear in steps, so one curve per (σ, q) serves every event and every call. */
  private rdpOfOneStep({ noiseMultiplier, sampleRate }: SampledGaussianEvent): readonly number[] {
    const key = `${noiseMultiplier}/${sampleRate}`;
    let curve = this.curves.get(key);
    if (!curve) {
      curve = computeRdp({ sampleRate, noiseMultiplier, steps: 1, orders: this.orders });
      this.curves.set(key, curve);
    }
    return curve;
  }
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
