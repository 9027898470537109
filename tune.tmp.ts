import { collect } from "./src/pipeline/collect";
import { anonymize } from "./src/pipeline/anonymize";
import { engineerFeatures } from "./src/pipeline/features";
import { trainPrivately } from "./src/pipeline/train";
import { evaluateModel } from "./src/models";
import { useBackend } from "./src/runtime/tensorflow";

function dataset(seed?: number) {
  const c = collect(seed === undefined ? {} : { rows: 1000, seed });
  const { customers, split } = c.output;
  const f = engineerFeatures(anonymize(customers).output, { trainIndices: split.train }).output;
  const pick = <T,>(a: T[], idx: number[]) => idx.map((i) => a[i]);
  return { train: { x: pick(f.matrix, split.train), y: pick(f.labels, split.train) }, test: { x: pick(f.matrix, split.test), y: pick(f.labels, split.test) } };
}

(async () => {
  await useBackend();
  process.removeAllListeners("warning");
  const model = (process.argv[2] ?? "logistic") as "logistic" | "mlp";
  const sets = [101, 102, 103].map(dataset);
  const seeds = [1, 2, 3];
  const batches = model === "mlp" ? [64, 128, 256] : [32, 64, 128, 256];
  const clips = [0.5, 1, 2];
  const lrs = model === "mlp" ? [0.1, 0.25, 0.5, 1] : [0.1, 0.25, 0.5, 1, 2];
  const moms = [0, 0.5, 0.9];
  const rows: string[] = [];
  const baseline = new Map<string, number>();
  for (const batchSize of batches) for (const learningRate of lrs) for (const momentum of moms) {
    let acc = 0, n = 0;
    for (const s of sets) for (const seed of seeds) {
      const r = await trainPrivately(s.train, { epsilon: Infinity, batchSize, learningRate, momentum, seed, model });
      acc += evaluateModel(r.output.model, s.test.x, s.test.y).accuracy; n++;
    }
    baseline.set(`${batchSize}/${learningRate}/${momentum}`, acc / n);
  }
  const results: [number, string][] = [];
  for (const batchSize of batches) for (const clipNorm of clips) for (const learningRate of lrs) for (const momentum of moms) {
    let acc = 0, n = 0, min = 1;
    for (const s of sets) for (const seed of seeds) {
      const r = await trainPrivately(s.train, { epsilon: 1, batchSize, clipNorm, learningRate, momentum, seed, model });
      const a = evaluateModel(r.output.model, s.test.x, s.test.y).accuracy; acc += a; n++; min = Math.min(min, a);
    }
    const np = baseline.get(`${batchSize}/${learningRate}/${momentum}`)!;
    results.push([acc / n, `B=${batchSize} C=${clipNorm} lr=${learningRate} m=${momentum}: dp ${(acc / n).toFixed(4)} min ${min.toFixed(3)} np ${np.toFixed(4)}`]);
  }
  results.sort((a, b) => b[0] - a[0]);
  results.slice(0, 25).forEach((r) => console.log(r[1]));
  console.log("best np", [...baseline.entries()].sort((a, b) => b[1] - a[1]).slice(0, 5));
})();
