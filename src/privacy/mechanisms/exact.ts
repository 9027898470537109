/**
 * Exact sampling on the integers from uniformly random bits, after Canonne, Kamath & Steinke
 * 2020, "The Discrete Gaussian for Differential Privacy" (arXiv:2004.00010), Algorithms 1–3.
 * Every probability is a rational number held in BigInts, so no floating-point rounding
 * shapes the noise (the attack of Mironov 2012 on float Laplace noise has nothing to read).
 * A scale given as a double is used as the exact rational that double denotes.
 */

/** A source of uniformly random 32-bit words: seeded (teaching) or cryptographic (release). */
export interface RandomWords {
  /** A uniform integer in [0, 2³²). */
  word(): number;
}

/** A non-negative rational numerator/denominator, denominator > 0. */
export interface Rational {
  readonly numerator: bigint;
  readonly denominator: bigint;
}

const doubleView = new DataView(new ArrayBuffer(8));

/** The exact value of a finite double x ≥ 0 as a rational with a power-of-two denominator. */
export function rationalFromDouble(x: number): Rational {
  if (!(x >= 0) || !Number.isFinite(x)) throw new RangeError(`rationalFromDouble needs a finite x ≥ 0; got ${x}`);
  if (x === 0) return { numerator: 0n, denominator: 1n };
  doubleView.setFloat64(0, x);
  const bits = doubleView.getBigUint64(0);
  const exponentBits = Number((bits >> 52n) & 0x7ffn);
  const fraction = bits & ((1n << 52n) - 1n);
  let mantissa = exponentBits === 0 ? fraction : fraction | (1n << 52n);
  let exponent = exponentBits === 0 ? -1074 : exponentBits - 1075;
  while (exponent < 0 && (mantissa & 1n) === 0n) {
    mantissa >>= 1n;
    exponent++;
  }
  return exponent >= 0
    ? { numerator: mantissa << BigInt(exponent), denominator: 1n }
    : { numerator: mantissa, denominator: 1n << BigInt(-exponent) };
}

/** A uniform integer in [0, n), n ≥ 1, by rejection on just enough random bits. */
export function uniformBelow(source: RandomWords, n: bigint): bigint {
  if (n < 1n) throw new RangeError(`uniformBelow needs n ≥ 1; got ${n}`);
  if (n === 1n) return 0n;
  const bitLength = (n - 1n).toString(2).length;
  const words = Math.ceil(bitLength / 32);
  const excess = BigInt(words * 32 - bitLength);
  for (;;) {
    let value = 0n;
    for (let w = 0; w < words; w++) value = (value << 32n) | BigInt(source.word());
    value >>= excess;
    if (value < n) return value;
  }
}

/** Bernoulli(numerator/denominator), exactly. */
export function bernoulliRational(source: RandomWords, numerator: bigint, denominator: bigint): boolean {
  return uniformBelow(source, denominator) < numerator;
}

/** Bernoulli(exp(−γ)) for a rational γ ≥ 0, exactly (CKS 2020, Algorithm 1). */
export function bernoulliExpMinus(source: RandomWords, numerator: bigint, denominator: bigint): boolean {
  if (numerator <= denominator) {
    // γ ∈ [0, 1]: the number of successive successes of Bernoulli(γ/k), k = 1, 2, …, is even
    // with probability exp(−γ).
    let k = 1n;
    while (bernoulliRational(source, numerator, denominator * k)) k++;
    return k % 2n === 1n;
  }
  const whole = numerator / denominator;
  for (let i = 0n; i < whole; i++) if (!bernoulliExpMinus(source, 1n, 1n)) return false;
  return bernoulliExpMinus(source, numerator - whole * denominator, denominator);
}

/**
 * The discrete Laplace distribution with scale t/s: P[Y = y] ∝ exp(−|y|·s/t), y ∈ ℤ
 * (CKS 2020, Algorithm 2). `scale` is the rational t/s > 0.
 */
export function sampleDiscreteLaplace(source: RandomWords, scale: Rational): bigint {
  const t = scale.numerator;
  const s = scale.denominator;
  if (t <= 0n) throw new RangeError("the discrete Laplace scale must be > 0");
  for (;;) {
    const u = uniformBelow(source, t);
    if (!bernoulliExpMinus(source, u, t)) continue;
    let v = 0n;
    while (bernoulliExpMinus(source, 1n, 1n)) v++;
    const y = (u + t * v) / s;
    const negative = bernoulliRational(source, 1n, 2n);
    if (negative && y === 0n) continue;
    return negative ? -y : y;
  }
}

/**
 * The discrete Gaussian N_ℤ(0, σ²): P[Y = y] ∝ exp(−y²/(2σ²)), y ∈ ℤ (CKS 2020, Algorithm 3):
 * discrete Laplace proposals with integer scale t = ⌊σ⌋ + 1, each accepted with probability
 * exp(−(|y| − σ²/t)²/(2σ²)). σ is the exact rational value of the double `sigma` > 0.
 */
export function sampleDiscreteGaussian(source: RandomWords, sigma: number): bigint {
  if (!(sigma > 0) || !Number.isFinite(sigma)) throw new RangeError(`the discrete Gaussian σ must be finite and > 0; got ${sigma}`);
  const root = rationalFromDouble(sigma);
  const n = root.numerator * root.numerator;
  const d = root.denominator * root.denominator;
  // Any integer t ≥ 1 gives the exact distribution; ⌊σ⌋ + 1 keeps the acceptance rate high.
  const t = BigInt(Math.floor(sigma)) + 1n;
  for (;;) {
    const y = sampleDiscreteLaplace(source, { numerator: t, denominator: 1n });
    const absY = y < 0n ? -y : y;
    // (|y| − σ²/t)² / (2σ²) = (|y|·d·t − n)² / (2·n·d·t²)
    const gap = absY * d * t - n;
    if (bernoulliExpMinus(source, gap * gap, 2n * n * d * t * t)) return y;
  }
}
