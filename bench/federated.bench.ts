/**
 * The voice-assistant case: one DP-FedAvg round at the course's settings (40 of 240 users,
 * three local steps each), and the lesson's full run (three models at ε = 4, then user-level
 * DP-FedAvg at the lesson's other budgets).
 */
import { UTTERANCE_WORDS, loadUtterances } from "../src/data/utterances";
import {
  FEDERATED_DEFAULTS,
  LESSON_UTILITY_EPSILONS,
  LocalTrainer,
  boundContributions,
  createNextWordModel,
  encodeUtterances,
  federatedRound,
  runVoiceAssistantCase,
  splitUsers,
  userLevelUtilitySweep,
} from "../src/federated";
import { createRng } from "../src/random/rng";
import { useBackend } from "../src/runtime/tensorflow";
import type { BenchRow } from "./run";

async function time(repeats: number, run: () => unknown): Promise<number> {
  const start = performance.now();
  for (let i = 0; i < repeats; i++) await run();
  return (performance.now() - start) / repeats;
}

export async function benchFederated(): Promise<BenchRow[]> {
  await useBackend();
  const dataset = loadUtterances();
  const train = boundContributions(splitUsers(dataset, { seed: 7 }).output.train, { maxUtterancesPerUser: 64 }).output;
  const model = createNextWordModel({ words: UTTERANCE_WORDS, seed: 7 });
  const clients = train.map((u) => ({ userId: u.userId, examples: encodeUtterances(model, u.utterances) }));
  const trainer = new LocalTrainer(model);
  const options = {
    sampleRate: FEDERATED_DEFAULTS.usersPerRound / clients.length,
    local: { localSteps: FEDERATED_DEFAULTS.localSteps, learningRate: FEDERATED_DEFAULTS.localLearningRate },
    serverLearningRate: FEDERATED_DEFAULTS.serverLearningRate,
    privacy: { clipNorm: FEDERATED_DEFAULTS.clipNorm, noiseMultiplier: 1.5 },
  };
  let round = 0;
  const oneRound = () => federatedRound(model, clients, round++, options, createRng(7), trainer);
  oneRound(); // warm-up: backend initialisation, the clients' tensors
  const roundMs = await time(3, oneRound);
  trainer.dispose();
  const start = performance.now();
  const { trace } = await runVoiceAssistantCase();
  const sweep = await userLevelUtilitySweep({ epsilons: LESSON_UTILITY_EPSILONS.filter((e) => e !== 4) });
  const lessonMs = performance.now() - start;
  const accuracy = (m: string) => trace.results.find((r) => r.model === m)!.heldOut.accuracy.toFixed(3);
  return [
    {
      name: `one DP-FedAvg round (${FEDERATED_DEFAULTS.usersPerRound} of ${clients.length} users, ${FEDERATED_DEFAULTS.localSteps} local steps)`,
      meanMs: roundMs,
      goalMs: 1500,
    },
    {
      name: `the lesson's run: three models at ε = 4, user-level at ε = ${LESSON_UTILITY_EPSILONS.filter((e) => e !== 4).join(", ")}`,
      meanMs: lessonMs,
      goalMs: 45_000,
      note: `held-out accuracy ${accuracy("nonPrivate")} / ${accuracy("exampleLevel")} / ${accuracy("userLevel")}; ` +
        `user-level at ε = ${sweep.output.map((p) => `${p.epsilon}: ${p.heldOutAccuracy.toFixed(3)}`).join(", ")}`,
    },
  ];
}
