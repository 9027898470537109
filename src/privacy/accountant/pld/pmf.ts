/**
 * A discretised privacy loss distribution (PLD): the losses are the multiples k·h of an interval
 * h, with probability probs[k − offset], plus a mass at +∞ (outcomes whose loss is unbounded or
 * was rounded up past the grid). Koskela, Jälkö & Honkela 2020; Doroshenko, Ghazi, Kamath,
 * Kumar & Manurangsi 2022 ("Connect the dots", arXiv:2207.04380). Composition of independent
 * mechanisms is convolution of their PLDs, done by FFT.
 *
 * Every approximation here errs upwards (a larger δ for every ε): mass cut from the top of a
 * distribution goes to +∞, mass cut from the bottom moves up to the lowest kept loss, and the
 * FFT's round-off below 0 is set to 0. Nothing is dropped: the trace reports the mass at ∞.
 */
import { inverseRealFft, nextPowerOfTwo, realFft } from "./fft";

export interface LossPmf {
  /** The discretisation interval h: every finite loss is a multiple of it. */
  readonly interval: number;
  /** Loss of probs[0] in units of h. */
  readonly offset: number;
  readonly probs: Float64Array;
  /** Probability of an infinite loss (it adds to δ at every ε). */
  readonly infinityMass: number;
}

/** The PLD of a mechanism that reveals nothing: loss 0 with probability 1. */
export function identityPmf(interval: number): LossPmf {
  return { interval, offset: 0, probs: Float64Array.of(1), infinityMass: 0 };
}

/** δ(ε) = P[L = ∞] + Σ_{loss > ε} p·(1 − e^{ε − loss}): the hockey-stick divergence. */
export function deltaForEpsilon(pmf: LossPmf, epsilon: number): number {
  if (epsilon === Infinity) return pmf.infinityMass;
  let delta = pmf.infinityMass;
  const { probs, interval, offset } = pmf;
  for (let i = probs.length - 1; i >= 0; i--) {
    const loss = (offset + i) * interval;
    if (loss <= epsilon) break;
    delta -= probs[i] * Math.expm1(epsilon - loss);
  }
  return Math.min(1, delta);
}

/**
 * The smallest ε ≥ 0 with δ(ε) ≤ delta (∞ when the mass at ∞ alone exceeds delta). Between two
 * consecutive losses δ(ε) = A − e^ε·B, with A and B the masses of P and Q above ε, so ε is read
 * off in closed form once the interval holding it is found (as dp_accounting does).
 */
export function epsilonForDelta(pmf: LossPmf, delta: number): number {
  if (pmf.infinityMass > delta) return Infinity;
  const { probs, interval, offset } = pmf;
  let massUpper = pmf.infinityMass; // P[loss > ε]
  let massLower = 0; // Q[loss > ε] = Σ p·e^{−loss}
  for (let i = probs.length - 1; i >= 0; i--) {
    const loss = (offset + i) * interval;
    if (massUpper > delta && massLower > 0 && Math.log((massUpper - delta) / massLower) >= loss) break;
    massUpper += probs[i];
    massLower += probs[i] * Math.exp(-loss);
    // e^{−loss} underflows only for losses past 700: ε is then that loss.
    if (massUpper >= delta && massLower === 0) return Math.max(0, loss);
  }
  if (massUpper <= massLower + delta) return 0;
  return Math.max(0, Math.log((massUpper - delta) / massLower));
}

/**
 * Cuts at most `tailMass`/2 from each end. Pessimistic (as dp_accounting's `_truncate_tails`):
 * the bottom cut moves up onto the lowest kept loss, the top cut goes to +∞. Optimistic: the
 * bottom cut is dropped, the top cut moves down onto the highest kept loss.
 */
export function truncateTails(pmf: LossPmf, tailMass: number, pessimistic = true): LossPmf {
  const { probs } = pmf;
  if (tailMass <= 0 || probs.length <= 1) return pmf;
  let low = 0;
  let lowMass = 0;
  while (low < probs.length - 1 && lowMass + probs[low] <= tailMass / 2) lowMass += probs[low++];
  let high = probs.length - 1;
  let highMass = 0;
  while (high > low && highMass + probs[high] <= tailMass / 2) highMass += probs[high--];
  if (low === 0 && high === probs.length - 1) return pmf;
  const kept = probs.slice(low, high + 1);
  if (!pessimistic) {
    kept[kept.length - 1] += highMass;
    return { ...pmf, offset: pmf.offset + low, probs: kept };
  }
  kept[0] += lowMass;
  return { ...pmf, offset: pmf.offset + low, probs: kept, infinityMass: pmf.infinityMass + highMass };
}

/** The PLD of two independent mechanisms run one after the other: their convolution. */
export function composePmfs(a: LossPmf, b: LossPmf, tailMass: number, pessimistic = true): LossPmf {
  requireSameInterval(a, b);
  const length = a.probs.length + b.probs.length - 1;
  const size = Math.max(2, nextPowerOfTwo(length));
  const x = realFft(padded(a.probs, size));
  const y = realFft(padded(b.probs, size));
  for (let k = 0; k < x.re.length; k++) {
    const re = x.re[k] * y.re[k] - x.im[k] * y.im[k];
    x.im[k] = x.re[k] * y.im[k] + x.im[k] * y.re[k];
    x.re[k] = re;
  }
  const probs = nonNegative(inverseRealFft(x.re, x.im, size).subarray(0, length));
  const infinityMass = 1 - (1 - a.infinityMass) * (1 - b.infinityMass);
  return truncateTails({ interval: a.interval, offset: a.offset + b.offset, probs, infinityMass }, tailMass, pessimistic);
}

/**
 * The PLD of `count` runs of one mechanism: one FFT, a power per frequency, one inverse FFT
 * (dp_accounting's `self_convolve`). The transform only needs to hold the range where all but
 * `tailMass` of the result lies, found by a Chernoff bound on the sum of `count` copies. When
 * pessimistic, that `tailMass` is added to the mass at +∞ (it may also wrap around into the kept
 * range, which only adds mass there, so δ can only grow); the optimistic estimate leaves it out.
 */
export function selfComposePmf(pmf: LossPmf, count: number, tailMass: number, pessimistic = true): LossPmf {
  if (count === 1) return pmf;
  const { probs } = pmf;
  const infinityMass = -Math.expm1(count * Math.log1p(-pmf.infinityMass));
  if (count === 0) return identityPmf(pmf.interval);
  const { low, high } = chernoffRange(probs, count, pmf.interval, tailMass);
  const size = Math.max(2, nextPowerOfTwo(Math.max(high - low + 1, probs.length)));
  const { re, im } = realFft(padded(probs, size));
  for (let k = 0; k < re.length; k++) {
    // z^count in polar form: the angle's rounding error grows like count·1e-16, harmless here.
    const magnitude = Math.hypot(re[k], im[k]);
    if (magnitude === 0) continue;
    const angle = count * Math.atan2(im[k], re[k]);
    const power = Math.pow(magnitude, count);
    re[k] = power * Math.cos(angle);
    im[k] = power * Math.sin(angle);
  }
  const cyclic = inverseRealFft(re, im, size);
  const out = new Float64Array(high - low + 1);
  for (let j = 0; j < out.length; j++) out[j] = cyclic[(low + j) % size];
  return {
    interval: pmf.interval,
    offset: count * pmf.offset + low,
    probs: nonNegative(out),
    infinityMass: Math.min(1, infinityMass + (pessimistic && high - low < (probs.length - 1) * count ? tailMass : 0)),
  };
}

/**
 * Indices (relative to count·offset) outside which the sum of `count` draws has at most
 * tailMass/2 on each side: P[S ≥ u] ≤ e^{count·log M(λ) − λu} for λ > 0 (and mirrored for
 * λ < 0), M the moment-generating function of one draw's index, at orders spread over the
 * Rényi orders that matter in loss units.
 */
function chernoffRange(probs: Float64Array, count: number, interval: number, tailMass: number): { low: number; high: number } {
  let low = 0;
  let high = (probs.length - 1) * count;
  if (!(tailMass > 0)) return { low, high };
  const logTwoOverTail = Math.log(2 / tailMass);
  for (const order of CHERNOFF_ORDERS) {
    for (const sign of [1, -1]) {
      const lambda = sign * order * interval; // per index step
      const logMgf = logMomentGenerating(probs, lambda);
      const bound = (count * logMgf + logTwoOverTail) / lambda;
      if (!Number.isFinite(bound)) continue;
      if (sign > 0) high = Math.min(high, Math.ceil(bound));
      else low = Math.max(low, Math.floor(bound));
    }
  }
  if (high < low) high = low;
  return { low, high };
}

/** Orders in loss units (λ/h), spread over the Rényi orders DP-SGD's ε is read at, and below. */
const CHERNOFF_ORDERS = [0.25, 1, 4, 16, 64];

/** log Σ p_i e^{λi}, one pass (a running log-sum-exp, rescaled when a larger exponent comes). */
function logMomentGenerating(probs: Float64Array, lambda: number): number {
  let max = -Infinity;
  let sum = 0;
  for (let i = 0; i < probs.length; i++) {
    const p = probs[i];
    if (p <= 0) continue;
    const exponent = lambda * i;
    if (exponent > max) {
      sum = sum * Math.exp(max - exponent) + p;
      max = exponent;
    } else {
      sum += p * Math.exp(exponent - max);
    }
  }
  return max + Math.log(sum);
}

function padded(values: Float64Array, size: number): Float64Array {
  const out = new Float64Array(size);
  out.set(values);
  return out;
}

/** The FFT leaves round-off of about 1e-17 around true zeros; a negative probability is one. */
function nonNegative(values: Float64Array): Float64Array {
  const out = Float64Array.from(values);
  for (let i = 0; i < out.length; i++) if (out[i] < 0) out[i] = 0;
  return out;
}

function requireSameInterval(a: LossPmf, b: LossPmf): void {
  if (a.interval !== b.interval) throw new RangeError(`PLDs on different grids (${a.interval} and ${b.interval}) cannot be composed`);
}
