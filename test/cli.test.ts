import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { computeEpsilon, PldAccountant, sampledGaussianEvent } from "../src/privacy/accountant";

const bin = join(__dirname, "..", "bin", "privacy-course.js");

function cli(...args: string[]) {
  return cliWith({}, ...args);
}

function cliWith(env: NodeJS.ProcessEnv, ...args: string[]) {
  const run = spawnSync(process.execPath, [bin, ...args], { encoding: "utf8", env: { ...process.env, ...env } });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe("privacy-course epsilon / noise", () => {
  it("prints the ε the accountant computes, as text and JSON", () => {
    const json = cli("epsilon", "--sample-rate", "0.04", "--noise", "1.1", "--steps", "250", "--delta", "1e-5", "--json");
    expect(json.code).toBe(0);
    const parsed = JSON.parse(json.stdout);
    const expected = computeEpsilon({ sampleRate: 0.04, noiseMultiplier: 1.1, steps: 250, delta: 1e-5 });
    expect(parsed.epsilon).toBeCloseTo(expected.epsilon, 12);
    expect(parsed.order).toBe(expected.order);

    const text = cli("epsilon", "--sample-rate", "0.04", "--noise", "1.1", "--steps", "250", "--delta", "1e-5");
    expect(text.stdout).toContain(`ε = ${expected.epsilon.toFixed(4)}`);
  });

  it("calibrates σ so that the ε it spends is at most the target", () => {
    const run = cli("noise", "--epsilon", "1", "--sample-rate", "0.04", "--steps", "250", "--delta", "1e-5", "--json");
    expect(run.code).toBe(0);
    const { noiseMultiplier, epsilon } = JSON.parse(run.stdout);
    expect(epsilon).toBeLessThanOrEqual(1);
    const check = computeEpsilon({ sampleRate: 0.04, noiseMultiplier, steps: 250, delta: 1e-5 });
    expect(check.epsilon).toBeLessThanOrEqual(1);
  });

  it("accounts with PLD under --accountant pld, naming the accountant and its grid", () => {
    const json = cli("epsilon", "--sample-rate", "0.04", "--noise", "1.1", "--steps", "250", "--delta", "1e-5", "--accountant", "pld", "--json");
    expect(json.code).toBe(0);
    const parsed = JSON.parse(json.stdout);
    const check = new PldAccountant();
    check.compose(sampledGaussianEvent({ sampleRate: 0.04, noiseMultiplier: 1.1 }), 250);
    expect(parsed.epsilon).toBeCloseTo(check.getEpsilon(1e-5).epsilon, 12);
    expect(parsed.epsilon).toBeLessThan(computeEpsilon({ sampleRate: 0.04, noiseMultiplier: 1.1, steps: 250, delta: 1e-5 }).epsilon);
    expect(parsed).toMatchObject({ accountant: "pld", order: null, accountantDetails: { discretisation: { interval: 1e-3, automatic: true } } });

    const text = cli("noise", "--epsilon", "1", "--sample-rate", "0.04", "--steps", "250", "--delta", "1e-5", "--accountant", "pld", "--discretisation", "0.002");
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/σ = 2\.5\d{3}/);
    expect(text.stdout).toContain("PLD accountant, loss grid h = 0.002, pessimistic");

    const wrong = cli("epsilon", "--accountant", "prv");
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(/--accountant.*rdp, pld/);
    const orphan = cli("epsilon", "--discretisation", "0.01");
    expect(orphan.code).toBe(2);
    expect(orphan.stderr).toMatch(/--discretisation.*--accountant pld/);
    const zero = cli("epsilon", "--accountant", "pld", "--discretisation", "0");
    expect(zero.code).toBe(2);
    expect(zero.stderr).toMatch(/discretisation.*> 0/);
  });

  it("names the bad field and exits with 2", () => {
    const run = cli("noise", "--epsilon", "0", "--sample-rate", "0.04", "--steps", "250", "--delta", "1e-5");
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/epsilon.*> 0/);
    const delta = cli("epsilon", "--delta", "1.5");
    expect(delta.code).toBe(2);
    expect(delta.stderr).toMatch(/delta/);
    const notNumber = cli("epsilon", "--steps", "many");
    expect(notNumber.code).toBe(2);
    expect(notNumber.stderr).toMatch(/--steps must be a number/);
  });
});

describe("privacy-course pipeline", () => {
  it("--accountant pld trains and reports with the PLD accountant", () => {
    const dir = mkdtempSync(join(tmpdir(), "pc-"));
    const out = join(dir, "out.json");
    const run = cli("pipeline", "--epochs", "1", "--accountant", "pld", "--json", out);
    expect(run.code).toBe(0);
    const trace = JSON.parse(readFileSync(out, "utf8"));
    expect(trace.stages.trainPrivately.accountantDetails.kind).toBe("pld");
    expect(trace.stages.trainPrivately.accountant).toMatch(/^PLD/);
    expect(run.stdout).toMatch(/PLD/);
  });

  it("prints the seed document's sections and writes the JSON trace", () => {
    const dir = mkdtempSync(join(tmpdir(), "pc-"));
    const out = join(dir, "out.json");
    const run = cli("pipeline", "--epochs", "2", "--json", out);
    expect(run.code).toBe(0);
    for (const heading of ["Data Flow - 6 Stages", "Training Trace - Epoch by Epoch", "Model Evaluation", "Prediction Trace - 4 Layers"]) {
      expect(run.stdout).toContain(heading);
    }
    expect(run.stdout).toMatch(/Predicted purchase likelihood: 0\.\d\d/);
    const trace = JSON.parse(readFileSync(out, "utf8"));
    expect(trace.stages.trainPrivately.epochs).toHaveLength(2);
    expect(trace.dataFlow).toHaveLength(6);
  });

  it("writes nothing when the input is bad", () => {
    const dir = mkdtempSync(join(tmpdir(), "pc-"));
    const out = join(dir, "out.json");
    const run = cli("pipeline", "--epsilon", "-1", "--json", out);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/epsilon/);
    expect(existsSync(out)).toBe(false);
  });
});

describe("privacy-course sweep", () => {
  it("runs repeats in worker threads and writes CSV and JSON", () => {
    const dir = mkdtempSync(join(tmpdir(), "pc-"));
    const out = join(dir, "sweep");
    const run = cli("sweep", "--epsilons", "1,inf", "--repeats", "2", "--epochs", "2", "--workers", "2", "--out", out);
    expect(run.code).toBe(0);
    const csv = readFileSync(`${out}.csv`, "utf8").trim().split("\n");
    expect(csv[0]).toMatch(/^train_rows,epsilon,runs,mean_accuracy,std_accuracy,ci95_low,ci95_high/);
    expect(csv).toHaveLength(3);
    expect(csv[1].startsWith("800,1,2,")).toBe(true);
    expect(csv[2].startsWith("800,Infinity,2,")).toBe(true);
    const json = JSON.parse(readFileSync(`${out}.json`, "utf8"));
    expect(json.runs).toHaveLength(4);
    expect(json.runs.map((r: { seed: number }) => r.seed)).toEqual([7, 8, 7, 8]);
    // Means with their 95% intervals, and the comparison with the non-private runs.
    expect(run.stdout).toMatch(/accuracy mean \[95% CI\]/);
    expect(run.stdout).toMatch(/0\.\d{3} \[0\.\d{3}, 0\.\d{3}\]/);
    expect(run.stdout).toMatch(/no significant difference|significantly lower/);
  });

  it("sweeps training-set sizes given by --train-sizes, one row per size and ε", () => {
    const dir = mkdtempSync(join(tmpdir(), "pc-"));
    const out = join(dir, "sweep");
    const run = cli("sweep", "--epsilons", "1,inf", "--train-sizes", "100,200", "--repeats", "1", "--epochs", "1", "--workers", "0", "--out", out);
    expect(run.code).toBe(0);
    const csv = readFileSync(`${out}.csv`, "utf8").trim().split("\n").slice(1);
    expect(csv.map((line) => line.split(",").slice(0, 2).join(","))).toEqual(["100,1", "100,Infinity", "200,1", "200,Infinity"]);
    const bad = cli("sweep", "--train-sizes", "5", "--out", out);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--train-sizes must be an integer in \[10, 800\]/);
  });
});

describe("privacy-course grade", () => {
  it("names a missing or non-notebook path and writes no report", () => {
    const dir = mkdtempSync(join(tmpdir(), "pc-"));
    for (const target of [join(dir, "missing.ipynb"), join(__dirname, "..", "README.md")]) {
      const run = cli("grade", target, "--out", join(dir, "grades"));
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(/notebooks must be existing \.ipynb files/);
    }
    expect(existsSync(join(dir, "grades"))).toBe(false);
  });

  it("names --timeout when it is not a positive number of seconds, before running anything", () => {
    const dir = mkdtempSync(join(tmpdir(), "pc-"));
    const notebook = join(__dirname, "..", "notebooks", "00-welcome.ipynb");
    for (const [value, allowed] of [["0", "a number of seconds > 0"], ["-5", "a number of seconds > 0"], ["soon", "a number"], ["inf", "a number of seconds > 0"]]) {
      const run = cli("grade", notebook, `--timeout=${value}`, "--out", join(dir, "grades"));
      expect([value, run.code]).toEqual([value, 2]);
      expect(run.stderr).toContain(`--timeout must be ${allowed}`);
    }
    expect(existsSync(join(dir, "grades"))).toBe(false);
  });

  it("settles every submission's lesson and the output directory before running anything", () => {
    const dir = mkdtempSync(join(tmpdir(), "pc-"));
    const unnamed = join(dir, "alice.ipynb");
    writeFileSync(unnamed, readFileSync(join(__dirname, "..", "notebooks", "00-welcome.ipynb")));
    const noLesson = cli("grade", unnamed, "--out", join(dir, "grades"));
    expect(noLesson.code).toBe(2);
    expect(noLesson.stderr).toContain("--lesson must be given, or named by each submission's file name");
    const unknown = cli("grade", unnamed, "--lesson", "99-nothing", "--out", join(dir, "grades"));
    expect(unknown.stderr).toMatch(/--lesson must be one of 00-welcome, /);
    const outFile = join(dir, "taken");
    writeFileSync(outFile, "x");
    const taken = cli("grade", unnamed, "--lesson", "00-welcome", "--out", outFile);
    expect([taken.code, taken.stderr.trim()]).toEqual([2, `privacy-course grade: --out must be a new or existing directory, not a file; got "${outFile}"`]);
    expect(existsSync(join(dir, "grades"))).toBe(false);
  });

  it("refuses to grade unprotected where bubblewrap cannot run, unless told --unsandboxed", () => {
    const dir = mkdtempSync(join(tmpdir(), "pc-"));
    const notebook = join(__dirname, "..", "notebooks", "00-welcome.ipynb");
    const run = cliWith({ PRIVACY_COURSE_BWRAP: join(dir, "no-bwrap") }, "grade", notebook, "--out", join(dir, "grades"));
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(/Grading refuses to run learners' code unprotected: .*no-bwrap is missing.*or pass --unsandboxed/);
    expect(readdirSync(join(dir))).toEqual([]);
  });
});
