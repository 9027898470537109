/**
 * Where a mechanism's noise comes from. Two forms of one interface (as Opacus's secure mode
 * and OpenDP do it):
 * - seeded: a seeded stream (src/random/rng.ts), so every notebook run gives the same numbers.
 *   Right for teaching, wrong for a release: whoever knows the seed knows the noise, and float
 *   noise leaks through its rounding (Mironov 2012).
 * - secure: words from node:crypto, which takes no seed; it samples only on the integers,
 *   exactly (discrete Laplace, discrete Gaussian, rational Bernoulli), so continuous float noise
 *   is refused.
 */
import { randomFillSync } from "node:crypto";
import { createRng } from "../../random/rng";
import { InputError, requireNumber } from "../../validation/errors";
import {
  bernoulliRational,
  rationalFromDouble,
  sampleDiscreteGaussian,
  sampleDiscreteLaplace,
  uniformBelow,
  type RandomWords,
} from "./exact";

export type NoiseMode = "seeded" | "secure";

export interface NoiseSampler extends RandomWords {
  readonly mode: NoiseMode;
  /** Uniform in [0, 1), 53 random bits. */
  uniform(): number;
  /** A uniform integer in [0, n). */
  int(n: number): number;
  /** Bernoulli(p), exact for the rational value of the double p ∈ [0, 1]. */
  bernoulli(p: number): boolean;
  /** Continuous Laplace noise of scale b (density e^{−|x|/b}/2b); seeded only. */
  laplace(scale: number): number;
  /** Continuous Gaussian noise N(0, σ²); seeded only. */
  gaussian(sigma: number): number;
  /** Discrete Laplace on ℤ, P[y] ∝ e^{−|y|/scale}, sampled exactly. */
  discreteLaplace(scale: number): number;
  /** Discrete Gaussian on ℤ, P[y] ∝ e^{−y²/(2σ²)}, sampled exactly. */
  discreteGaussian(sigma: number): number;
}

/** Noise from a seeded stream: reproducible, for teaching. */
export function seededSampler(seed: number | string = 1): NoiseSampler {
  if (typeof seed !== "string") requireNumber("seed", seed);
  const rng = createRng(seed);
  return withWords("seeded", () => rng.int(2 ** 32), {
    laplace(scale) {
      requireScale("scale", scale);
      // Inverse CDF on u ∈ (−½, ½); u = −½ exactly is skipped (it would give −∞).
      let u = 0;
      do u = rng.uniform() - 0.5;
      while (u === -0.5);
      return -scale * Math.sign(u) * Math.log1p(-2 * Math.abs(u));
    },
    gaussian(sigma) {
      requireScale("sigma", sigma);
      return sigma * rng.normal();
    },
  });
}

/**
 * Noise from the operating system's cryptographic generator. It takes no seed, by design:
 * passing one is an error rather than silently ignored.
 */
export function secureSampler(...seed: unknown[]): NoiseSampler {
  if (seed.length > 0) {
    throw new InputError("seed", "absent: a secure sampler draws from node:crypto and cannot be seeded (use seededSampler for reproducible teaching runs)", seed[0]);
  }
  const buffer = new Uint32Array(1024);
  let next = buffer.length;
  const refuse = (what: string) => () => {
    throw new InputError("sampler", `a seeded sampler for ${what}: secure mode samples only on the integers, exactly (float noise leaks, Mironov 2012)`, "secure");
  };
  return withWords(
    "secure",
    () => {
      if (next === buffer.length) {
        randomFillSync(buffer);
        next = 0;
      }
      return buffer[next++];
    },
    { laplace: refuse("continuous Laplace noise"), gaussian: refuse("continuous Gaussian noise") },
  );
}

function requireScale(field: string, value: number): void {
  requireNumber(field, value, { min: 0, minExclusive: true });
}

function withWords(
  mode: NoiseMode,
  word: () => number,
  continuous: Pick<NoiseSampler, "laplace" | "gaussian">,
): NoiseSampler {
  const words: RandomWords = { word };
  return {
    mode,
    word,
    ...continuous,
    uniform: () => (word() * 2 ** 21 + (word() >>> 11)) / 2 ** 53,
    int(n) {
      requireNumber("n", n, { min: 1, max: Number.MAX_SAFE_INTEGER, integer: true });
      return Number(uniformBelow(words, BigInt(n)));
    },
    bernoulli(p) {
      requireNumber("p", p, { min: 0, max: 1 });
      const { numerator, denominator } = rationalFromDouble(p);
      return bernoulliRational(words, numerator, denominator);
    },
    discreteLaplace(scale) {
      requireScale("scale", scale);
      return Number(sampleDiscreteLaplace(words, rationalFromDouble(scale)));
    },
    discreteGaussian(sigma) {
      requireScale("sigma", sigma);
      return Number(sampleDiscreteGaussian(words, sigma));
    },
  };
}

/** Options every mechanism takes for its noise: a sampler, or a seed for a seeded one (default 1). */
export interface NoiseOptions {
  sampler?: NoiseSampler;
  seed?: number;
}

export function samplerFrom(options: NoiseOptions): NoiseSampler {
  if (options.sampler !== undefined && options.seed !== undefined) {
    throw new InputError("seed", "absent when a sampler is given (the sampler carries its own seed, or none in secure mode)", options.seed);
  }
  return options.sampler ?? seededSampler(options.seed ?? 1);
}
