/** The whole default pipeline (ε = 1, logistic, 5 epochs, with the non-private baseline). */
import { runPipeline } from "../src/pipeline/run";
import type { BenchRow } from "./run";

export async function benchPipeline(): Promise<BenchRow[]> {
  await runPipeline(); // warm-up: backend initialisation, dataset parsing
  const rows: BenchRow[] = [];
  for (const model of ["logistic", "mlp"] as const) {
    const repeats = 3;
    const start = performance.now();
    for (let i = 0; i < repeats; i++) await runPipeline({ model });
    rows.push({ name: `runPipeline (${model}, default config)`, meanMs: (performance.now() - start) / repeats });
  }
  return rows;
}
