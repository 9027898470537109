/**
 * Did the model memorise a user's secret? The secret sharer's exposure (Carlini et al. 2019),
 * here in its original text form: rank the true secret among every candidate (every phone number
 * of four digits, every address of the same shape) by the log-perplexity the model gives the
 * whole sentence; exposure = log₂|R| − log₂ rank (the same formula as src/memorisation).
 *
 * The model sees `context` words, so a candidate's score needs log P(word | context) only at
 * the contexts that candidates produce: they are computed once and shared (a four-digit secret
 * needs about a hundred contexts for its 10 000 candidates).
 */
import { SECRET_KINDS, secretSentence, type PlantedSecret } from "../data/utterances";
import { exposure } from "../memorisation/exposure";
import { InputError } from "../validation/errors";
import { END, START, encodeWords, logProbabilities, type NextWordModel } from "./model";

/** Every candidate secret of a kind: the product of its slots' word lists, in order. */
export function secretCandidates(kind: PlantedSecret["kind"]): string[][] {
  let out: string[][] = [[]];
  for (const slot of SECRET_KINDS[kind].slots) out = out.flatMap((prefix) => slot.map((w) => [...prefix, w]));
  return out;
}

/** −Σ log₂ P(word | context) over each sentence, START-padded, END included. */
export function sentenceLogPerplexities(model: NextWordModel, sentences: readonly (readonly string[])[]): number[] {
  const k = model.context;
  const encoded = sentences.map((words, i) => [...new Array<number>(k).fill(0), ...encodeWords(model, words, `sentences[${i}]`), 1]);
  const contextIndex = new Map<string, number>();
  const contexts: number[] = [];
  for (const seq of encoded) {
    for (let t = k; t < seq.length; t++) {
      const key = seq.slice(t - k, t).join(",");
      if (!contextIndex.has(key)) {
        contextIndex.set(key, contextIndex.size);
        contexts.push(...seq.slice(t - k, t));
      }
    }
  }
  const rows = logProbabilities(model, {
    context: k,
    contexts: Int32Array.from(contexts),
    targets: new Int32Array(contextIndex.size),
  });
  return encoded.map((seq) => {
    let nats = 0;
    for (let t = k; t < seq.length; t++) nats -= rows[contextIndex.get(seq.slice(t - k, t).join(","))!][seq[t]];
    return nats / Math.LN2;
  });
}

export interface SecretExposure {
  userId: string;
  kind: PlantedSecret["kind"];
  secret: string[];
  repeats: number;
  candidates: number;
  /** 1 = the model's favourite sentence of that shape. */
  rank: number;
  exposure: number;
  /** log₂|R|: a fully memorised secret. */
  maxExposure: number;
  /** The secret's first words ("my number is"), which an attacker would prompt with. */
  prompt: string[];
  /**
   * The model's favourite secret: the candidate with the lowest log-perplexity, i.e. what an
   * attacker who prompts with every candidate would guess (the true secret when rank = 1).
   */
  favourite: string[];
  /** The model's most likely words after the prompt, one at a time (greedy decoding). */
  completion: string[];
}

/** Rank the planted secret among all candidates of its kind (ties ranked against it). */
export function secretExposure(model: NextWordModel, planted: PlantedSecret): SecretExposure {
  const kind = SECRET_KINDS[planted.kind];
  if (!kind) throw new InputError("secret.kind", `one of ${Object.keys(SECRET_KINDS).join(", ")}`, planted.kind);
  const candidates = secretCandidates(planted.kind);
  const key = planted.secret.join(" ");
  const index = candidates.findIndex((c) => c.join(" ") === key);
  if (index < 0) throw new InputError("secret.secret", `${kind.slots.length} words of the ${planted.kind} slots`, key);
  const scores = sentenceLogPerplexities(
    model,
    candidates.map((c) => secretSentence(planted.kind, c).split(" ")),
  );
  const own = scores[index];
  let best = 0;
  scores.forEach((score, i) => {
    if (score < scores[best]) best = i;
  });
  const rank = 1 + scores.filter((s, i) => i !== index && s <= own).length;
  return {
    userId: planted.userId,
    kind: planted.kind,
    secret: [...planted.secret],
    repeats: planted.repeats,
    candidates: candidates.length,
    rank,
    exposure: exposure(rank, candidates.length),
    maxExposure: Math.log2(candidates.length),
    prompt: [...kind.prefix],
    favourite: candidates[best],
    completion: greedyCompletion(model, [...kind.prefix], kind.slots.length),
  };
}

/** The `length` most likely next words, one at a time, after `prefix` (stops at END). */
export function greedyCompletion(model: NextWordModel, prefix: readonly string[], length: number): string[] {
  const k = model.context;
  const sequence = [...new Array<number>(k).fill(0), ...encodeWords(model, prefix, "prefix")];
  const out: string[] = [];
  for (let i = 0; i < length; i++) {
    const [row] = logProbabilities(model, { context: k, contexts: Int32Array.from(sequence.slice(-k)), targets: new Int32Array(1) });
    let best = 1;
    for (let w = 1; w < row.length; w++) if (row[w] > row[best]) best = w;
    if (model.vocabulary[best] === END) break;
    out.push(model.vocabulary[best]);
    sequence.push(best);
  }
  return out.filter((w) => w !== START);
}
