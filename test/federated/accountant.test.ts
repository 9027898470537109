import { beforeAll, describe, expect, it } from "vitest";
import { UTTERANCE_WORDS, loadUtterances } from "../../src/data/utterances";
import { createNextWordModel, encodeUtterances, trainCentral, trainFederated, type Client } from "../../src/federated";
import { accountantFor } from "../../src/privacy/accountant";
import { useBackend } from "../../src/runtime/tensorflow";
import { expectInputErrorAsync } from "../helpers/expectInputError";

beforeAll(async () => {
  await useBackend();
});

const dataset = loadUtterances();
const model = createNextWordModel({ words: UTTERANCE_WORDS, seed: 3 });
const clients: Client[] = dataset.users.slice(0, 30).map((u) => ({ userId: u.userId, examples: encodeUtterances(model, u.utterances) }));
const delta = 1e-5;

/** ε of an event under a fresh accountant of the given kind. */
function epsilonOf(kind: "rdp" | "pld", event: Parameters<ReturnType<typeof accountantFor>["compose"]>[0]): number {
  const accountant = accountantFor(kind);
  accountant.compose(event);
  return accountant.getEpsilon(delta).epsilon;
}

describe("the accountant choice of the federated case", () => {
  const settings = { rounds: 4, usersPerRound: 6, epsilon: 3, delta, localSteps: 1, seed: 5 };

  it("accounts DP-FedAvg with PLD per user: ε within the target and at most the RDP ε of the same rounds, with less noise than RDP needs", async () => {
    const byPld = (await trainFederated(model, clients, { ...settings, accountant: "pld" })).trace;
    const byRdp = (await trainFederated(model, clients, settings)).trace;
    const pld = byPld.privacy!;
    const rdp = byRdp.privacy!;
    expect(pld.accountant).toBe("pld");
    expect(pld.accountantDetails).toMatchObject({ kind: "pld", unit: "user", neighbouring: "add-remove" });
    expect(pld.accountantName).toMatch(/^PLD .*pessimistic/);
    expect(pld.order).toBeNull();
    expect(byPld.notes[0]).toMatch(/from the PLD .* accountant over 4 rounds/);
    expect(byPld.options.accountant).toBe("pld");
    expect(rdp.accountant).toBe("rdp");
    expect(rdp.accountantDetails).toMatchObject({ kind: "rdp", unit: "user" });
    expect(typeof rdp.order).toBe("number");

    expect(pld.epsilon).toBeLessThanOrEqual(3);
    expect(pld.epsilon).toBeGreaterThan(2.9);
    // The same run (its own σ, q and rounds) measured by RDP: PLD's ε is no larger.
    expect(pld.event).toEqual({
      kind: "selfComposed",
      count: 4,
      event: { kind: "poissonSampled", sampleRate: 0.2, event: { kind: "gaussian", noiseMultiplier: pld.noiseMultiplier } },
    });
    expect(pld.epsilon).toBeCloseTo(epsilonOf("pld", pld.event), 10);
    expect(pld.epsilon).toBeLessThanOrEqual(epsilonOf("rdp", pld.event));
    // So PLD reaches the same target with less noise.
    expect(pld.noiseMultiplier).toBeLessThan(rdp.noiseMultiplier);
    // ε grows round by round to the reported one.
    const perRound = byPld.rounds.map((r) => r.epsilon!);
    expect(perRound).toEqual([...perRound].sort((a, b) => a - b));
    expect(perRound[3]).toBe(pld.epsilon);
  });

  it("accounts the example-level DP-SGD baseline with PLD per example", async () => {
    const pooled = encodeUtterances(model, dataset.users.slice(0, 10).flatMap((u) => u.utterances.slice(0, 8)));
    const options = { epsilon: 2, delta, epochs: 1, batchSize: 16, seed: 4 };
    const { trace } = await trainCentral(model, pooled, { ...options, accountant: "pld" });
    const privacy = trace.privacy!;
    expect(privacy).toMatchObject({ unit: "example", accountant: "pld", order: null });
    expect(privacy.accountantDetails).toMatchObject({ kind: "pld", unit: "example" });
    expect(privacy.event).toEqual({
      kind: "selfComposed",
      count: trace.steps,
      event: { kind: "poissonSampled", sampleRate: trace.sampleRate, event: { kind: "gaussian", noiseMultiplier: privacy.noiseMultiplier } },
    });
    expect(privacy.epsilon).toBeLessThanOrEqual(2);
    expect(privacy.epsilon).toBeLessThanOrEqual(epsilonOf("rdp", privacy.event));
    expect(trace.notes[0]).toMatch(/from the PLD .* accountant/);
  });

  it("rejects an unknown accountant by name before training", async () => {
    await expectInputErrorAsync(() => trainFederated(model, clients, { ...settings, accountant: "prv" as never }), "accountant", /one of rdp, pld/);
    const pooled = encodeUtterances(model, dataset.users[0].utterances);
    await expectInputErrorAsync(() => trainCentral(model, pooled, { epsilon: 1, batchSize: 4, accountant: "prv" as never }), "accountant", /one of rdp, pld/);
  });
});
