/**
 * Step-time benchmark of DP-SGD: a non-private step, a vectorised DP-SGD step and a naive
 * per-example-loop DP step, for the MLP at batch 256 and logistic regression at batch 32
 * (5 input features). Goals: DP ≤ 1.5× non-private; vectorised ≥ 5× faster than the loop at
 * batch 256. Not a test (timings vary by machine); run with `npx tsx bench/dpsgd.bench.ts`.
 */
import { performance } from "node:perf_hooks";
import { tf, useBackend, type BackendName } from "../src/runtime/tensorflow";
import { createRng, type Rng } from "../src/random/rng";
import { createModel, disposeModel, toVariables, type ModelKind } from "../src/models";
import {
  applyGradients,
  createSgd,
  disposeSgd,
  dpSgdStep,
  naiveClippedGradientSum,
  nonPrivateStep,
  privatizeGradientSum,
  type Batch,
  type Sgd,
} from "../src/privacy/dpsgd";

/** A row for bench/run.ts ({ name, meanMs, goalMs?, note? }) plus the details. */
export interface BenchResult {
  name: string;
  meanMs: number;
  /** For the DP step: 1.5× the non-private step's time. */
  goalMs?: number;
  note?: string;
  model: ModelKind;
  batchSize: number;
  step: "non-private" | "dp-sgd" | "naive-loop";
  iterations: number;
  /** DP step: time / non-private time (goal ≤ 1.5). Loop: time / DP time (goal ≥ 5 at batch 256). */
  ratio?: { value: number; goal: string; met: boolean };
}

const SETUPS: { model: ModelKind; batchSize: number }[] = [
  { model: "mlp", batchSize: 256 },
  { model: "logistic", batchSize: 32 },
];

function makeBatch(rows: number, seed: number): Batch {
  const rng = createRng(seed);
  const x = Array.from({ length: rows }, () => Array.from({ length: 5 }, () => rng.normal()));
  const y = x.map((r) => (r[0] + r[1] - r[2] + rng.normal() > 0 ? 1 : 0));
  return { x: tf.tensor2d(x), y: tf.tensor1d(y) };
}

function naiveDpStep(sgd: Sgd, batch: Batch, rng: Rng): void {
  const { clippedSum } = naiveClippedGradientSum(sgd.model, batch, 1);
  const noisy = privatizeGradientSum(clippedSum, { noiseMultiplier: 1, clipNorm: 1, expectedBatchSize: batch.x.shape[0], rng });
  applyGradients(sgd, noisy);
  tf.dispose([clippedSum, noisy]);
}

/**
 * Times the variants interleaved in rounds (so load from other processes hits all of them
 * alike) and reports, per variant, the median over rounds of the mean time per run.
 */
function timeInterleaved(
  variants: { run: () => void; perRound: number }[],
  rounds: number,
): { meanMs: number; iterations: number }[] {
  for (const v of variants) for (let i = 0; i < Math.min(3, v.perRound); i++) v.run();
  const samples = variants.map(() => [] as number[]);
  for (let r = 0; r < rounds; r++) {
    variants.forEach((v, k) => {
      const start = performance.now();
      for (let i = 0; i < v.perRound; i++) v.run();
      samples[k].push((performance.now() - start) / v.perRound);
    });
  }
  return samples.map((s, k) => {
    const sorted = [...s].sort((a, b) => a - b);
    return { meanMs: sorted[Math.floor(sorted.length / 2)], iterations: rounds * variants[k].perRound };
  });
}

export async function benchDpSgd(options: { backend?: BackendName; rounds?: number } = {}): Promise<BenchResult[]> {
  await useBackend(options.backend ?? "wasm");
  const rounds = options.rounds ?? 31;
  const results: BenchResult[] = [];
  for (const { model: kind, batchSize } of SETUPS) {
    const model = toVariables(createModel({ kind, inputSize: 5, seed: 1 }));
    const sgd = createSgd(model, { learningRate: 0.01, momentum: 0.9 });
    const batch = makeBatch(batchSize, 2);
    const rng = createRng(3);
    const dpOptions = { clipNorm: 1, noiseMultiplier: 1, expectedBatchSize: batchSize, rng };
    const name = (step: string) => `${kind} batch ${batchSize}: ${step}`;
    const perRound = Math.max(10, Math.round(5000 / batchSize));
    const [plain, dp] = timeInterleaved(
      [
        { run: () => nonPrivateStep(sgd, batch), perRound },
        { run: () => dpSgdStep(sgd, batch, dpOptions), perRound },
      ],
      rounds,
    );
    // Timed apart: its allocation churn (GC) would otherwise land on the fast variants.
    const [naive] = timeInterleaved([{ run: () => naiveDpStep(sgd, batch, rng), perRound: 1 }], Math.min(rounds, 7));
    const dpRatio = dp.meanMs / plain.meanMs;
    const loopRatio = naive.meanMs / dp.meanMs;
    const loopGoal = batchSize >= 256;
    results.push(
      { name: name("non-private step"), model: kind, batchSize, step: "non-private", ...plain },
      {
        name: name("DP-SGD step (vectorised)"),
        model: kind,
        batchSize,
        step: "dp-sgd",
        ...dp,
        goalMs: 1.5 * plain.meanMs,
        note: `${dpRatio.toFixed(2)}× the non-private step (goal ≤ 1.5×)`,
        ratio: { value: dpRatio, goal: "≤ 1.5× the non-private step", met: dpRatio <= 1.5 },
      },
      {
        name: name("DP step, naive per-example loop"),
        model: kind,
        batchSize,
        step: "naive-loop",
        ...naive,
        note: `${loopRatio.toFixed(0)}× the vectorised DP step` + (loopGoal ? " (goal ≥ 5×)" : ""),
        ratio: {
          value: loopRatio,
          goal: loopGoal ? "≥ 5× the vectorised DP step" : "(no goal at this batch size)",
          met: loopGoal ? loopRatio >= 5 : true,
        },
      },
    );
    tf.dispose([batch.x, batch.y]);
    disposeSgd(sgd);
    disposeModel(model);
  }
  return results;
}

export function formatBench(results: BenchResult[]): string {
  return results
    .map((r) => {
      const ratio = r.ratio ? `  ratio ${r.ratio.value.toFixed(2)} (${r.ratio.goal}: ${r.ratio.met ? "met" : "NOT met"})` : "";
      return `${r.name.padEnd(52)} ${r.meanMs.toFixed(3).padStart(9)} ms  (median of rounds, ${r.iterations} runs)${ratio}`;
    })
    .join("\n");
}

if (require.main === module) {
  const backend = (process.env.PRIVACY_COURSE_BACKEND as BackendName | undefined) || "wasm";
  benchDpSgd({ backend }).then((results) => {
    console.log(`backend: ${tf.getBackend()}`);
    console.log(formatBench(results));
  });
}
