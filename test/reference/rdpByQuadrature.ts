/**
 * Independent reference for the accountant tests: RDP of the Poisson-subsampled Gaussian
 * straight from its definition (Mironov, Talwar & Zhang 2019, eq. for A_α),
 *
 *   A_α = ∫ N(z; 0, σ²) · ((1 − q) + q·exp((2z − 1)/(2σ²)))^α dz,   RDP = steps·log(A_α)/(α − 1),
 *
 * by numerical integration, valid for integer and fractional α alike. Shares no code with
 * src/privacy/accountant (no series, no erfc): it only checks the formulas there.
 *
 * The trapezoid rule on an even grid is used on purpose: for an integrand analytic in a strip
 * |Im z| < d around the real line and decaying like a Gaussian, its error falls like
 * e^{−2πd/h} (Trefethen & Weideman 2014). Here the only singularities are where
 * (1 − q) + q·e^u = 0, at distance d = πσ² from the real line, so h = min(σ/20, σ²/3) gives an
 * error near e^{−59}, far under the rounding of the sum.
 */

/** log(e^a + e^b), written here again so the reference does not lean on the code under test. */
function logSumExp2(a: number, b: number): number {
  const m = Math.max(a, b);
  if (m === -Infinity) return -Infinity;
  return m + Math.log(Math.exp(a - m) + Math.exp(b - m));
}

export function logAByQuadrature(q: number, sigma: number, alpha: number): number {
  const h = Math.min(sigma / 20, (sigma * sigma) / 3);
  // The mass sits around z = 0 (the (1 − q) part) and z = α (the q^α e^{αu} part: N(α, σ²)).
  const from = -16 * sigma;
  const to = alpha + 16 * sigma;
  const n = Math.ceil((to - from) / h);
  const logOneMinusQ = Math.log(1 - q);
  const logQ = Math.log(q);
  const logNormaliser = -Math.log(sigma * Math.sqrt(2 * Math.PI));
  const logIntegrand = (z: number) =>
    logNormaliser -
    (z * z) / (2 * sigma * sigma) +
    alpha * logSumExp2(logOneMinusQ, logQ + (2 * z - 1) / (2 * sigma * sigma));

  let max = -Infinity;
  for (let k = 0; k <= n; k++) max = Math.max(max, logIntegrand(from + k * h));
  let sum = 0;
  for (let k = 0; k <= n; k++) sum += Math.exp(logIntegrand(from + k * h) - max);
  return max + Math.log(sum * h);
}

export function rdpByQuadrature(
  q: number,
  sigma: number,
  steps: number,
  orders: readonly number[],
): number[] {
  return orders.map((alpha) => (steps * logAByQuadrature(q, sigma, alpha)) / (alpha - 1));
}

/** Balle et al. 2020 (arXiv:1905.09982, Thm 21): min_α RDP + log((α−1)/α) − (log δ + log α)/(α−1). */
export function balleEpsilon(orders: readonly number[], rdp: readonly number[], delta: number) {
  let epsilon = Infinity;
  let order = NaN;
  orders.forEach((alpha, k) => {
    const e = rdp[k] + Math.log((alpha - 1) / alpha) - (Math.log(delta) + Math.log(alpha)) / (alpha - 1);
    if (e < epsilon) {
      epsilon = e;
      order = alpha;
    }
  });
  return { epsilon: Math.max(0, epsilon), order };
}

/** Mironov 2017 (Prop. 3), used by TF Privacy before 2020: min_α RDP − log δ/(α − 1). */
export function classicEpsilon(orders: readonly number[], rdp: readonly number[], delta: number) {
  let epsilon = Infinity;
  let order = NaN;
  orders.forEach((alpha, k) => {
    const e = rdp[k] - Math.log(delta) / (alpha - 1);
    if (e < epsilon) {
      epsilon = e;
      order = alpha;
    }
  });
  return { epsilon, order };
}
