/**
 * Independent reference for the PLD tests: the exact (ε, δ) curve of the Gaussian mechanism
 * (Balle & Wang 2018, "Improving the Gaussian mechanism", Theorem 8). With sensitivity 1 and
 * noise σ, n runs compose into one Gaussian with noise σ/√n, and
 *
 *   δ(ε) = Φ(1/(2s) − εs) − e^ε Φ(−1/(2s) − εs),   s = σ/√n,
 *
 * exactly. Φ here is Numerical Recipes' erfcc Chebyshev fit (fractional error < 1.2e-7), not
 * the code under test; ε(δ) by bisection.
 */

function erfcNR(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const poly =
    -z * z -
    1.26551223 +
    t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))));
  const value = t * Math.exp(poly);
  return x >= 0 ? value : 2 - value;
}

const normalCdf = (z: number) => 0.5 * erfcNR(-z / Math.SQRT2);

export function analyticGaussianDelta(epsilon: number, sigma: number, runs: number): number {
  const s = sigma / Math.sqrt(runs);
  return normalCdf(1 / (2 * s) - epsilon * s) - Math.exp(epsilon) * normalCdf(-1 / (2 * s) - epsilon * s);
}

export function analyticGaussianEpsilon(delta: number, sigma: number, runs: number): number {
  let low = 0;
  let high = 1;
  while (analyticGaussianDelta(high, sigma, runs) > delta) high *= 2;
  for (let k = 0; k < 200 && high - low > 1e-12 * high; k++) {
    const middle = (low + high) / 2;
    if (analyticGaussianDelta(middle, sigma, runs) > delta) low = middle;
    else high = middle;
  }
  return high;
}
