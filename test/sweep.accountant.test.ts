import { describe, expect, it } from "vitest";
import { runSweepJob, sweepJobs } from "../src/experiments/sweep";
import { expectInputError } from "./helpers/expectInputError";

describe("the sweep's accountant", () => {
  it("carries the chosen accountant into every job, and is absent by default (RDP)", () => {
    const jobs = sweepJobs({ epsilons: [1, 2], repeats: 2, accountant: "pld" });
    expect(jobs).toHaveLength(4);
    expect(jobs.every((job) => job.accountant === "pld")).toBe(true);
    expect(sweepJobs({ epsilons: [1], repeats: 1 })[0]).not.toHaveProperty("accountant");
    expectInputError(() => sweepJobs({ epsilons: [1], repeats: 1, accountant: "prv" as never }), "accountant", /rdp, pld/);
  });

  it("a PLD job calibrates less noise than an RDP one for the same budget", async () => {
    const [pld] = sweepJobs({ epsilons: [1], repeats: 1, epochs: 1, accountant: "pld" });
    const [rdp] = sweepJobs({ epsilons: [1], repeats: 1, epochs: 1 });
    const byPld = await runSweepJob(pld);
    const byRdp = await runSweepJob(rdp);
    expect(byPld.noiseMultiplier).toBeLessThan(byRdp.noiseMultiplier);
    expect(byPld.epsilonSpent).toBeLessThanOrEqual(1);
    expect(byPld.accountant).toBe("pld");
  });
});
