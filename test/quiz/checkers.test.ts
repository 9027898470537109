import { describe, expect, it } from "vitest";
import { QUIZZES, REGIONS, informationLoss } from "../../quizzes";
import { TODO } from "../../src/quiz/check";
import type { Question } from "../../src/quiz/types";
import { question, scratchProgressPerTest, statusOf } from "../helpers/quizQuestions";
import { calibrateNoise, computeEpsilon, createAccountant, sampledGaussianEvent } from "../../src/privacy/accountant";
import { LESSON_NUMBERS, LESSON_RUN } from "../../quizzes/differential-privacy";
import { auditTrainingRun } from "../../src/audit";
import { useBackend } from "../../src/runtime/tensorflow";
import { collect } from "../../src/pipeline/collect";
import { anonymize } from "../../src/pipeline/anonymize";
import { engineerFeatures, FEATURE_NAMES } from "../../src/pipeline/features";
import { predictionGuarantee } from "../../src/pipeline/predict";
import { pseudonym } from "../../src/pipeline/anonymize";
import { createHash, createHmac } from "node:crypto";

scratchProgressPerTest();



describe("every question: no answer is 'not attempted'", () => {
  const all = Object.values(QUIZZES).flatMap((quiz) => quiz.questions.map((q) => [`${quiz.id}/${q.id}`, q] as const));
  it.each(all)("%s", (_id, q) => {
    expect(statusOf(q, undefined).status).toBe("not-attempted");
    expect(statusOf(q, TODO).status).toBe("not-attempted");
    expect(q.hints.length).toBeGreaterThan(0);
    expect(q.solution.length).toBeGreaterThan(0);
  });
});

describe("pipeline quiz (the seed's three questions)", () => {
  it("accepts A for the purpose of anonymisation, in any case, and explains the tempting wrong ones", () => {
    const q = question("pipeline", "anonymisation-purpose");
    expect(statusOf(q, "A").status).toBe("correct");
    expect(statusOf(q, " a ").status).toBe("correct");
    const d = statusOf(q, "D");
    expect(d.status).toBe("incorrect");
    expect(d.message).toMatch(/gradients/);
    expect(statusOf(q, "E").message).toMatch(/one of A, B, C, D/);
  });

  it("grades the DP and prediction-privacy questions", () => {
    expect(statusOf(question("pipeline", "dp-noise"), "B").status).toBe("correct");
    expect(statusOf(question("pipeline", "dp-noise"), "C").message).toMatch(/Nobody is removed/);
    const q = question("pipeline", "prediction-privacy");
    expect(statusOf(q, "C").status).toBe("correct");
    expect(statusOf(q, "A").status).toBe("incorrect");
    expect(statusOf(q, "A").message).toMatch(/proves nothing/);
  });

  it("states in q3's correct answer what the prediction trace states: post-processing, and the scaler not covered", () => {
    const q = question("pipeline", "prediction-privacy");
    if (q.kind !== "choice") throw new Error("choice expected");
    const layer = predictionGuarantee({ epsilon: 1, delta: 1e-5 }, { means: [0, 0], stds: [1, 1] });
    const correct = q.choices[q.answer];
    expect(layer.theorem).toMatch(/post-processing/);
    expect(correct).toMatch(/Post-processing/);
    expect(correct).toMatch(/Dwork & Roth 2014, Prop\. 2\.1/);
    expect(layer.theorem).toMatch(/Dwork & Roth 2014/);
    expect(correct).toMatch(/scaler, fitted on the training rows without noise/);
    expect(layer.notCovered[0]).toMatch(/scaler .*fitted on the training rows without noise/);
  });
});

describe("differential-privacy quiz: tight accounting", () => {
  it("accepts B and explains each tempting wrong answer", () => {
    const q = question("differential-privacy", "tight-accounting");
    expect(statusOf(q, "B").status).toBe("correct");
    expect(statusOf(q, "A").message).toMatch(/guarantee too/);
    expect(statusOf(q, "C").message).toMatch(/lower bound/);
    expect(statusOf(q, "D").message).toMatch(/Same run, same noise/);
  });

  it("states lesson 04's numbers: RDP at its calibrated σ, PLD below it, and the audit's bound below both", async () => {
    const sigma = calibrateNoise({ targetEpsilon: 1, ...LESSON_RUN }).noiseMultiplier;
    const [rdp, pld] = (["rdp", "pld"] as const).map((kind) => {
      const accountant = createAccountant(kind);
      accountant.compose(sampledGaussianEvent({ sampleRate: LESSON_RUN.sampleRate, noiseMultiplier: sigma }), LESSON_RUN.steps);
      return accountant.getEpsilon(LESSON_RUN.delta).epsilon;
    });
    expect(rdp).toBeLessThanOrEqual(1);
    expect(rdp.toFixed(2)).toBe(LESSON_NUMBERS.rdp);
    expect(pld.toFixed(2)).toBe(LESSON_NUMBERS.pld);
    expect(pld).toBeLessThan(rdp);
    const prompt = question("differential-privacy", "tight-accounting").prompt;
    expect(prompt).toContain(`ε = ${LESSON_NUMBERS.pld}`);
    expect(prompt).toContain(`ε ≥ ${LESSON_NUMBERS.audit}`);
    // The audit of lesson 04's cell, rerun: its bound is the one the question quotes.
    await useBackend();
    const { customers, split } = collect().output;
    const features = engineerFeatures(anonymize(customers).output, { trainIndices: split.train });
    const x = split.train.map((i) => features.output.matrix[i]);
    const y = split.train.map((i) => features.output.labels[i]);
    const audited = await auditTrainingRun({ data: { x, y }, training: { noiseMultiplier: sigma, delta: LESSON_RUN.delta, epochs: 5, seed: 7 }, canaries: 1000 });
    expect(audited.trace.epsilonLowerBound.toFixed(2)).toBe(LESSON_NUMBERS.audit);
    expect(audited.trace.epsilonLowerBound).toBeLessThan(pld);
  }, 60_000);
});

describe("differential-privacy quiz", () => {
  it("checks ε against the accountant, and names the tempting wrong answers", () => {
    const q = question("differential-privacy", "epsilon-spent");
    const right = computeEpsilon({ sampleRate: 0.04, noiseMultiplier: 1.1, steps: 250, delta: 1e-5 }).epsilon;
    expect(statusOf(q, Number(right.toFixed(2))).status).toBe("correct");
    expect(statusOf(q, right + 0.05).status).toBe("incorrect");
    const unsampled = computeEpsilon({ sampleRate: 1, noiseMultiplier: 1.1, steps: 250, delta: 1e-5 }).epsilon;
    expect(statusOf(q, unsampled).message).toMatch(/without subsampling/);
    const oneStep = computeEpsilon({ sampleRate: 0.04, noiseMultiplier: 1.1, steps: 1, delta: 1e-5 }).epsilon;
    expect(statusOf(q, oneStep).message).toMatch(/single step/);
    expect(statusOf(q, "abc").message).toMatch(/finite number/);
  });

  const clip = (gradients: number[][], C: number) =>
    gradients.map((g) => {
      const n = Math.sqrt(g.reduce((s, x) => s + x * x, 0));
      return g.map((x) => x * (n > C ? C / n : 1));
    });

  it("passes a correct clip(), visible and hidden cases", () => {
    const result = statusOf(question("differential-privacy", "clip"), clip);
    expect(result.status).toBe("correct");
    expect(result.hidden).toBe(true);
    expect(result.casesRun).toBe(7);
  });

  it("fails the tempting wrong clips with the first failing case", () => {
    const q = question("differential-privacy", "clip");
    const byValue = (gradients: number[][], C: number) => gradients.map((g) => g.map((x) => Math.max(-C, Math.min(C, x))));
    const wrong = statusOf(q, byValue);
    expect(wrong.status).toBe("incorrect");
    expect(wrong.failingCase?.name).toBe("one long vector");
    expect(wrong.message).toMatch(/norm/);

    // Clipping the batch as a whole rather than each example.
    const wholeBatch = (gradients: number[][], C: number) => {
      const n = Math.sqrt(gradients.flat().reduce((s, x) => s + x * x, 0));
      return gradients.map((g) => g.map((x) => x * (n > C ? C / n : 1)));
    };
    expect(statusOf(q, wholeBatch).status).toBe("incorrect");

    // Ignores the zero vector: divides by a zero norm (NaN) — caught only by a hidden case.
    const noZeroGuard = (gradients: number[][], C: number) =>
      gradients.map((g) => {
        const n = Math.sqrt(g.reduce((s, x) => s + x * x, 0));
        return g.map((x) => x * Math.min(1, C / n) * (n === 0 ? NaN : 1));
      });
    expect(statusOf(q, noZeroGuard, false).status).toBe("correct");
    expect(statusOf(q, noZeroGuard, true).status).toBe("incorrect");

    // A constant cannot pass: the cases expect different outputs.
    expect(statusOf(q, () => [[0.6, 0.8]]).status).toBe("incorrect");
    expect(statusOf(q, () => { throw new Error("boom"); }).failingCase?.got).toMatch(/boom/);
    expect(statusOf(q, () => { throw new Error("not implemented"); }).status).toBe("not-attempted");
    expect(statusOf(q, 42).message).toMatch(/Expected a function/);
  });

  it("accepts a calibrated σ and rejects too little or far too much noise", () => {
    const q = question("differential-privacy", "choose-sigma");
    const needed = calibrateNoise({ targetEpsilon: 2, delta: 1e-5, sampleRate: 64 / 800, steps: 130 }).noiseMultiplier;
    expect(statusOf(q, needed).status).toBe("correct");
    expect(statusOf(q, needed * 1.03).status).toBe("correct");
    expect(statusOf(q, needed * 0.9).message).toMatch(/more noise is needed/);
    expect(statusOf(q, needed * 2).message).toMatch(/more noise than needed/);
    expect(statusOf(q, -1).message).toMatch(/positive number/);
  });
});

describe("anonymisation quiz", () => {
  it("identifies the quasi-identifiers", () => {
    const q = question("anonymisation", "quasi-identifiers");
    expect(statusOf(q, "B").status).toBe("correct");
    expect(statusOf(q, "D").message).toMatch(/linkage/);
  });

  it("checks identifier removal by behaviour, including a phone column only in hidden cases", () => {
    const q = question("anonymisation", "drop-identifiers");
    const right = (rows: Record<string, unknown>[]) => rows.map(({ name, email, phone, ...rest }) => rest);
    expect(statusOf(q, right).status).toBe("correct");

    const forgetsPhone = (rows: Record<string, unknown>[]) => rows.map(({ name, email, ...rest }) => rest);
    const phone = statusOf(q, forgetsPhone);
    expect(phone.status).toBe("incorrect");
    expect(phone.message).toMatch(/phone/);

    const hashes = (rows: Record<string, unknown>[]) => rows.map((r) => ({ ...r, name: `${r.name}`.toUpperCase() }));
    expect(statusOf(q, hashes).message).toMatch(/still contains its name/);

    const dropsAge = (rows: Record<string, unknown>[]) => rows.map(({ name, email, phone, age, ...rest }) => rest);
    expect(statusOf(q, dropsAge).message).toMatch(/"age"/);
    expect(statusOf(q, () => []).status).toBe("incorrect");
  });

  it("accepts only removal or a keyed pseudonym, and rejects the tempting rewrites, hidden cases included", () => {
    const q = question("anonymisation", "drop-identifiers");
    type Row = Record<string, string | number>;
    const identifiers = ["name", "email", "phone"] as const;
    const replace = (f: (value: string, key: string) => string) => (rows: Row[], key: string) =>
      rows.map((r) => Object.fromEntries(Object.entries(r).map(([c, v]) => [c, (identifiers as readonly string[]).includes(c) ? f(String(v), key) : v])));
    // Right: keyed pseudonyms (the library's HMAC, or one written by hand), or a constant mask that carries nothing.
    expect(statusOf(q, replace((v, key) => pseudonym(v, key))).status).toBe("correct");
    expect(statusOf(q, replace((v, key) => createHmac("sha256", key).update(v).digest("hex"))).status).toBe("correct");
    expect(statusOf(q, replace(() => "[removed]")).status).toBe("correct");
    // Wrong, each with its reason.
    const reversedNames = statusOf(q, replace((v) => [...v].reverse().join("")));
    expect(reversedNames.status).toBe("incorrect");
    expect(reversedNames.message).toMatch(/reversed/);
    const spelledOut = statusOf(q, (rows: Row[]) => rows.map(({ name, phone, email, ...rest }) => ({ ...rest, email: String(email).replace("@", " at ") })));
    expect(spelledOut.status).toBe("incorrect");
    expect(spelledOut.message).toMatch(/still shows/);
    const sha256 = statusOf(q, replace((v) => createHash("sha256").update(v).digest("hex")));
    expect(sha256.status).toBe("incorrect");
    expect(sha256.message).toMatch(/unkeyed hash/);
    const sha256Normalised = statusOf(q, replace((v) => createHash("sha256").update(v.trim().toLowerCase()).digest("base64")));
    expect(sha256Normalised.message).toMatch(/unkeyed hash/);
    // An unkeyed code no list of hashes knows is still caught: it does not change with the key.
    const homeMade = replace((v) => [...v].reduce((h, ch) => (h * 31 + ch.charCodeAt(0)) >>> 0, 7).toString(36));
    expect(statusOf(q, homeMade).message).toMatch(/without the key/);
    // A masked phone still shows its digits.
    const masksPhone = (rows: Row[]) => rows.map(({ name, email, ...rest }) => ("phone" in rest ? { ...rest, phone: String(rest.phone).replace(/\d(?=\d{4})/g, "*") } : rest));
    expect(statusOf(q, masksPhone).status).toBe("incorrect");
    // The same rewrites fail on the visible cases alone, where a learner sees them.
    expect(statusOf(q, replace((v) => createHash("sha256").update(v).digest("hex")), false).status).toBe("incorrect");
  });
});

describe("k-anonymity quiz", () => {
  it("takes the smallest class of VISITS as k and names the tempting wrong counts", () => {
    const q = question("k-anonymity", "compute-k");
    expect(statusOf(q, 2).status).toBe("correct");
    expect(statusOf(q, "2").status).toBe("correct");
    expect(statusOf(q, 5).message).toMatch(/number of equivalence classes/);
    expect(statusOf(q, 6).message).toMatch(/largest class/);
    expect(statusOf(q, 3).message).toMatch(/each quasi-identifier on its own/);
    expect(statusOf(q, 1).status).toBe("incorrect");
  });

  type Row = Record<string, string | number>;
  const decade = (age: number) => `[${Math.floor(age / 10) * 10}, ${Math.floor(age / 10) * 10 + 9}]`;
  const keyOf = (r: Row) => `${r.age}|${r.location}`;
  const suppressSmall = (rows: Row[], k: number) => {
    const sizes = new Map<string, number>();
    for (const r of rows) sizes.set(keyOf(r), (sizes.get(keyOf(r)) ?? 0) + 1);
    return rows.filter((r) => sizes.get(keyOf(r))! >= k);
  };
  const ladder = [
    (r: Row) => ({ ...r, age: decade(r.age as number) }),
    (r: Row) => ({ ...r, age: decade(r.age as number), location: REGIONS[r.location as string] }),
    (r: Row) => ({ ...r, age: "*", location: REGIONS[r.location as string] }),
    (r: Row) => ({ ...r, age: "*", location: "*" }),
  ];
  const right = (rows: Row[]) => {
    for (const generalise of ladder.slice(0, 3)) {
      const kept = suppressSmall(rows.map(generalise), 3);
      if (kept.length >= 0.8 * rows.length && informationLoss(rows, kept) <= 0.7) return kept;
    }
    return null;
  };
  // The old ladder: ends in "everything *", which is 3-anonymous and useless.
  const toTheBottom = (rows: Row[]) => {
    for (const generalise of ladder) {
      const kept = suppressSmall(rows.map(generalise), 3);
      if (kept.length >= 0.8 * rows.length) return kept;
    }
    return [];
  };

  it("measures information loss as stated: 0 exact, age width / 100, region (towns − 1) / 5, \"*\" and suppression 1", () => {
    const rows: Row[] = [{ id: 1, age: 31, location: "Northfield" }, { id: 2, age: 45, location: "Southbury" }];
    expect(informationLoss(rows, rows)).toBe(0);
    expect(informationLoss(rows, [{ id: 1, age: "[30, 39]", location: "North" }, { id: 2, age: "*", location: "South" }])).toBeCloseTo((0.09 + 0.2 + 1 + 0) / 4, 12);
    expect(informationLoss(rows, [{ id: 1, age: "*", location: "*" }])).toBe(1);
    expect(informationLoss(rows, rows.map((r) => ({ ...r, age: "*", location: "*" })))).toBe(1);
  });

  it("accepts a generalise-then-suppress ladder on every case, hidden ones included", () => {
    const result = statusOf(question("k-anonymity", "make-3-anonymous"), right);
    expect(result.status).toBe("correct");
    expect(result.hidden).toBe(true);
    expect(result.casesRun).toBe(5);
  });

  it("rejects the tempting shortcuts with the reason", () => {
    const q = question("k-anonymity", "make-3-anonymous");
    // Suppression only: 3-anonymous, but most rows gone.
    expect(statusOf(q, (rows: Row[]) => suppressSmall(rows, 3)).message).toMatch(/You kept \d+ of 12 rows/);
    // Unchanged: a class of one.
    expect(statusOf(q, (rows: Row[]) => rows).message).toMatch(/Not 3-anonymous: the combination \(age 31, location "Northfield"\) has only 1 row/);
    // Everything "*": 3-anonymous, within the suppression limit, and useless: the loss limit rejects it.
    const starred = statusOf(q, (rows: Row[]) => rows.map((r) => ({ ...r, age: "*", location: "*" })));
    expect(starred.status).toBe("incorrect");
    expect(starred.message).toMatch(/information loss 1\.00 > 0\.7/);
    // A ladder that falls through to "everything *" passes what it can, and fails where null is right.
    expect(statusOf(q, toTheBottom, false).status).toBe("correct");
    expect(statusOf(q, toTheBottom, true).message).toMatch(/loses too much.*return null/);
    // null where a useful release exists is not an answer either.
    expect(statusOf(q, () => null).message).toMatch(/A release within both limits exists/);
    // Padding classes with copies fabricates people.
    const padded = (rows: Row[]) => [...rows, ...rows, ...rows].map(ladder[3]);
    expect(statusOf(q, padded).message).toMatch(/appears twice/);
    // An interval that does not contain the true age.
    expect(statusOf(q, (rows: Row[]) => rows.map((r) => ({ ...r, age: "[0, 9]", location: "*" }))).message).toMatch(/does not cover the true age/);
    // A made-up region, a changed non-quasi column, a lost id.
    expect(statusOf(q, (rows: Row[]) => rows.map((r) => ({ ...r, age: "*", location: "Elsewhere" }))).message).toMatch(/neither the town/);
    expect(statusOf(q, (rows: Row[]) => rows.map((r) => ({ ...ladder[3](r), diagnosis: "flu" }))).message).toMatch(/changed "diagnosis"/);
    expect(statusOf(q, (rows: Row[]) => rows.map(({ id, ...rest }) => ladder[3](rest))).message).toMatch(/not in the table/);
    // One fixed level only works on the visible cases, not on every hidden table.
    const decadesAndRegions = (rows: Row[]) => suppressSmall(rows.map(ladder[1]), 3);
    expect(statusOf(q, decadesAndRegions, false).status).toBe("correct");
    expect(statusOf(q, decadesAndRegions, true).status).toBe("incorrect");
    // A constant cannot pass.
    expect(statusOf(q, () => []).status).toBe("incorrect");
  });
});

import { summariseRoc } from "../../src/attacks/roc";
import { epsilonLowerBoundFromCounts } from "../../src/audit/hypothesisTest";
import { exposure } from "../../src/memorisation/exposure";
import { advantageIgnoringTies } from "../../quizzes/hospital-attacks";
import { PIPELINE_RUN } from "../../quizzes/privacy-budgets";
import { groupCostOfPrivacy } from "../../src/experiments/groupCost";
import { defaultPipelineSigma } from "../../quizzes/welcome";


/** A right answer passes every case, hidden ones included. */
function expectFullMarks(q: Question, answer: unknown, cases: number) {
  const result = statusOf(q, answer);
  expect(result.status).toBe("correct");
  expect(result.hidden).toBe(true);
  expect(result.casesRun).toBe(cases);
}

describe("welcome quiz", () => {
  it("asks what ε bounds, and explains the ε-is-noise confusion", () => {
    const q = question("welcome", "epsilon-meaning");
    expect(statusOf(q, "C").status).toBe("correct");
    expect(statusOf(q, "D").message).toMatch(/confuses ε with σ/);
    expect(statusOf(q, "B").message).toMatch(/Nobody is removed/);
  });

  it("takes the pipeline's calibrated σ, not ε or the baseline's 0", () => {
    const q = question("welcome", "noise-multiplier");
    const sigma = calibrateNoise({ targetEpsilon: 1, delta: 1e-5, sampleRate: 128 / 800, steps: 30 }).noiseMultiplier;
    expect(defaultPipelineSigma()).toBe(sigma);
    expect(statusOf(q, Number(sigma.toFixed(3))).status).toBe("correct");
    expect(statusOf(q, sigma * 1.01).status).toBe("incorrect");
    expect(statusOf(q, 1).message).toMatch(/That is ε/);
    expect(statusOf(q, 0).message).toMatch(/non-private baseline/);
  });
});

describe("data-collection quiz", () => {
  type Row = Record<string, string | number>;
  const right = (rows: Row[], columns: string[]) => {
    const key = (r: Row) => JSON.stringify(columns.map((c) => r[c]));
    const counts = new Map<string, number>();
    for (const r of rows) counts.set(key(r), (counts.get(key(r)) ?? 0) + 1);
    return rows.filter((r) => counts.get(key(r)) === 1).length;
  };

  it("explains why a purchase history identifies", () => {
    const q = question("data-collection", "purchase-history");
    expect(statusOf(q, "B").status).toBe("correct");
    expect(statusOf(q, "A").message).toMatch(/Numbers identify too/);
  });

  it("passes a correct uniqueRows on visible and hidden cases", () => {
    expectFullMarks(question("data-collection", "unique-rows"), right, 6);
  });

  it("names the tempting wrong counts", () => {
    const q = question("data-collection", "unique-rows");
    const distinct = (rows: Row[], columns: string[]) => new Set(rows.map((r) => JSON.stringify(columns.map((c) => r[c])))).size;
    expect(statusOf(q, distinct).message).toMatch(/distinct combinations/);
    expect(statusOf(q, (rows: Row[], columns: string[]) => right(rows, columns.slice(0, 1))).message).toMatch(/first column only/);
    // Keys without a separator pass the visible cases and collide on a hidden one.
    const runTogether = (rows: Row[], columns: string[]) => {
      const key = (r: Row) => columns.map((c) => r[c]).join("");
      return rows.filter((r) => rows.filter((o) => key(o) === key(r)).length === 1).length;
    };
    expect(statusOf(q, runTogether, false).status).toBe("correct");
    const hidden = statusOf(q, runTogether, true);
    expect(hidden.failingCase?.name).toBe("values that run together");
    expect(hidden.message).toMatch(/same key/);
    expect(statusOf(q, () => 3).status).toBe("incorrect");
  });

  it("counts the customers unique on (age, location) and names the per-column counts", () => {
    const q = question("data-collection", "unique-customers");
    const { customers } = collect().output;
    const rows = customers as unknown as Row[];
    expect(statusOf(q, right(rows, ["age", "location"])).status).toBe("correct");
    expect(statusOf(q, right(rows, ["age"])).message).toMatch(/age alone/);
    expect(statusOf(q, right(rows, ["location"])).message).toMatch(/location alone/);
    expect(statusOf(q, new Set(customers.map((c) => `${c.age}|${c.location}`)).size).message).toMatch(/distinct/);
  });
});

describe("feature-engineering quiz", () => {
  const standardise = (values: number[], train: number[], { sample = false } = {}) => {
    const xs = train.map((i) => values[i]);
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
    const std = Math.sqrt(xs.reduce((s, x) => s + (x - mean) ** 2, 0) / (xs.length - (sample ? 1 : 0)));
    return values.map((x) => (x - mean) / std);
  };

  it("explains why the scaler is fitted on the training rows", () => {
    const q = question("feature-engineering", "fit-on-train");
    expect(statusOf(q, "B").status).toBe("correct");
    expect(statusOf(q, "D").message).toMatch(/never changes the shape/);
  });

  it("passes a correct standardise, hidden cases included", () => {
    expectFullMarks(question("feature-engineering", "standardise"), (v: number[], t: number[]) => standardise(v, t), 5);
  });

  it("names leaking test rows, the sample std, prefix rows and a missing division", () => {
    const q = question("feature-engineering", "standardise");
    expect(statusOf(q, (v: number[]) => standardise(v, v.map((_, i) => i))).message).toMatch(/include the test rows/);
    expect(statusOf(q, (v: number[], t: number[]) => standardise(v, t, { sample: true })).message).toMatch(/n − 1/);
    const prefix = (v: number[], t: number[]) => standardise(v, t.map((_, i) => i));
    expect(statusOf(q, prefix, false).status).toBe("correct");
    expect(statusOf(q, prefix, true).message).toMatch(/rows listed in trainIndices/);
    const centred = (v: number[], t: number[]) => {
      const mean = t.reduce((s, i) => s + v[i], 0) / t.length;
      return v.map((x) => x - mean);
    };
    expect(statusOf(q, centred).message).toMatch(/centred but not scaled/);
    expect(statusOf(q, (v: number[], t: number[]) => t.map((i) => standardise(v, t)[i])).message).toMatch(/one value per row/);
    expect(statusOf(q, () => [0, 0, 0, 0, 0]).status).toBe("incorrect");
  });

  it("standardises a recency of 300 days with the training scaler", () => {
    const q = question("feature-engineering", "standardised-recency");
    const { customers, split } = collect().output;
    const anonymised = anonymize(customers).output;
    const scalerOn = (rows: number[]) => engineerFeatures(anonymised, { trainIndices: rows }).output.scaler;
    const j = FEATURE_NAMES.indexOf("recencyDays");
    const train = scalerOn(split.train);
    const all = scalerOn(customers.map((_, i) => i));
    const z = (300 - train.means[j]) / train.stds[j];
    expect(statusOf(q, Number(z.toFixed(2))).status).toBe("correct");
    expect(statusOf(q, 300).message).toMatch(/raw feature/);
    expect(statusOf(q, 300 - train.means[j]).message).toMatch(/centred but not scaled/);
    expect(statusOf(q, (300 - all.means[j]) / all.stds[j]).message).toMatch(/all 1000 customers/);
  });
});

describe("privacy-budgets quiz", () => {
  type Run = { sampleRate: number; steps: number; delta: number };
  const epsilonOf = (sigma: number, run: Run) => computeEpsilon({ ...run, noiseMultiplier: sigma }).epsilon;
  const right = (sigmas: number[], target: number, run: Run) => {
    const enough = sigmas.filter((s) => epsilonOf(s, run) <= target);
    return enough.length === 0 ? null : Math.min(...enough);
  };

  it("states the default pipeline's run", () => {
    expect(calibrateNoise({ targetEpsilon: 1, ...PIPELINE_RUN }).noiseMultiplier).toBe(defaultPipelineSigma());
  });

  it("asks about the group table lesson 06 prints, with its numbers, and explains the overlap", async () => {
    const q = question("privacy-budgets", "who-pays");
    if (q.kind !== "choice") throw new Error("who-pays should be a choice question");
    const { output } = await groupCostOfPrivacy({ epsilon: 0.1, seeds: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10] });
    const points = (x: number) => (100 * x).toFixed(1);
    for (const name of ["rural", "metro"]) {
      const row = output.find((r) => r.group === name)!;
      expect(q.prompt).toContain(`${name} customers (${row.trainPeople} training people, ${row.testPeople} test people) lost ${points(row.drop)}`);
      expect(q.prompt).toContain(`[${points(row.interval.low)}, ${points(row.interval.high)}]`);
    }
    const [rural, metro] = ["rural", "metro"].map((g) => output.find((r) => r.group === g)!);
    // What answer B says: both above 0, and overlapping.
    expect(rural.interval.low > 0 && metro.interval.low > 0).toBe(true);
    expect(rural.interval.low < metro.interval.high).toBe(true);
    expect(statusOf(q, "B").status).toBe("correct");
    expect(statusOf(q, "A").message).toMatch(/overlap/);
    expect(statusOf(q, "D").message).toMatch(/same ε for every person/);
  }, 120_000);

  it("explains that ε covers the whole run", () => {
    const q = question("privacy-budgets", "more-epochs");
    expect(statusOf(q, "B").status).toBe("correct");
    expect(statusOf(q, "A").message).toMatch(/whole training run/);
    expect(statusOf(q, "D").message).toMatch(/recalibrates σ/);
  });

  it("passes a correct smallestSigma, hidden cases included", () => {
    expectFullMarks(question("privacy-budgets", "smallest-sigma"), right, 6);
  });

  it("rejects too little noise, more than needed, a grid taken in order, and a missing null", () => {
    const q = question("privacy-budgets", "smallest-sigma");
    const largest = (sigmas: number[]) => Math.max(...sigmas);
    expect(statusOf(q, largest).message).toMatch(/meets the target .* but σ = 3 does too/);
    const closest = (sigmas: number[], target: number, run: Run) =>
      sigmas.reduce((a, b) => (Math.abs(epsilonOf(b, run) - target) < Math.abs(epsilonOf(a, run) - target) ? b : a));
    expect(statusOf(q, closest).message).toMatch(/σ = 2 spends ε = 2\.382 > 2/);
    const firstInOrder = (sigmas: number[], target: number, run: Run) => sigmas.find((s) => epsilonOf(s, run) <= target) ?? null;
    expect(statusOf(q, firstInOrder, false).status).toBe("correct");
    expect(statusOf(q, firstInOrder, true).failingCase?.name).toBe("a grid out of order");
    const neverNull = (sigmas: number[], target: number, run: Run) => right(sigmas, target, run) ?? Math.max(...sigmas);
    expect(statusOf(q, neverNull).message).toMatch(/not enough noise/);
    const calibrated = (_: number[], target: number, run: Run) => calibrateNoise({ targetEpsilon: target, ...run }).noiseMultiplier;
    expect(statusOf(q, calibrated).message).toMatch(/one of the grid's σ values/);
    expect(statusOf(q, () => null).message).toMatch(/return it rather than null/);
  });

  it("computes ε at δ = 10⁻³ for the same σ and names the tempting answers", () => {
    const q = question("privacy-budgets", "delta-trade");
    const sigma = calibrateNoise({ targetEpsilon: 1, ...PIPELINE_RUN }).noiseMultiplier;
    const eps = epsilonOf(sigma, { ...PIPELINE_RUN, delta: 1e-3 });
    expect(statusOf(q, Number(eps.toFixed(2))).status).toBe("correct");
    expect(statusOf(q, 1).message).toMatch(/ε depends on δ/);
    // δ is additive slack, not a probability that the bound fails.
    expect(statusOf(q, 1).message).toMatch(/additive slack/);
    expect(statusOf(q, 1).message).not.toMatch(/guarantee fails|bound fails/);
    expect(statusOf(q, sigma).message).toMatch(/That is σ/);
    expect(statusOf(q, calibrateNoise({ targetEpsilon: 1, ...PIPELINE_RUN, delta: 1e-3 }).noiseMultiplier).message).toMatch(/keeps σ/);
  });
});

describe("hospital-attacks quiz", () => {
  const right = (scores: number[], isMember: number[]) => {
    const members = isMember.filter((m) => m === 1).length;
    const nonMembers = isMember.length - members;
    let best = 0;
    for (const t of scores) {
      const tp = scores.filter((s, i) => s >= t && isMember[i] === 1).length;
      const fp = scores.filter((s, i) => s >= t && isMember[i] === 0).length;
      best = Math.max(best, tp / members - fp / nonMembers);
    }
    return best;
  };

  it("explains why to read attacks at a low FPR", () => {
    const q = question("hospital-attacks", "low-fpr");
    expect(statusOf(q, "B").status).toBe("correct");
    expect(statusOf(q, "C").message).toMatch(/proves nothing/);
  });

  it("passes a correct advantage, which is the library's maxAdvantage", () => {
    expectFullMarks(question("hospital-attacks", "advantage"), right, 6);
    const scores = [0.3, -1, 2, 0.3, 0.5];
    const isMember = [1, 0, 1, 0, 0];
    expect(right(scores, isMember)).toBeCloseTo(summariseRoc(isMember, scores).maxAdvantage, 12);
  });

  it("names the wrong direction, split ties, accuracy and counts", () => {
    const q = question("hospital-attacks", "advantage");
    expect(statusOf(q, (s: number[], m: number[]) => right(s.map((x) => -x), m)).message).toMatch(/score ≥ threshold, not ≤/);
    // Sweeping one row at a time puts a threshold between tied scores.
    const splitTies = advantageIgnoringTies;
    expect(statusOf(q, splitTies, false).status).toBe("correct");
    const tied = statusOf(q, splitTies, true);
    expect(tied.failingCase?.name).toBe("tied scores");
    expect(tied.message).toMatch(/same score must be counted together/);
    const accuracy = (s: number[], m: number[]) =>
      Math.max(...[Infinity, ...s].map((t) => s.filter((x, i) => (x >= t ? 1 : 0) === m[i]).length / s.length));
    expect(statusOf(q, accuracy).message).toMatch(/best accuracy/);
    const counts = (s: number[], m: number[]) =>
      Math.max(0, ...s.map((t) => s.filter((x, i) => x >= t && m[i] === 1).length - s.filter((x, i) => x >= t && m[i] === 0).length));
    expect(statusOf(q, counts).message).toMatch(/subtracts counts/);
    expect(statusOf(q, () => 0.5).status).toBe("incorrect");
  });

  it("takes the exposure in bits and names log e, the raw rank and rank 1", () => {
    const q = question("hospital-attacks", "exposure");
    expect(statusOf(q, Number(exposure(3, 210).toFixed(2))).status).toBe("correct");
    expect(statusOf(q, Math.log(70)).message).toMatch(/natural logarithm/);
    expect(statusOf(q, Math.log2(210) - 3).message).toMatch(/not the rank itself/);
    expect(statusOf(q, Math.log2(210)).message).toMatch(/maximum exposure/);
  });
});

describe("auditing quiz", () => {
  const right = (fpr: number, fnr: number, delta: number) =>
    Math.max(0, Math.log((1 - delta - fpr) / fnr), Math.log((1 - delta - fnr) / fpr));

  it("passes the two-inequality bound on visible and hidden cases", () => {
    expectFullMarks(question("auditing", "epsilon-from-rates"), right, 6);
  });

  it("names one inequality, a negative bound, a forgotten δ and log₂", () => {
    const q = question("auditing", "epsilon-from-rates");
    const fprSide = (fpr: number, fnr: number, delta: number) => Math.max(0, Math.log((1 - delta - fpr) / fnr));
    expect(statusOf(q, fprSide).message).toMatch(/Use both inequalities/);
    const unclamped = (fpr: number, fnr: number, delta: number) =>
      Math.max(Math.log((1 - delta - fpr) / fnr), Math.log((1 - delta - fnr) / fpr));
    expect(statusOf(q, unclamped, false).status).toBe("correct");
    expect(statusOf(q, unclamped, true).message).toMatch(/never negative/);
    const noDelta = (fpr: number, fnr: number) => right(fpr, fnr, 0);
    expect(statusOf(q, noDelta, true).message).toMatch(/Subtract δ/);
    expect(statusOf(q, (fpr: number, fnr: number, delta: number) => right(fpr, fnr, delta) / Math.LN2).message).toMatch(/natural logarithm/);
    expect(statusOf(q, () => 3.5553337756730863).status).toBe("incorrect");
  });

  it("takes the Clopper–Pearson bound, not the face-value estimate", () => {
    const q = question("auditing", "audit-bound");
    const bound = epsilonLowerBoundFromCounts({ truePositives: 170, falseNegatives: 30, trueNegatives: 190, falsePositives: 10 }, { delta: 1e-5 });
    expect(statusOf(q, Number(bound.epsilonLowerBound.toFixed(2))).status).toBe("correct");
    expect(statusOf(q, bound.pointEstimate).message).toMatch(/face value/);
    expect(statusOf(q, Math.log((1 - 1e-5 - bound.fprUpper) / bound.fnrUpper)).message).toMatch(/only one of the two inequalities/);
  });

  it("reads an audit as a lower bound that can only refute", () => {
    const q = question("auditing", "what-an-audit-shows");
    expect(statusOf(q, "C").status).toBe("correct");
    expect(statusOf(q, "A").message).toMatch(/lower bound/);
    expect(statusOf(q, "B").message).toMatch(/only refute/);
  });
});

describe("gan-iteration quiz", () => {
  it("explains why the generator inherits ε, and why the tempting answers do not", () => {
    const q = question("gan-iteration", "who-is-covered");
    expect(statusOf(q, "A").status).toBe("correct");
    // "Every released row, fully" is what the trace's notes contradict.
    expect(statusOf(q, "B").message).toMatch(/not fully covered/);
    expect(statusOf(q, "C").message).toMatch(/not calibrated/);
    expect(statusOf(q, "D").message).toMatch(/post-processing/);
  });

  it("asks what covers a tuned release: composition for the runs, nothing for a noiseless choice", () => {
    const q = question("gan-iteration", "private-tuning");
    expect(statusOf(q, "C").status).toBe("correct");
    expect(statusOf(q, "A").message).toMatch(/compose/);
    expect(statusOf(q, "B").message).toMatch(/outside ε/);
    expect(statusOf(q, "D").message).toMatch(/Papernot & Steinke/);
  });

  it("checks distanceToClosest on hidden cases and names squared distances and index-matching", () => {
    const q = question("gan-iteration", "distance-to-closest");
    const distance = (a: number[], b: number[]) => Math.sqrt(a.reduce((s, x, j) => s + (x - b[j]) ** 2, 0));
    const right = (s: number[][], t: number[][]) => s.map((row) => Math.min(...t.map((r) => distance(row, r))));
    expect(statusOf(q, right).status).toBe("correct");
    const squared = (s: number[][], t: number[][]) => s.map((row) => Math.min(...t.map((r) => distance(row, r) ** 2)));
    expect(statusOf(q, squared).message).toMatch(/squared/);
    const sameIndex = (s: number[][], t: number[][]) => s.map((row, i) => distance(row, t[Math.min(i, t.length - 1)]));
    expect(statusOf(q, sameIndex).message).toMatch(/same index/);
    // Passes the visible cases only (hard-coded answers): the hidden cases catch it.
    const memorised = (s: number[][]) => (s.length === 1 ? [0] : [1, Math.sqrt(18)]);
    expect(statusOf(q, memorised, false).status).toBe("correct");
    expect(statusOf(q, memorised, true).status).toBe("incorrect");
  });

  it("wants the accountant's ε for the discriminator's 500 steps, and names counting generator steps", () => {
    const q = question("gan-iteration", "gan-epsilon");
    const eps = (steps: number, q0 = 128 / 800) => computeEpsilon({ sampleRate: q0, noiseMultiplier: 2, steps, delta: 1e-5 }).epsilon;
    expect(statusOf(q, eps(500)).status).toBe("correct");
    expect(statusOf(q, eps(1000)).message).toMatch(/generator's steps/);
    expect(statusOf(q, eps(500, 1)).message).toMatch(/subsampling/);
    expect(statusOf(q, eps(500) + 0.5).status).toBe("incorrect");
  });
});

describe("accurate-trends quiz", () => {
  const recall = (labels: number[], predictions: number[], groups: string[]) => {
    const buyers: Record<string, number> = {};
    const found: Record<string, number> = {};
    labels.forEach((y, i) => {
      if (y !== 1) return;
      buyers[groups[i]] = (buyers[groups[i]] ?? 0) + 1;
      found[groups[i]] = (found[groups[i]] ?? 0) + (predictions[i] === 1 ? 1 : 0);
    });
    return Object.fromEntries(Object.keys(buyers).map((g) => [g, found[g] / buyers[g]]));
  };

  it("accepts recall per group in any key order and names accuracy and precision", () => {
    const q = question("accurate-trends", "recall-by-group");
    expect(statusOf(q, recall).status).toBe("correct");
    const reversed = (...args: [number[], number[], string[]]) => Object.fromEntries(Object.entries(recall(...args)).reverse());
    expect(statusOf(q, reversed).status).toBe("correct");
    const accuracy = (labels: number[], predictions: number[], groups: string[]) => {
      const right: Record<string, number> = {};
      const all: Record<string, number> = {};
      labels.forEach((y, i) => {
        all[groups[i]] = (all[groups[i]] ?? 0) + 1;
        right[groups[i]] = (right[groups[i]] ?? 0) + (y === predictions[i] ? 1 : 0);
      });
      return Object.fromEntries(Object.keys(all).map((g) => [g, right[g] / all[g]]));
    };
    expect(statusOf(q, accuracy).message).toMatch(/accuracy per group/);
    const constant = () => ({ a: 0.5, b: 1 });
    expect(statusOf(q, constant).status).toBe("incorrect");
  });

  it("wants a test before calling a 20-person gap a bias; the interval in the feedback is Wilson's", () => {
    const q = question("accurate-trends", "is-it-a-bias");
    expect(statusOf(q, "B").status).toBe("correct");
    expect(statusOf(q, "A").message).toMatch(/48 %–86 %|48 %–85 %/);
    // 17 of 20 right is 85 %, the other group's rate: three more answers close all of the gap, not half.
    expect(statusOf(q, "A").message).toMatch(/^3 more right answers \(17 of 20\) would close the whole gap/);
    expect(17 / 20).toBeGreaterThanOrEqual(153 / 180);
  });

  it("wants the gap in accuracy points and names people and proportions", () => {
    const q = question("accurate-trends", "tstr-gap");
    expect(statusOf(q, 6).status).toBe("correct");
    expect(statusOf(q, 12).message).toMatch(/people/);
    expect(statusOf(q, 0.06).message).toMatch(/proportion/);
  });
});
