import { runPipeline } from "./src/pipeline/run";
(async () => {
  process.removeAllListeners("warning");
  for (const model of ["logistic", "mlp"] as const) {
    const rows: number[][] = [];
    for (const seed of [7, 1, 2, 3, 4, 5, 6, 8, 9, 10]) {
      const r = await runPipeline({ seed, model });
      const m = r.stages.evaluate.metrics;
      rows.push([m.private.accuracy, m.nonPrivate!.accuracy, r.stages.trainPrivately.epsilonSpent, r.stages.trainPrivately.noiseMultiplier]);
      if (seed === 7) { const t = r.stages.trainPrivately; console.log(model, "seed 7:", r.stages.evaluate.summary, "σ", t.noiseMultiplier, "steps", t.steps); t.epochs.forEach(e => console.log("  ", e.epoch, e.loss.toFixed(4), e.trainAccuracy, e.epsilonSpent.toFixed(3), e.meanGradNorm?.toFixed(3), e.clippedFraction.toFixed(3), e.meanBatchSize.toFixed(1), e.observation)); }
    }
    const mean = (k: number) => rows.reduce((s, r) => s + r[k], 0) / rows.length;
    console.log(model, "DP acc", rows.map(r => r[0]).join(","), "mean", mean(0).toFixed(4), "NP mean", mean(1).toFixed(4), "min DP", Math.min(...rows.map(r => r[0])));
  }
})();
