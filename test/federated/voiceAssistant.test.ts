import { beforeAll, describe, expect, it } from "vitest";
import { runVoiceAssistantCase, type CaseModelResult } from "../../src/federated";
import { renderFederatedReport } from "../../src/render/text/federatedReport";

/**
 * One seeded run of the lesson's case (the committed 300 users, ε = 4, the course's settings):
 * the three models side by side.
 */
let results: Record<string, CaseModelResult>;
let report: string;

beforeAll(async () => {
  const { trace } = await runVoiceAssistantCase();
  results = Object.fromEntries(trace.results.map((r) => [r.model, r]));
  report = renderFederatedReport(trace);
}, 300_000);

const meanExposure = (r: CaseModelResult) => r.exposures.reduce((s, e) => s + e.exposure, 0) / r.exposures.length;

describe("the voice-assistant case, seeded", () => {
  it("exposes the planted secrets most without privacy, less with example-level DP, least with user-level DP", () => {
    const [none, example, user] = [results.nonPrivate, results.exampleLevel, results.userLevel];
    expect(meanExposure(none)).toBeGreaterThan(meanExposure(example));
    expect(meanExposure(example)).toBeGreaterThan(meanExposure(user));
    // The most repeated secret (60 times, by one user) in the same order, secret by secret.
    const phone = (r: CaseModelResult) => r.exposures.find((e) => e.kind === "phone")!;
    expect(phone(none).exposure).toBeGreaterThan(phone(example).exposure);
    expect(phone(example).exposure).toBeGreaterThan(phone(user).exposure);
    // Without privacy the secret is the model's favourite number: rank 1, every bit exposed.
    expect(phone(none).rank).toBe(1);
    expect(phone(none).favourite).toEqual(phone(none).secret);
    expect(report).toContain("← THE SECRET");
  });

  it("keeps the user-level model's held-out accuracy within 0.15 of the non-private model's", () => {
    expect(results.userLevel.heldOut.accuracy).toBeGreaterThan(results.nonPrivate.heldOut.accuracy - 0.15);
    // …and it did learn: far above always predicting the most common word.
    expect(results.userLevel.heldOut.accuracy).toBeGreaterThan(0.4);
  });

  it("states each guarantee with its unit, both within the target ε", () => {
    expect(results.nonPrivate.privacy).toBeNull();
    expect(results.exampleLevel.privacy).toMatchObject({ unit: "example" });
    expect(results.userLevel.privacy).toMatchObject({ unit: "user" });
    for (const r of [results.exampleLevel, results.userLevel]) {
      expect(r.privacy!.epsilon).toBeLessThanOrEqual(4);
      expect(r.privacy!.epsilon).toBeGreaterThan(3.9);
    }
  });
});
