/**
 * The stage before training: which users train and which are held out, and how much each
 * training user may contribute.
 */
import type { PlantedSecret, UtteranceDataset, UtteranceUser } from "../data/utterances";
import { createRng } from "../random/rng";
import { InputError, requireNumber } from "../validation/errors";

export interface UserSplitTrace {
  trainUsers: number;
  heldOutUsers: number;
  heldOutShare: number;
  seed: number;
  notes: string[];
}

/**
 * Held-out users measure utility on people the model never saw (a new user's phone). Secret
 * holders always train: their secrets are what the memorisation test looks for.
 */
export function splitUsers(
  dataset: UtteranceDataset,
  options: { heldOutShare?: number; seed?: number } = {},
): { output: { train: UtteranceUser[]; heldOut: UtteranceUser[] }; trace: UserSplitTrace } {
  if (!dataset || !Array.isArray(dataset.users) || dataset.users.length < 2) {
    throw new InputError("dataset.users", "at least 2 users", dataset?.users);
  }
  const share = requireNumber("heldOutShare", options.heldOutShare ?? 0.2, { min: 0, max: 1, maxExclusive: true });
  const seed = requireNumber("seed", options.seed ?? 7, { integer: true });
  const holders = new Set(dataset.secrets.map((s) => s.userId));
  const rng = createRng(seed).fork("held-out users");
  const candidates = dataset.users.filter((u) => !holders.has(u.userId));
  // Partial Fisher–Yates: the first `count` of a seeded shuffle are held out.
  const order = candidates.map((_, i) => i);
  const count = Math.min(candidates.length, Math.round(share * dataset.users.length));
  for (let i = 0; i < count; i++) {
    const j = i + rng.int(order.length - i);
    [order[i], order[j]] = [order[j], order[i]];
  }
  const heldOutIds = new Set(order.slice(0, count).map((i) => candidates[i].userId));
  const train = dataset.users.filter((u) => !heldOutIds.has(u.userId));
  const heldOut = dataset.users.filter((u) => heldOutIds.has(u.userId));
  if (train.length === 0) throw new InputError("heldOutShare", "a share leaving at least one training user", share);
  return {
    output: { train, heldOut },
    trace: {
      trainUsers: train.length,
      heldOutUsers: heldOut.length,
      heldOutShare: share,
      seed,
      notes: [`Held-out users are drawn from the ${candidates.length} users without a planted secret.`],
    },
  };
}

export interface ContributionTrace {
  maxUtterancesPerUser: number;
  usersCapped: number;
  utterancesKept: number;
  utterancesDropped: number;
  /** Share of all training utterances the cap dropped. */
  shareDropped: number;
  /** Per secret holder: how many of their secret's repeats survive the cap. */
  secretRepeatsKept: { userId: string; repeats: number; kept: number }[];
  seed: number;
  notes: string[];
}

/**
 * Contribution bounding: keep at most `maxUtterancesPerUser` of each user's utterances (a
 * seeded random subset, fixed for the whole run, as McMahan et al. 2018 cap each user's
 * tokens). User-level DP does not need the cap (clipping each user's update bounds their
 * influence), but it bounds local work and how far one talkative user's data can pull their
 * update before clipping. It costs exactly the utterances it drops, all from the most active users.
 */
export function boundContributions(
  users: readonly UtteranceUser[],
  options: { maxUtterancesPerUser: number; secrets?: readonly PlantedSecret[]; secretSentences?: ReadonlyMap<string, string>; seed?: number },
): { output: UtteranceUser[]; trace: ContributionTrace } {
  const cap = requireNumber("maxUtterancesPerUser", options.maxUtterancesPerUser, { min: 1, integer: true });
  const seed = requireNumber("seed", options.seed ?? 7, { integer: true });
  let dropped = 0;
  let capped = 0;
  const output = users.map((u) => {
    if (u.utterances.length <= cap) return u;
    capped++;
    dropped += u.utterances.length - cap;
    const rng = createRng(seed).fork(`cap/${u.userId}`);
    const order = u.utterances.map((_, i) => i);
    for (let i = 0; i < cap; i++) {
      const j = i + rng.int(order.length - i);
      [order[i], order[j]] = [order[j], order[i]];
    }
    // Keep the chosen utterances in their original order.
    return { userId: u.userId, utterances: order.slice(0, cap).sort((a, b) => a - b).map((i) => u.utterances[i]) };
  });
  const total = users.reduce((s, u) => s + u.utterances.length, 0);
  const byId = new Map(output.map((u) => [u.userId, u]));
  const secretRepeatsKept = (options.secrets ?? []).map((s) => {
    const sentence = options.secretSentences?.get(s.userId);
    const kept = byId.get(s.userId)?.utterances.filter((t) => t === sentence).length ?? 0;
    return { userId: s.userId, repeats: s.repeats, kept };
  });
  return {
    output,
    trace: {
      maxUtterancesPerUser: cap,
      usersCapped: capped,
      utterancesKept: total - dropped,
      utterancesDropped: dropped,
      shareDropped: total === 0 ? 0 : dropped / total,
      secretRepeatsKept,
      seed,
      notes: [
        `${capped} of ${users.length} users had more than ${cap} utterances; ${dropped} utterances (` +
          `${(100 * (total === 0 ? 0 : dropped / total)).toFixed(1)} % of the training data) were dropped, all from them.`,
        "The user-level guarantee does not rest on the cap: clipping each user's update bounds their influence whatever they said.",
      ],
    },
  };
}
