import { performance } from "node:perf_hooks";
import { tf, useBackend } from "./src/runtime/tensorflow";
import { createRng } from "./src/random/rng";
import { createModel, toVariables } from "./src/models";
import { clippedGradientSum, meanGradient, addGaussianNoise, applyGradients, createSgd, perExampleGradNorms, dpSgdStep, nonPrivateStep } from "./src/privacy/dpsgd";
(async () => {
  await useBackend("wasm");
  const rng = createRng(1);
  const B = Number(process.argv[2] ?? 256); const kind = (process.argv[3] ?? "mlp") as any;
  const x = tf.tensor2d(Array.from({length:B},()=>Array.from({length:5},()=>rng.normal())));
  const y = tf.tensor1d(Array.from({length:B},()=>rng.int(2)));
  const model = toVariables(createModel({kind, inputSize:5}));
  const sgd = createSgd(model, {learningRate:0.0001, momentum:0.9});
  const b = {x, y};
  const g = meanGradient(model, b);
  const fs: [string, () => void][] = [
  ["mean grad", () => tf.dispose(meanGradient(model, b))],
  ["norms", () => perExampleGradNorms(model, b)],
  ["clipped", () => tf.dispose(clippedGradientSum(model, b, 1).clippedSum)],
  ["noise", () => tf.dispose(addGaussianNoise(g, 0.1, rng))],
  ["apply", () => applyGradients(sgd, g)],
  ["np step", () => nonPrivateStep(sgd, b)],
  ["dp step", () => dpSgdStep(sgd, b, {clipNorm:1, noiseMultiplier:1, expectedBatchSize:B, rng})],
  ["dp step σ=0", () => dpSgdStep(sgd, b, {clipNorm:1, noiseMultiplier:0, expectedBatchSize:B, rng})],
  ];
  const res = fs.map(() => [] as number[]);
  for (let r=0;r<25;r++) fs.forEach(([n,f],k)=>{ const t=performance.now(); for(let i=0;i<50;i++) f(); res[k].push((performance.now()-t)/50*1000); });
  fs.forEach(([n],k)=>{ const s=res[k].sort((a,b)=>a-b); console.log(n.padEnd(14), s[12].toFixed(1), "us"); });
})();
