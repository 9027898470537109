/**
 * Speed of the accountants at typical DP-SGD settings: RDP at N = 800, batch 32 (q = 0.04,
 * σ = 1.1, 10 epochs = 250 steps, δ = 1e-5, all default orders); PLD at 1000 steps of the same
 * q and at 14 000 steps of Abadi et al.'s MNIST run (batch 256 of 60 000, 60 epochs), and one
 * PLD calibration (the issue's example). Each PLD ε is computed by a fresh accountant: building
 * the distributions is the cost being measured.
 */
import { calibrateNoise, computeEpsilon, PldAccountant, sampledGaussianEvent } from "../src/privacy/accountant";

const sampleRate = 0.04;
const steps = 250;
const delta = 1e-5;

/** Mean wall time of `run` after a warm-up, over at least `minRuns` runs and ~`minMs` ms. */
function meanMs(run: () => void, minRuns: number, minMs: number): number {
  for (let k = 0; k < 3; k++) run(); // let the JIT compile the hot loops first
  let runs = 0;
  const start = performance.now();
  while (runs < minRuns || performance.now() - start < minMs) {
    run();
    runs++;
  }
  return (performance.now() - start) / runs;
}

function pldEpsilon(q: number, sigma: number, count: number): { epsilon: number; interval: number } {
  const accountant = new PldAccountant();
  accountant.compose(sampledGaussianEvent({ sampleRate: q, noiseMultiplier: sigma }), count);
  return { epsilon: accountant.getEpsilon(delta).epsilon, interval: accountant.interval() };
}

export async function benchAccountant(): Promise<Array<{ name: string; meanMs: number; goalMs: number; note?: string }>> {
  const epsilonMs = meanMs(() => computeEpsilon({ sampleRate, noiseMultiplier: 1.1, steps, delta }), 50, 500);
  const calibrationMs = meanMs(() => calibrateNoise({ targetEpsilon: 1, delta, sampleRate, steps }), 10, 1000);
  const mnistRate = 256 / 60000;
  const thousand = pldEpsilon(sampleRate, 1.1, 1000);
  const fourteen = pldEpsilon(mnistRate, 1.1, 14_000);
  const pldThousandMs = meanMs(() => pldEpsilon(sampleRate, 1.1, 1000), 5, 1000);
  const pldFourteenMs = meanMs(() => pldEpsilon(mnistRate, 1.1, 14_000), 5, 1000);
  let pldSigma = 0;
  const pldCalibrationMs = meanMs(() => {
    pldSigma = calibrateNoise({ targetEpsilon: 1, delta, sampleRate, steps, accountant: "pld" }).noiseMultiplier;
  }, 3, 1000);
  return [
    { name: "ε, q=0.04 σ=1.1 250 steps, default orders", meanMs: epsilonMs, goalMs: 5 },
    { name: "calibrate σ for ε=1, q=0.04, 250 steps", meanMs: calibrationMs, goalMs: 100 },
    {
      name: "PLD ε, q=0.04 σ=1.1 1000 steps",
      meanMs: pldThousandMs,
      goalMs: 50,
      note: `ε = ${thousand.epsilon.toFixed(3)}, h = ${thousand.interval}`,
    },
    {
      name: "PLD ε, q=256/60000 σ=1.1 14 000 steps",
      meanMs: pldFourteenMs,
      goalMs: 200,
      note: `ε = ${fourteen.epsilon.toFixed(3)}, h = ${fourteen.interval}; dp_accounting ≈ 900 ms`,
    },
    {
      name: "PLD calibrate σ for ε=1, q=0.04, 250 steps",
      meanMs: pldCalibrationMs,
      goalMs: 1000,
      note: `σ = ${pldSigma.toFixed(4)} (RDP: 2.77)`,
    },
  ];
}
