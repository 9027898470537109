/**
 * In-place iterative radix-2 FFT (Cooley–Tukey) on split real/imaginary Float64Arrays, for the
 * PLD accountant's convolutions. Hand-written rather than taken from npm: fft.js (the one
 * well-used package, CommonJS, last released 2017) would add a dependency for ~60 lines, and
 * the accountant needs exactly one thing from it: a power-of-two complex transform in double
 * precision. Tested against a direct DFT (test/accountant.pld.test.ts).
 */

const twiddleCache = new Map<number, { cos: Float64Array; sin: Float64Array }>();

/** cos/sin of 2πk/n for k < n/2, computed directly (no recurrence: its error grows with n). */
function twiddles(n: number): { cos: Float64Array; sin: Float64Array } {
  let table = twiddleCache.get(n);
  if (!table) {
    const half = n >> 1;
    const cos = new Float64Array(half);
    const sin = new Float64Array(half);
    for (let k = 0; k < half; k++) {
      cos[k] = Math.cos((2 * Math.PI * k) / n);
      sin[k] = Math.sin((2 * Math.PI * k) / n);
    }
    table = { cos, sin };
    twiddleCache.set(n, table);
  }
  return table;
}

export function isPowerOfTwo(n: number): boolean {
  return Number.isInteger(n) && n >= 1 && (n & (n - 1)) === 0;
}

/** The smallest power of two ≥ n. */
export function nextPowerOfTwo(n: number): number {
  let size = 1;
  while (size < n) size *= 2;
  return size;
}

/**
 * Transforms (re, im) in place: X_k = Σ_j x_j e^{∓2πi jk/n}, the minus sign forward. The
 * inverse includes the 1/n factor, so inverse(forward(x)) = x.
 */
export function fft(re: Float64Array, im: Float64Array, inverse = false): void {
  const n = re.length;
  if (im.length !== n || !isPowerOfTwo(n)) throw new RangeError(`fft needs two arrays of one power-of-two length; got ${n} and ${im.length}`);
  // Bit-reversal permutation.
  for (let i = 1, j = 0; i < n; i++) {
    let bit = n >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) {
      let t = re[i];
      re[i] = re[j];
      re[j] = t;
      t = im[i];
      im[i] = im[j];
      im[j] = t;
    }
  }
  const { cos, sin } = twiddles(n);
  const sign = inverse ? 1 : -1;
  for (let size = 2; size <= n; size *= 2) {
    const half = size >> 1;
    const stride = n / size;
    for (let start = 0; start < n; start += size) {
      for (let k = 0; k < half; k++) {
        const wr = cos[k * stride];
        const wi = sign * sin[k * stride];
        const a = start + k;
        const b = a + half;
        const xr = re[b] * wr - im[b] * wi;
        const xi = re[b] * wi + im[b] * wr;
        re[b] = re[a] - xr;
        im[b] = im[a] - xi;
        re[a] += xr;
        im[a] += xi;
      }
    }
  }
  if (inverse) {
    for (let i = 0; i < n; i++) {
      re[i] /= n;
      im[i] /= n;
    }
  }
}

/**
 * The spectrum X_0 … X_{n/2} of a real sequence of power-of-two length n ≥ 2 (the rest is
 * their conjugates), from one complex FFT of half the length: z_k = x_{2k} + i·x_{2k+1},
 * X_k = E_k + W^k·O_k with E, O the spectra of the even and odd samples, W = e^{−2πi/n}.
 */
export function realFft(x: Float64Array): { re: Float64Array; im: Float64Array } {
  const n = x.length;
  const half = n >> 1;
  const zr = new Float64Array(half);
  const zi = new Float64Array(half);
  for (let k = 0; k < half; k++) {
    zr[k] = x[2 * k];
    zi[k] = x[2 * k + 1];
  }
  fft(zr, zi);
  const { cos, sin } = twiddles(n);
  const re = new Float64Array(half + 1);
  const im = new Float64Array(half + 1);
  for (let k = 0; k <= half; k++) {
    const a = k % half;
    const b = (half - k) % half;
    // E_k = (Z_k + conj Z_{N−k})/2, O_k = (Z_k − conj Z_{N−k})/(2i)
    const er = (zr[a] + zr[b]) / 2;
    const ei = (zi[a] - zi[b]) / 2;
    const or = (zi[a] + zi[b]) / 2;
    const oi = -(zr[a] - zr[b]) / 2;
    const wr = k === half ? -1 : cos[k];
    const wi = k === half ? 0 : -sin[k];
    re[k] = er + wr * or - wi * oi;
    im[k] = ei + wr * oi + wi * or;
  }
  return { re, im };
}

/** The inverse of realFft: the real sequence of length n whose spectrum starts with (re, im). */
export function inverseRealFft(re: Float64Array, im: Float64Array, n: number): Float64Array {
  const half = n >> 1;
  const { cos, sin } = twiddles(n);
  const zr = new Float64Array(half);
  const zi = new Float64Array(half);
  for (let k = 0; k < half; k++) {
    const b = half - k;
    // E_k = (X_k + conj X_{N−k})/2, O_k = W^{−k}(X_k − conj X_{N−k})/2, Z_k = E_k + i·O_k
    const er = (re[k] + re[b]) / 2;
    const ei = (im[k] - im[b]) / 2;
    const dr = (re[k] - re[b]) / 2;
    const di = (im[k] + im[b]) / 2;
    const or = dr * cos[k] - di * sin[k];
    const oi = dr * sin[k] + di * cos[k];
    zr[k] = er - oi;
    zi[k] = ei + or;
  }
  fft(zr, zi, true);
  const x = new Float64Array(n);
  for (let k = 0; k < half; k++) {
    x[2 * k] = zr[k];
    x[2 * k + 1] = zi[k];
  }
  return x;
}
