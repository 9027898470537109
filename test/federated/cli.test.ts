import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const bin = join(__dirname, "..", "..", "bin", "privacy-course.js");

function cli(...args: string[]) {
  const run = spawnSync(process.execPath, [bin, ...args], { encoding: "utf8" });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe("privacy-course federated", () => {
  it("trains user-level DP-FedAvg, reports ε per user and the secrets' exposure, and writes the trace", () => {
    const out = join(mkdtempSync(join(tmpdir(), "pc-fed-")), "out.json");
    const run = cli("federated", "--epsilon", "4", "--rounds", "3", "--users-per-round", "10", "--models", "userLevel", "--json", out);
    expect(run.stderr).toMatch(/user-level DP-FedAvg .*3\/3/);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/ε = \d\.\d\d per user/);
    expect(run.stdout).toContain("phone (60×) exposure");
    const trace = JSON.parse(readFileSync(out, "utf8"));
    expect(trace.federated.rounds).toHaveLength(3);
    expect(trace.federated.privacy.unit).toBe("user");
    expect(trace.federated.privacy.sampleRate).toBe(10 / trace.split.trainUsers);
    expect(trace.federated.privacy.epsilon).toBeLessThanOrEqual(4);
    expect(trace.results[0].exposures).toHaveLength(3);
  });

  it("accounts both private models with PLD under --accountant pld, and names it", () => {
    const out = join(mkdtempSync(join(tmpdir(), "pc-fed-")), "out.json");
    const run = cli("federated", "--epsilon", "4", "--rounds", "2", "--users-per-round", "10", "--models", "userLevel", "--accountant", "pld", "--json", out);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/ε = \d\.\d\d per user \(δ = 0\.00001, σ = \d+\.\d\d, PLD\)/);
    expect(run.stdout).toMatch(/from the PLD .* accountant over 2 rounds/);
    const trace = JSON.parse(readFileSync(out, "utf8"));
    expect(trace.federated.privacy).toMatchObject({ accountant: "pld", unit: "user", order: null });
    expect(trace.federated.privacy.accountantDetails.kind).toBe("pld");
    expect(trace.federated.privacy.epsilon).toBeLessThanOrEqual(4);
    expect(trace.results[0].privacy.accountant).toBe("pld");
  });

  it.each([
    [["--epsilon", "0"], /--epsilon must be a finite number > 0/],
    [["--epsilon=-2"], /--epsilon must be a finite number > 0/],
    [["--rounds", "0"], /--rounds must be an integer in \[1, /],
    [["--users-per-round", "241"], /--users-per-round must be an integer in \[1, 240\]/],
  ])("rejects %s with a named error and writes nothing", (flags, message) => {
    const out = join(mkdtempSync(join(tmpdir(), "pc-fed-")), "out.json");
    const run = cli("federated", ...flags, "--json", out);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(existsSync(out)).toBe(false);
  });
});
