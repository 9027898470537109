import { performance } from "node:perf_hooks";
import { tf, useBackend } from "./src/runtime/tensorflow";
import { createRng } from "./src/random/rng";
import { createModel, toVariables } from "./src/models";
(async () => {
  await useBackend("wasm");
  const rng = createRng(1);
  const B = 256;
  const x = tf.tensor2d(Array.from({length:B},()=>Array.from({length:5},()=>rng.normal())));
  const y = tf.tensor1d(Array.from({length:B},()=>rng.int(2)));
  const model = toVariables(createModel({kind:"mlp", inputSize:5}));
  const L = model.layers;
  const T: Record<string, number> = {};
  let last = 0;
  const mark = (name: string) => { const n = performance.now(); T[name] = (T[name] ?? 0) + n - last; last = n; };
  const N = 3000;
  for (let it = 0; it < N; it++) {
    tf.tidy(() => {
      last = performance.now();
      const z0 = tf.add(tf.matMul(x, L[0].weights), L[0].bias); mark("mm+add0");
      const a1 = tf.relu(z0); mark("relu");
      const z1 = tf.add(tf.matMul(a1, L[1].weights), L[1].bias); mark("mm+add1");
      const g1 = tf.sub(tf.sigmoid(z1), tf.reshape(y, [-1, 1])); mark("sig-sub");
      const g0 = tf.mul(tf.matMul(g1, L[1].weights, false, true), tf.step(z0)); mark("back");
      const s1 = tf.sum(tf.square(x), 1).dataSync(); mark("a0 norm");
      const s2 = tf.sum(tf.square(g0), 1).dataSync(); mark("g0 norm");
      const s3 = tf.sum(tf.square(a1), 1).dataSync(); mark("a1 norm");
      const s4 = tf.square(g1).dataSync(); mark("g1 norm");
      const f = new Float32Array(B); for (let i=0;i<B;i++) f[i] = Math.min(1, 1/Math.sqrt(s2[i]*(s1[i]+1)+s4[i]*(s3[i]+1))); mark("js");
      const ft = tf.tensor2d(f, [B,1]); mark("upload");
      const w0 = tf.mul(g0, ft); mark("mul0");
      const w1 = tf.mul(g1, ft); mark("mul1");
      const r = [tf.matMul(x, w0, true, false)]; mark("mmT0");
      r.push(tf.sum(w0, 0)); mark("sum0");
      r.push(tf.matMul(a1, w1, true, false)); mark("mmT1");
      r.push(tf.sum(w1, 0)); mark("sum1");
      const fill = tf.fill([B,1], 1/B); mark("fill");
      return r;
    }).forEach(t => t.dispose());
    mark("tidy end");
  }
  for (const [k,v] of Object.entries(T)) console.log(k.padEnd(10), (v/N*1000).toFixed(1), "us");
})();
