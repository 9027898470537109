/**
 * Speed of the RDP accountant at a typical small-data DP-SGD setting (N = 800, batch 32:
 * q = 0.04, σ = 1.1, 10 epochs = 250 steps, δ = 1e-5, all default orders).
 */
import { calibrateNoise, computeEpsilon } from "../src/privacy/accountant";

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

export async function benchAccountant(): Promise<
  Array<{ name: string; meanMs: number; goalMs: number }>
> {
  const epsilonMs = meanMs(
    () => computeEpsilon({ sampleRate, noiseMultiplier: 1.1, steps, delta }),
    50,
    500,
  );
  const calibrationMs = meanMs(
    () => calibrateNoise({ targetEpsilon: 1, delta, sampleRate, steps }),
    10,
    1000,
  );
  return [
    { name: "ε, q=0.04 σ=1.1 250 steps, default orders", meanMs: epsilonMs, goalMs: 5 },
    { name: "calibrate σ for ε=1, q=0.04, 250 steps", meanMs: calibrationMs, goalMs: 100 },
  ];
}
