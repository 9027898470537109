/**
 * GAN iteration timings on the course's 800 training customers: DP and non-private GAN
 * training (per generator step), the DP label model, k-member grouping, negative-event
 * detection, and one whole iteration (pipeline → GAN → release → measures), with and without the
 * label model. Run with `npm run bench -- gan`.
 */
import { performance } from "node:perf_hooks";
import { useBackend } from "../src/runtime/tensorflow";
import { loadCustomerDataset } from "../src/data/datasets";
import { customerTable } from "../src/anonymity/customers";
import { dropColumns, selectRows } from "../src/anonymity/table";
import { fitEncoding } from "../src/synthetic/encoding";
import { trainGan } from "../src/gan/trainGan";
import { sampleSynthetic } from "../src/gan/sample";
import { groupSimilarRecords } from "../src/gan/grouping";
import { detectNegativeEvents } from "../src/gan/negativeEvents";
import { runGanIteration } from "../src/gan/iteration";
import { trainLabelModel } from "../src/gan/labelModel";
import type { BenchRow } from "./run";

async function time<T>(run: () => Promise<T> | T): Promise<{ ms: number; value: T }> {
  const started = performance.now();
  const value = await run();
  return { ms: performance.now() - started, value };
}

export async function benchGan(): Promise<BenchRow[]> {
  await useBackend();
  const { customers, split } = loadCustomerDataset();
  const everyone = customerTable(customers);
  const train = selectRows(everyone, split.train);
  const holdout = selectRows(everyone, split.test);
  const released = dropColumns(train, ["name", "email"]);
  const encoding = fitEncoding(released, { categorical: ["buysNextMonth"] });
  const steps = 500;
  const rows: BenchRow[] = [];
  for (const targetEpsilon of [10, Infinity]) {
    const { ms, value } = await time(() => trainGan(released, encoding, { targetEpsilon, steps, seed: 7 }));
    rows.push({
      name: `trainGan, 800 rows, ${steps} steps, ε = ${targetEpsilon === Infinity ? "∞" : targetEpsilon}`,
      meanMs: Math.round(ms),
      note: `${value.trace.durations.msPerGeneratorStep.toFixed(2)} ms per generator step`,
    });
    if (targetEpsilon === Infinity) {
      const synthetic = sampleSynthetic(value.output.generator, encoding, 800, 1).output;
      const holdoutReleased = dropColumns(holdout, ["name", "email"]);
      const events = await time(() => detectNegativeEvents({ synthetic, train: released, holdout: holdoutReleased, quasi: ["age", "location"], k: 5 }));
      rows.push({ name: "detectNegativeEvents, 800 synthetic vs 800 train + 200 holdout", meanMs: Math.round(events.ms) });
    }
  }
  const labels = await time(() => trainLabelModel(released, encoding, { label: "buysNextMonth", targetEpsilon: 1, seed: 7 }));
  rows.push({ name: `trainLabelModel, 800 rows, ${labels.value.trace.training.steps} DP-SGD steps (MLP)`, meanMs: Math.round(labels.ms) });
  const grouping = await time(() => groupSimilarRecords(released, { columns: ["age", "location"], k: 5 }));
  rows.push({ name: "groupSimilarRecords, 800 rows, k = 5", meanMs: Math.round(grouping.ms) });
  const iteration = await time(() => runGanIteration({ train, holdout, settings: { levels: { age: 1 }, groupSize: 3, targetEpsilon: 10 }, seed: 7 }));
  rows.push({ name: "runGanIteration (pipeline, GAN 500 steps, release, measures)", meanMs: Math.round(iteration.ms) });
  const withLabels = await time(() => runGanIteration({ train, holdout, settings: { levels: {}, groupSize: 1, targetEpsilon: 5 }, labelModel: {}, seed: 7 }));
  rows.push({ name: "runGanIteration with the label model (ε = 5 shared)", meanMs: Math.round(withLabels.ms), note: `TSTR gap ${withLabels.value.output.utility.gapPoints.toFixed(1)} points` });
  return rows;
}
