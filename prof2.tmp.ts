import { performance } from "node:perf_hooks";
import { tf, useBackend } from "./src/runtime/tensorflow";
import { createRng } from "./src/random/rng";
(async () => {
  await useBackend("wasm");
  const rng = createRng(1);
  const B = 256;
  const mk = (c: number) => tf.tensor2d(Array.from({length:B},()=>Array.from({length:c},()=>rng.normal())));
  const blocks = [mk(5), mk(16), mk(16), mk(1)];
  const v1 = () => tf.tidy(() => { const p = blocks.map((t,k) => k===3 ? tf.square(t) : tf.sum(tf.square(t),1,true)); return tf.concat(p,1).dataSync(); });
  const v2 = () => tf.tidy(() => { const sel = new Float32Array(38*4); let r=0; [5,16,16,1].forEach((w,k)=>{for(let j=0;j<w;j++,r++) sel[r*4+k]=1;}); return tf.matMul(tf.square(tf.concat(blocks,1)), tf.tensor2d(sel,[38,4])).dataSync(); });
  const v3 = () => blocks.map(b => b.dataSync());
  const one = () => tf.tidy(() => tf.square(blocks[1]));
  const mm = () => tf.tidy(() => tf.matMul(blocks[0], blocks[1], true, false));
  const fs: [string, () => unknown][] = [["v1 per-block",v1],["v2 matmul",v2],["v3 sync all",v3],["one square",one],["one matmul", mm]];
  const res = fs.map(() => [] as number[]);
  for (let r=0;r<25;r++) fs.forEach(([n,f],k)=>{ const t=performance.now(); for(let i=0;i<100;i++) f(); res[k].push((performance.now()-t)/100*1000); });
  fs.forEach(([n],k)=>{ const s=res[k].sort((a,b)=>a-b); console.log(n.padEnd(14), s[12].toFixed(1), "us"); });
})();
