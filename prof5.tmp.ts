import { performance } from "node:perf_hooks";
import { tf, useBackend } from "./src/runtime/tensorflow";
import { createRng } from "./src/random/rng";
(async () => {
  await useBackend(process.argv[2] as any ?? "wasm");
  const rng = createRng(1);
  const B = 256;
  const mk = (r: number, c: number) => tf.tensor2d(Array.from({length:r},()=>Array.from({length:c},()=>rng.normal())));
  const g = mk(B,16);
  const fs: [string, () => unknown][] = [
    ["sq+sum1 tidy", () => tf.tidy(() => { tf.sum(tf.square(g), 1, true); })],
    ["sq+sum1 sync", () => tf.tidy(() => tf.sum(tf.square(g), 1, true).dataSync())],
    ["sq+sum1 nodispose", () => { const s = tf.square(g); const t = tf.sum(s, 1, true); t.dataSync(); s.dispose(); t.dispose(); }],
    ["sq dispose", () => { const s = tf.square(g); s.dispose(); }],
    ["sq sync", () => { const s = tf.square(g); s.dataSync(); s.dispose(); }],
    ["sq+sum1 keep", () => { const s = tf.square(g); const t = tf.sum(s, 1, true); s.dispose(); t.dispose(); }],
  ];
  const res = fs.map(() => [] as number[]);
  for (let r=0;r<15;r++) fs.forEach(([n,f],k)=>{ const t=performance.now(); for(let i=0;i<200;i++) f(); res[k].push((performance.now()-t)/200*1000); });
  fs.forEach(([n],k)=>{ const s=res[k].sort((a,b)=>a-b); console.log(n.padEnd(18), s[7].toFixed(1), "us"); });
})();
