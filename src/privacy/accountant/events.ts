/**
 * What a release did, described as a value (in the spirit of dp_accounting's `DpEvent`). Every
 * accountant (RDP, PLD) takes these events; a new mechanism is a new event type, not a new
 * accountant parameter. All events are plain, serialisable data.
 *
 * Noise parameters are normalised by the mechanism's sensitivity, so an event does not need to
 * know what was released: a Gaussian with standard deviation σ·Δ₂ on a query of L2 sensitivity
 * Δ₂ is `{ kind: "gaussian", noiseMultiplier: σ }`; a Laplace with scale b on a query of L1
 * sensitivity Δ₁ is `{ kind: "laplace", noiseMultiplier: b / Δ₁ }`.
 */
export type DpEvent =
  /** Gaussian mechanism, noise standard deviation = noiseMultiplier × L2 sensitivity. */
  | { readonly kind: "gaussian"; readonly noiseMultiplier: number }
  /** Laplace mechanism, scale = noiseMultiplier × L1 sensitivity (pure ε = 1/noiseMultiplier). */
  | { readonly kind: "laplace"; readonly noiseMultiplier: number }
  /**
   * A mechanism known only by its pure ε-DP guarantee (randomised response, the exponential
   * mechanism, report-noisy-max, a discrete Laplace count): accountants may use nothing but ε.
   */
  | { readonly kind: "pureDp"; readonly epsilon: number; readonly mechanism: string }
  /** The inner event applied to a Poisson sample of the data, each record kept with `sampleRate`. */
  | { readonly kind: "poissonSampled"; readonly sampleRate: number; readonly event: DpEvent }
  /** The same event run `count` times on the same data. */
  | { readonly kind: "selfComposed"; readonly count: number; readonly event: DpEvent }
  /** Several events on the same data, in order. */
  | { readonly kind: "composed"; readonly events: readonly DpEvent[] }
  /** Post-processing of earlier releases: spends nothing. */
  | { readonly kind: "noOp" };

export type DpEventKind = DpEvent["kind"];

/** Who is protected: the neighbouring relation and the unit whose data may change. */
export type NeighbouringRelation = "add-remove" | "replace-one";
export type PrivacyUnit = "example" | "user";

/** The DP-SGD step of the course: `steps` Poisson-subsampled Gaussian releases. */
export function sampledGaussianEvent(params: { noiseMultiplier: number; sampleRate: number; steps?: number }): DpEvent {
  const one: DpEvent = {
    kind: "poissonSampled",
    sampleRate: params.sampleRate,
    event: { kind: "gaussian", noiseMultiplier: params.noiseMultiplier },
  };
  const steps = params.steps ?? 1;
  return steps === 1 ? one : { kind: "selfComposed", count: steps, event: one };
}
