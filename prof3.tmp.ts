import { performance } from "node:perf_hooks";
import { tf, useBackend } from "./src/runtime/tensorflow";
import { createRng } from "./src/random/rng";
(async () => {
  await useBackend(process.argv[2] as any ?? "wasm");
  const rng = createRng(1);
  const B = 256;
  const mk = (c: number) => tf.tensor2d(Array.from({length:B},()=>Array.from({length:c},()=>rng.normal())));
  const blocks = [mk(5), mk(16), mk(16), mk(1)];
  const sq = tf.square(blocks[1]);
  const fs: [string, () => unknown][] = [
    ["square", () => tf.square(blocks[1]).dispose()],
    ["sum axis1", () => tf.sum(sq,1,true).dispose()],
    ["sum axis0", () => tf.sum(sq,0).dispose()],
    ["concat", () => tf.concat(blocks,1).dispose()],
    ["matmul", () => tf.matMul(blocks[0], blocks[1], true, false).dispose()],
    ["matmul2", () => tf.matMul(blocks[1], tf.ones([16,1]) ).dispose()],
    ["mul bcast", () => tf.mul(blocks[1], blocks[3]).dispose()],
    ["add scalar", () => tf.add(blocks[1], 1).dispose()],
    ["relu", () => tf.relu(blocks[1]).dispose()],
    ["step", () => tf.step(blocks[1]).dispose()],
    ["sigmoid", () => tf.sigmoid(blocks[3]).dispose()],
    ["tensor2d", () => tf.tensor2d(new Float32Array(256),[256,1]).dispose()],
    ["fill", () => tf.fill([256,1], 0.1).dispose()],
    ["randomNormal80", () => tf.randomNormal([5,16],0,1,"float32",5).dispose()],
    ["dataSync", () => blocks[1].dataSync()],
    ["reshape", () => tf.reshape(blocks[1], [-1]).dispose()],
  ];
  const res = fs.map(() => [] as number[]);
  for (let r=0;r<15;r++) fs.forEach(([n,f],k)=>{ const t=performance.now(); for(let i=0;i<200;i++) f(); res[k].push((performance.now()-t)/200*1000); });
  fs.forEach(([n],k)=>{ const s=res[k].sort((a,b)=>a-b); console.log(n.padEnd(14), s[7].toFixed(1), "us"); });
})();
