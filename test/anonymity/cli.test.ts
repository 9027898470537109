import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { checkKAnonymity, checkLDiversity, checkTCloseness, parseCsvTable } from "../../src/anonymity";
import { cliInProcess } from "../helpers/cliInProcess";

const bin = join(__dirname, "..", "..", "bin", "privacy-course.js");
const cps = join(__dirname, "..", "..", "datasets", "cps-1985-wages.csv");
const quasi = "age,gender,race,education,married";
/** CPS's other columns: every column of a release needs a role. */
const otherRoles = ["--insensitive", "union,south,experience,occupation,sector"];

function cli(...args: string[]) {
  const run = spawnSync(process.execPath, [bin, ...args], { encoding: "utf8" });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), "pc-anon-"));
}

describe("privacy-course anonymity", () => {
  it("reports k, l, t per sensitive column and the three risks as JSON", () => {
    const run = cli("anonymity", cps, "--quasi", quasi, "--sensitive", "wage,occupation", "--json");
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report).toMatchObject({ rows: 534, k: 1, quasi: quasi.split(",") });
    for (const column of ["wage", "occupation"]) {
      expect(report.sensitive[column]).toEqual({
        distinctL: expect.any(Number),
        entropyL: expect.any(Number),
        recursiveCL: { c: 3, l: expect.any(Number) },
        t: expect.any(Number),
        distance: column === "wage" ? "ordered" : "equal",
      });
    }
    expect(report.risk.prosecutor.highest).toBe(1);
    expect(report.risk.journalist).toEqual(report.risk.prosecutor);
    expect(report.risk.marketer.average).toBeCloseTo(report.classes / 534, 12);
  });

  it("prints a readable report", () => {
    const run = cli("anonymity", cps, "--quasi", "gender,race", "--sensitive", "wage", "--c", "2");
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("k-anonymity: k = ");
    expect(run.stdout).toContain("c = 2: l = ");
    expect(run.stdout).toMatch(/prosecutor/);
  });

  it("works on any CSV, with hand-checked numbers", () => {
    const dir = tempDir();
    const file = join(dir, "t.csv");
    writeFileSync(file, "zip,age,disease\n476,29,flu\n476,29,flu\n476,29,cancer\n479,43,flu\n479,43,flu\n");
    const report = JSON.parse(cli("anonymity", file, "--quasi", "zip,age", "--sensitive", "disease", "--json").stdout);
    expect(report.k).toBe(2);
    expect(report.sensitive.disease.distinctL).toBe(1);
    expect(report.sensitive.disease.entropyL).toBe(1);
    // Class {flu, flu, cancer} vs the table (flu 4/5, cancer 1/5): ½(|2/3 − 4/5| + |1/3 − 1/5|) = 2/15.
    // Class {flu, flu}: ½(|1 − 4/5| + |0 − 1/5|) = 1/5.
    expect(report.sensitive.disease.t).toBeCloseTo(1 / 5, 12);
    expect(report.risk.prosecutor).toEqual({ highest: 0.5, average: 0.4, recordsAtRisk: 1 });
  });
});

describe("privacy-course anonymize", () => {
  it("writes a table that satisfies k, l and t (Mondrian), and says what it did", () => {
    const out = join(tempDir(), "out.csv");
    const run = cli("anonymize", cps, "--quasi", quasi, "--sensitive", "wage", ...otherRoles, "--k", "5", "--l", "3", "--t", "0.3", "--out", out);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/Wrote .*out\.csv: 534 of 534 rows/);
    expect(run.stdout).toMatch(/Verified on the written table: k = \d+/);
    const released = parseCsvTable(readFileSync(out, "utf8")).output;
    const q = quasi.split(",");
    expect(checkKAnonymity(released, { quasi: q, k: 5 }).satisfied).toBe(true);
    expect(checkLDiversity(released, { quasi: q, sensitive: "wage", l: 3 }).satisfied).toBe(true);
    expect(checkTCloseness(released, { quasi: q, sensitive: "wage", t: 0.3 }).satisfied).toBe(true);
    // And the anonymity command agrees.
    const report = JSON.parse(cli("anonymity", out, "--quasi", quasi, "--sensitive", "wage", "--json").stdout);
    expect(report.k).toBeGreaterThanOrEqual(5);
    expect(report.sensitive.wage.distinctL).toBeGreaterThanOrEqual(3);
    expect(report.sensitive.wage.t).toBeLessThanOrEqual(0.3 + 1e-12);
  });

  it("runs the full-domain search within the suppression limit, with a JSON trace", () => {
    const out = join(tempDir(), "fd.csv");
    const run = cli("anonymize", cps, "--quasi", "age,gender,race", "--k", "10", "--algorithm", "full-domain", "--max-suppression", "0.05", "--direct", "occupation", "--insensitive", "education,south,experience,union,wage,sector,married", "--out", out, "--json");
    expect(run.code).toBe(0);
    const trace = JSON.parse(run.stdout);
    expect(trace.algorithm).toBe("full-domain");
    expect(trace.rows.suppressed).toBeLessThanOrEqual(26);
    expect(trace.details.lattice.nodes).toBeGreaterThan(1);
    const released = parseCsvTable(readFileSync(out, "utf8")).output;
    expect(released.columns).not.toContain("occupation");
    expect(released.data.age.length).toBe(534 - trace.rows.suppressed);
    expect(checkKAnonymity(released, { quasi: ["age", "gender", "race"], k: 10 }).satisfied).toBe(true);
  });

  it("writes the other columns exactly as they were read", () => {
    const dir = tempDir();
    const file = join(dir, "z.csv");
    writeFileSync(file, "zip,age,price\n02138,30,1.50\n02139,31,2.00\n02140,30,3.10\n02141,33,4.00\n");
    const out = join(dir, "out.csv");
    expect(cli("anonymize", file, "--quasi", "age", "--insensitive", "zip,price", "--k", "2", "--out", out).code).toBe(0);
    // Ages on a grid of whole years: the class {31, 33} is published as [31, 34), not its own min and max.
    expect(readFileSync(out, "utf8")).toBe('zip,age,price\n02138,"[30, 31)",1.50\n02139,"[31, 34)",2.00\n02140,"[30, 31)",3.10\n02141,"[31, 34)",4.00\n');
  });

  it("reads hierarchies from JSON", () => {
    const dir = tempDir();
    const h = join(dir, "h.json");
    const race = [
      ["white", "majority", "*"],
      ["hispanic", "minority", "*"],
      ["other", "minority", "*"],
    ];
    writeFileSync(h, JSON.stringify({ race, age: { widths: [10, 20], min: 0, max: 100 } }));
    const out = join(dir, "out.csv");
    const run = cli("anonymize", cps, "--quasi", "age,race", "--keep-unclassified", "--k", "5", "--algorithm", "full-domain", "--hierarchies", h, "--out", out, "--json");
    expect(run.code).toBe(0);
    const dimensions = JSON.parse(run.stdout).details.lattice.dimensions;
    expect(dimensions[0]).toMatchObject({ column: "age", hierarchy: "given", height: 3 });
    expect(dimensions[1]).toMatchObject({ column: "race", hierarchy: "given", height: 2 });
  });
});

describe("bad input: a clear error, exit code 2, nothing written", () => {
  const cases: Array<[string, (dir: string) => string[], RegExp]> = [
    ["an unknown column", () => ["anonymity", cps, "--quasi", "age,zip"], /--quasi must be column names of the table \(education, .*got "zip"/],
    ["no quasi-identifiers", () => ["anonymity", cps], /--quasi must be a comma-separated list of columns/],
    ["a missing file", (dir) => ["anonymity", join(dir, "nope.csv"), "--quasi", "age"], /FILE must be a readable CSV file; got .*ENOENT/],
    ["k < 2", (dir) => ["anonymize", cps, "--keep-unclassified", "--quasi", "age", "--k", "1", "--out", join(dir, "o.csv")], /--k must be an integer in \[2, 534\]; got 1/],
    ["k larger than the table", (dir) => ["anonymize", cps, "--keep-unclassified", "--quasi", "age", "--k", "535", "--out", join(dir, "o.csv")], /--k must be an integer in \[2, 534\]/],
    ["k not a number", (dir) => ["anonymize", cps, "--keep-unclassified", "--quasi", "age", "--k", "five", "--out", join(dir, "o.csv")], /--k must be a number/],
    ["no --out", () => ["anonymize", cps, "--keep-unclassified", "--quasi", "age", "--k", "5"], /--out must be the path of the CSV to write/],
    ["l without --sensitive", (dir) => ["anonymize", cps, "--keep-unclassified", "--quasi", "age", "--k", "5", "--l", "2", "--out", join(dir, "o.csv")], /--l must be given together with --sensitive/],
    ["an l the table cannot reach", (dir) => ["anonymize", cps, "--keep-unclassified", "--quasi", "age", "--sensitive", "union", "--k", "5", "--l", "3", "--out", join(dir, "o.csv")], /l must be at most 2/],
    ["an unknown algorithm", (dir) => ["anonymize", cps, "--keep-unclassified", "--quasi", "age", "--k", "5", "--algorithm", "magic", "--out", join(dir, "o.csv")], /--algorithm must be one of mondrian, full-domain, mdav/],
    ["a column in two roles", (dir) => ["anonymize", cps, "--keep-unclassified", "--quasi", "age", "--sensitive", "age", "--k", "5", "--out", join(dir, "o.csv")], /--sensitive must be columns with one role each \("age" is already --quasi\)/],
    ["a suppression limit of 1", (dir) => ["anonymize", cps, "--keep-unclassified", "--quasi", "age", "--k", "5", "--max-suppression", "1", "--out", join(dir, "o.csv")], /--max-suppression must be a number in \[0, 1\)/],
    ["an unknown flag", (dir) => ["anonymize", cps, "--keep-unclassified", "--quasi", "age", "--k", "5", "--kk", "3", "--out", join(dir, "o.csv")], /--kk must be an option of "anonymize"/],
  ];
  it.each(cases)("%s", async (_, args, message) => {
    const dir = tempDir();
    const run = await cliInProcess(args(dir));
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stdout).toBe("");
    expect(existsSync(join(dir, "o.csv"))).toBe(false);
  });

  it("malformed CSV and text in a numeric column", async () => {
    const dir = tempDir();
    const ragged = join(dir, "ragged.csv");
    writeFileSync(ragged, "age,city\n30,a\n31\n");
    const quote = join(dir, "quote.csv");
    writeFileSync(quote, 'age,city\n30,"a\n31,b\n');
    const typo = join(dir, "typo.csv");
    writeFileSync(typo, "age,city\n30,a\n3l,b\n32,c\n33,d\n");
    const out = join(dir, "o.csv");
    for (const [file, message] of [
      [ragged, /ragged.csv line 3 must be 2 fields like the header; got "1 fields"/],
      [quote, /quote.csv must be well-formed CSV/],
      [typo, /typo.csv column age, data row 2 must be a number .*got "3l"/],
    ] as const) {
      const run = await cliInProcess(["anonymize", file, "--quasi", "age,city", "--k", "2", "--out", out]);
      expect(run.stderr.trim().split("\n")).toHaveLength(1);
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(message);
      expect(existsSync(out)).toBe(false);
    }
  });
});
