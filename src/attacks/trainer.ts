/**
 * The attacker's (or auditor's) copy of a training recipe: the same trainPrivately options,
 * with the seed left to the caller, as the ShadowTrainer that the attacks and the exposure
 * test expect. Threat models assume the recipe is public; only the data and the randomness
 * are secret.
 */
import { trainPrivately, type TrainOptions } from "../pipeline/train";
import type { ShadowTrainer } from "./membershipInference";

export function trainerFor(recipe: Omit<TrainOptions, "seed" | "onEpoch" | "onStep">): ShadowTrainer {
  return async (data, seed) => (await trainPrivately(data, { ...recipe, seed })).output.model;
}
