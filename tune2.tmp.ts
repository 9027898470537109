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
  const cands: any[] = JSON.parse(process.argv[3]);
  const sets = [101, 102, 103, 104, 105].map(dataset);
  const seeds = [1, 2, 3, 4];
  for (const c of cands) {
    const line: string[] = [];
    for (const epsilon of [0.25, 0.5, 1, 2, 8, Infinity]) {
      let acc = 0, n = 0, min = 1;
      for (const s of sets) for (const seed of seeds) {
        const r = await trainPrivately(s.train, { ...c, epsilon, seed, model });
        const a = evaluateModel(r.output.model, s.test.x, s.test.y).accuracy; acc += a; n++; min = Math.min(min, a);
      }
      line.push(`ε=${epsilon}: ${(acc / n).toFixed(3)}/${min.toFixed(2)}`);
    }
    console.log(JSON.stringify(c), line.join("  "));
  }
})();
