import { tf, useBackend } from "./src/runtime/tensorflow";
import { createRng } from "./src/random/rng";
import { createModel, toVariables } from "./src/models";
import { createSgd, dpSgdStep, nonPrivateStep } from "./src/privacy/dpsgd";
(async () => {
  await useBackend("wasm");
  const rng = createRng(1);
  const B = 256;
  const x = tf.tensor2d(Array.from({length:B},()=>Array.from({length:5},()=>rng.normal())));
  const y = tf.tensor1d(Array.from({length:B},()=>rng.int(2)));
  const model = toVariables(createModel({kind:"mlp", inputSize:5}));
  const sgd = createSgd(model, {learningRate:0.0001, momentum:0.9});
  const which = process.argv[2];
  for (let i = 0; i < 20000; i++) which === "dp" ? dpSgdStep(sgd, {x, y}, {clipNorm:1, noiseMultiplier:1, expectedBatchSize:B, rng}) : nonPrivateStep(sgd, {x,y});
})();
