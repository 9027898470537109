/**
 * `privacy-course federated`: the voice-assistant case from the command line. Trains the
 * user-level DP-FedAvg model on datasets/utterances.csv (and, unless --models says otherwise,
 * the pooled non-private and example-level DP-SGD models beside it), then prints utility,
 * guarantees and the exposure of the planted secrets.
 */
import { loadUtterances } from "../../data/utterances";
import { CASE_MODELS, CASE_MODEL_LABELS, runVoiceAssistantCase, type CaseModel } from "../../federated/voiceAssistant";
import { splitUsers } from "../../federated/users";
import { FEDERATED_DEFAULTS } from "../../federated/fedavg";
import { renderFederatedReport } from "../../render/text/federatedReport";
import { progressBar, type Progress } from "../../render/text/progress";
import { InputError, requireNumber, requireOneOf } from "../../validation/errors";
import { checkOutputPath, writeFileSafely } from "../../runtime/safeWrite";
import { toJsonFile } from "../json";
import { ACCOUNTANT_FLAGS, numberFlag, parseAccountantFlags, parseFlags, parseNumberFlag, SEED_RANGE } from "../options";

export async function federatedCommand(args: string[]): Promise<string> {
  const { values } = parseFlags("federated", args, {
    epsilon: { type: "string" },
    delta: { type: "string" },
    rounds: { type: "string" },
    "users-per-round": { type: "string" },
    "clip-norm": { type: "string" },
    "local-steps": { type: "string" },
    "max-utterances": { type: "string" },
    models: { type: "string" },
    seed: { type: "string" },
    json: { type: "string" },
    force: { type: "boolean", default: false },
    ...ACCOUNTANT_FLAGS,
  });
  // Every flag is checked before anything trains or is written.
  const epsilon = parseNumberFlag("epsilon", values.epsilon, 4);
  if (!(epsilon > 0) || !Number.isFinite(epsilon)) throw new InputError("--epsilon", "a finite number > 0", values.epsilon);
  const delta = requireNumber("--delta", parseNumberFlag("delta", values.delta, 1e-5), { min: 0, max: 1, minExclusive: true, maxExclusive: true });
  const rounds = requireNumber("--rounds", parseNumberFlag("rounds", values.rounds, FEDERATED_DEFAULTS.rounds), { min: 1, max: 100_000, integer: true });
  const seed = numberFlag("seed", values.seed, 7, SEED_RANGE);
  const accountant = parseAccountantFlags(values);
  const maxUtterances = requireNumber("--max-utterances", parseNumberFlag("max-utterances", values["max-utterances"], 64), { min: 1, integer: true });
  const optional = (flag: string, text: string | undefined, range: Parameters<typeof requireNumber>[2]) =>
    text === undefined ? undefined : requireNumber(`--${flag}`, parseNumberFlag(flag, text, Number.NaN), range);
  const clipNorm = optional("clip-norm", values["clip-norm"], { min: 0, minExclusive: true });
  const localSteps = optional("local-steps", values["local-steps"], { min: 1, max: 1000, integer: true });
  const models = (values.models ?? CASE_MODELS.join(",")).split(",").map((m) => requireOneOf("--models", m.trim(), CASE_MODELS));
  if (new Set(models).size !== models.length) throw new InputError("--models", "each model at most once", values.models);
  // Checked before training, so a bad path costs nothing.
  if (values.json !== undefined) checkOutputPath(values.json, { flag: "--json", force: values.force });
  const dataset = loadUtterances();
  const trainUsers = splitUsers(dataset, { seed }).trace.trainUsers;
  const usersPerRound = requireNumber("--users-per-round", parseNumberFlag("users-per-round", values["users-per-round"], FEDERATED_DEFAULTS.usersPerRound), {
    min: 1,
    max: trainUsers,
    integer: true,
  });

  let bar: Progress | undefined;
  let current: CaseModel | undefined;
  const { trace } = await runVoiceAssistantCase({
    dataset,
    epsilon,
    delta,
    seed,
    accountant,
    models,
    maxUtterancesPerUser: maxUtterances,
    federated: { rounds, usersPerRound, ...(clipNorm === undefined ? {} : { clipNorm }), ...(localSteps === undefined ? {} : { localSteps }) },
    onProgress: ({ model, done, total, round }) => {
      if (model !== current) {
        bar?.stop();
        bar = progressBar(total, CASE_MODEL_LABELS[model]);
        current = model;
      }
      bar!.update(done, round ? `round ${done}: ${round.usersSampled} users, ε = ${round.epsilon?.toFixed(2)}` : `step ${done}`);
    },
  });
  bar?.stop();
  if (values.json !== undefined) writeFileSafely(values.json, toJsonFile(trace), { flag: "--json", force: values.force });
  return renderFederatedReport(trace) + (values.json ? `\n\nFull trace written to ${values.json}` : "");
}
