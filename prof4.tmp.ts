import { performance } from "node:perf_hooks";
import { tf, useBackend } from "./src/runtime/tensorflow";
import { createRng } from "./src/random/rng";
(async () => {
  await useBackend(process.argv[2] as any ?? "wasm");
  const rng = createRng(1);
  const B = 256;
  const mk = (r: number, c: number) => tf.tensor2d(Array.from({length:r},()=>Array.from({length:c},()=>rng.normal())));
  const a = mk(B,5), g = mk(B,16), c = mk(B,1), g1 = mk(B,1), w = mk(16,1);
  const fs: [string, () => unknown][] = [
    ["sum0", () => tf.sum(g,0).dispose()],
    ["ones matmul", () => tf.tidy(() => tf.matMul(tf.ones([1,B]), g))],
    ["matmul tA", () => tf.matMul(a, g, true, false).dispose()],
    ["transpose+mm", () => tf.tidy(() => tf.matMul(tf.transpose(a), g))],
    ["transpose", () => tf.transpose(a).dispose()],
    ["mm g1 wT", () => tf.matMul(g1, w, false, true).dispose()],
    ["mul same", () => tf.mul(g, g).dispose()],
    ["mul bcast c", () => tf.mul(g, c).dispose()],
    ["mul bcast scalar", () => tf.mul(g, 0.5).dispose()],
    ["mul tensor scalar", () => tf.tidy(() => tf.mul(g, tf.scalar(0.5)))],
    ["add same", () => tf.add(g, g).dispose()],
    ["sub [256,1]", () => tf.sub(g1, c).dispose()],
    ["add bias", () => tf.add(g, tf.zeros([16])).dispose()],
    ["sq+sum1", () => tf.tidy(() => tf.sum(tf.square(g), 1, true).dataSync())],
  ];
  const res = fs.map(() => [] as number[]);
  for (let r=0;r<15;r++) fs.forEach(([n,f],k)=>{ const t=performance.now(); for(let i=0;i<200;i++) f(); res[k].push((performance.now()-t)/200*1000); });
  fs.forEach(([n],k)=>{ const s=res[k].sort((a,b)=>a-b); console.log(n.padEnd(18), s[7].toFixed(1), "us"); });
})();
