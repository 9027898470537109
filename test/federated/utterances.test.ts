import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import {
  SECRET_KINDS,
  UTTERANCES_CSV,
  UTTERANCE_SECRETS_JSON,
  UTTERANCE_WORDS,
  generateUtterances,
  loadUtterances,
  parseUtterancesCsv,
  secretSentence,
  utteranceDatasetFiles,
  writeUtteranceDataset,
} from "../../src/data/utterances";
import { boundContributions, splitUsers } from "../../src/federated/users";
import { expectInputError } from "../helpers/expectInputError";

const DATASETS = path.resolve(__dirname, "..", "..", "datasets");

describe("the utterance generator", () => {
  it("regenerates the committed files byte for byte", () => {
    const { csv, secretsJson } = utteranceDatasetFiles();
    expect(csv).toBe(fs.readFileSync(path.join(DATASETS, UTTERANCES_CSV), "utf8"));
    expect(secretsJson).toBe(fs.readFileSync(path.join(DATASETS, UTTERANCE_SECRETS_JSON), "utf8"));
  });

  it("round-trips through the files", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "utterances-"));
    const dataset = generateUtterances({ users: 40, seed: 3, secretRepeats: [5] });
    writeUtteranceDataset(dir, { users: 40, seed: 3, secretRepeats: [5] });
    expect(loadUtterances(dir)).toEqual(dataset);
  });

  it("is seeded: the same seed gives the same users, another seed other users", () => {
    expect(generateUtterances({ users: 30, seed: 1 })).toEqual(generateUtterances({ users: 30, seed: 1 }));
    expect(generateUtterances({ users: 30, seed: 2 }).users).not.toEqual(generateUtterances({ users: 30, seed: 1 }).users);
  });

  it("has heavy-tailed activity and secret holders who repeat their own secret", () => {
    const { users, secrets } = loadUtterances();
    const counts = users.map((u) => u.utterances.length).sort((a, b) => a - b);
    const median = counts[counts.length >> 1];
    expect(counts[counts.length - 1]).toBeGreaterThan(8 * median);
    expect(secrets.map((s) => s.kind)).toEqual(expect.arrayContaining(["phone", "address", "name"]));
    for (const s of secrets) {
      const sentence = secretSentence(s.kind, s.secret);
      const said = users.map((u) => u.utterances.filter((t) => t === sentence).length);
      const holder = users.findIndex((u) => u.userId === s.userId);
      expect(said[holder]).toBe(s.repeats);
      // Nobody else says this exact sentence more than once.
      expect(Math.max(...said.filter((_, i) => i !== holder))).toBeLessThanOrEqual(1);
    }
    const words = new Set(users.flatMap((u) => u.utterances.flatMap((t) => t.split(" "))));
    expect([...words].filter((w) => !UTTERANCE_WORDS.includes(w))).toEqual([]);
    expect(SECRET_KINDS.phone.slots).toHaveLength(4);
  });

  it("rejects bad options and malformed files with named errors", () => {
    expectInputError(() => generateUtterances({ users: 1 }), "users");
    expectInputError(() => generateUtterances({ users: 3, secretRepeats: [1, 1, 1] }), "secretRepeats");
    expectInputError(() => generateUtterances({ secretRepeats: [0] }), "secretRepeats[0]");
    expectInputError(() => generateUtterances({ personalMentionRate: 2 }), "personalMentionRate");
    expectInputError(() => parseUtterancesCsv("user,text\nu1,hello\n"), "header");
    expectInputError(() => parseUtterancesCsv("user_id,utterance\nu1,\n"), "line 2");
  });
});

describe("users: held out and contribution bounding", () => {
  const dataset = loadUtterances();

  it("holds out a seeded share of users, never a secret holder", () => {
    const { output, trace } = splitUsers(dataset, { heldOutShare: 0.2, seed: 7 });
    expect(output.heldOut).toHaveLength(60);
    expect(trace.trainUsers + trace.heldOutUsers).toBe(300);
    const held = new Set(output.heldOut.map((u) => u.userId));
    for (const s of dataset.secrets) expect(held.has(s.userId)).toBe(false);
    expect(splitUsers(dataset, { seed: 8 }).output.heldOut).not.toEqual(output.heldOut);
  });

  it("caps each user's utterances, keeps their order, and counts what it dropped", () => {
    const { output, trace } = boundContributions(dataset.users, { maxUtterancesPerUser: 20, seed: 7 });
    const total = dataset.users.reduce((s, u) => s + u.utterances.length, 0);
    output.forEach((u, i) => {
      const original = dataset.users[i].utterances;
      expect(u.utterances.length).toBe(Math.min(20, original.length));
      // A subsequence of the original, in order.
      let at = 0;
      for (const t of u.utterances) at = original.indexOf(t, at) + 1;
      expect(at).toBeGreaterThan(0);
    });
    const dropped = dataset.users.reduce((s, u) => s + Math.max(0, u.utterances.length - 20), 0);
    expect(trace.utterancesDropped).toBe(dropped);
    expect(trace.shareDropped).toBeCloseTo(dropped / total, 12);
    expect(trace.usersCapped).toBe(dataset.users.filter((u) => u.utterances.length > 20).length);
    expectInputError(() => boundContributions(dataset.users, { maxUtterancesPerUser: 0 }), "maxUtterancesPerUser");
  });
});
