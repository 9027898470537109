/**
 * Bad and hostile input across every command: each exits with code 2 and one line that names
 * the flag as typed and what it allows, prints no stack trace, writes nothing to stdout, and
 * leaves every file in its folder (and the course's own outputs) exactly as they were —
 * including an --out that is a symlink to the input and an existing output without --force.
 * Run in process (see helpers/cliInProcess.ts); the binary itself is spawned in cli-process.test.ts.
 */
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cliInProcess } from "./helpers/cliInProcess";

const root = join(__dirname, "..");
const notebook = join(root, "notebooks", "00-welcome.ipynb");

function fixtures(): string {
  const d = mkdtempSync(join(tmpdir(), "pc-bad-"));
  writeFileSync(
    join(d, "people.csv"),
    "name,email,phone,age,zip,disease\n" +
      "Maria Lopez,maria@example.org,5551234567,34,02138,flu\n" +
      "John Smith,john@example.com,5559876543,36,02139,cold\n" +
      "Ann Lee,ann@example.net,5550001111,41,02140,flu\n" +
      "Peter Brown,peter@example.org,5552223333,45,02141,asthma\n" +
      "Linda Green,linda@example.com,5554445555,29,02142,cold\n" +
      "Mark Hall,mark@example.net,5556667777,52,02143,flu\n",
  );
  writeFileSync(join(d, "existing.csv"), "an,old,release\n1,2,3\n");
  writeFileSync(join(d, "existing.json"), '{"old": true}\n');
  writeFileSync(join(d, "s.csv"), "old sweep\n");
  writeFileSync(join(d, "bad.ipynb"), "this is not JSON");
  writeFileSync(join(d, "afile"), "a file, not a folder\n");
  mkdirSync(join(d, "sub"));
  symlinkSync(join(d, "people.csv"), join(d, "link.csv"));
  symlinkSync(join(d, "sub"), join(d, "linkdir"));
  return d;
}

/** Every entry under d: file bytes, link targets, folder names. */
function snapshot(d: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (dir: string, prefix: string) => {
    for (const name of readdirSync(dir).sort()) {
      const full = join(dir, name);
      const stat = lstatSync(full);
      if (stat.isSymbolicLink()) out[prefix + name] = `-> ${readlinkSync(full)}`;
      else if (stat.isDirectory()) {
        out[prefix + name] = "dir";
        walk(full, `${prefix}${name}/`);
      } else out[prefix + name] = readFileSync(full).toString("base64");
    }
  };
  walk(d, "");
  return out;
}

/** The course's own outputs: datasets/ and notebooks/ untouched, no build/, grades/ or sweep.* appearing. */
function courseOutputs(): Record<string, number | boolean> {
  const out: Record<string, number | boolean> = {};
  for (const dir of ["datasets", "notebooks"]) {
    for (const name of readdirSync(join(root, dir))) out[`${dir}/${name}`] = statSync(join(root, dir, name)).mtimeMs;
  }
  for (const name of ["build", "grades", "sweep.csv", "sweep.json", "o.csv"]) out[name] = existsSync(join(root, name));
  return out;
}

type Case = [name: string, args: (d: string) => string[], message: RegExp];
const p = (d: string) => join(d, "people.csv");
const roles = (d: string) => [p(d), "--direct", "name,email,phone", "--quasi", "age", "--sensitive", "disease", "--insensitive", "zip"];

const cases: Case[] = [
  // epsilon
  ["epsilon: sample rate above 1", () => ["epsilon", "--sample-rate", "2"], /^privacy-course epsilon: --sample-rate must be a number in \(0, 1\]; got 2$/],
  ["epsilon: sample rate 0", () => ["epsilon", "--sample-rate", "0"], /--sample-rate must be a number in \(0, 1\]/],
  ["epsilon: negative noise without =", () => ["epsilon", "--noise", "-1"], /--noise must be a number in \[0, 1000000\]; got -1/],
  ["epsilon: noise 1e-300", () => ["epsilon", "--noise", "1e-300"], /--noise must be 0 \(no noise\) or a number in \[0\.000001, 1000000\].*got 1e-300/],
  ["epsilon: hex noise", () => ["epsilon", "--noise", "0x10"], /--noise must be a number; got "0x10"/],
  ["epsilon: noise with an underscore", () => ["epsilon", "--noise", "1_000"], /--noise must be a number; got "1_000"/],
  ["epsilon: steps 1e300", () => ["epsilon", "--steps", "1e300"], /--steps must be an integer in \[1, 1000000000\]/],
  ["epsilon: fractional steps", () => ["epsilon", "--steps", "2.5"], /--steps must be an integer in \[1, 1000000000\]; got 2\.5/],
  ["epsilon: delta 1.5", () => ["epsilon", "--delta", "1.5"], /--delta must be a number in \(0, 1\); got 1\.5/],
  ["epsilon: delta 0", () => ["epsilon", "--delta", "0"], /--delta must be a number in \(0, 1\)/],
  ["epsilon: text for a number", () => ["epsilon", "--sample-rate", "abc"], /--sample-rate must be a number; got "abc"/],
  ["epsilon: unknown flag", () => ["epsilon", "--bogus"], /--bogus must be an option of "epsilon" \(one of --sample-rate/],
  ["epsilon: value for a switch", () => ["epsilon", "--json=yes"], /--json must be given without a value/],
  ["epsilon: missing value", () => ["epsilon", "--steps"], /--steps must be followed by a value/],
  ["epsilon: stray argument", () => ["epsilon", "foo"], /"epsilon" must be given options only .*got "foo"/],
  // noise
  ["noise: steps 1e300", () => ["noise", "--steps", "1e300"], /--steps must be an integer in \[1, 1000000000\]/],
  ["noise: epsilon 0", () => ["noise", "--epsilon", "0"], /--epsilon must be a number > 0; got 0/],
  ["noise: negative epsilon", () => ["noise", "--epsilon", "-1"], /--epsilon must be a number > 0; got -1/],
  ["noise: nan", () => ["noise", "--epsilon", "nan"], /--epsilon must be a number; got "nan"/],
  ["noise: delta 1", () => ["noise", "--delta", "1"], /--delta must be a number in \(0, 1\); got 1/],
  // accountant choice (epsilon, noise, pipeline, sweep)
  ["epsilon: unknown accountant", () => ["epsilon", "--accountant", "prv"], /--accountant must be one of rdp, pld; got "prv"/],
  ["epsilon: discretisation without pld", () => ["epsilon", "--discretisation", "1e-4"], /--discretisation must be given only with --accountant pld/],
  // federated: all checked before training
  ["federated: epsilon 0", () => ["federated", "--epsilon", "0"], /--epsilon must be a finite number > 0/],
  ["federated: rounds 0", () => ["federated", "--rounds", "0"], /--rounds must be an integer in \[1, /],
  ["federated: more users per round than users", () => ["federated", "--users-per-round", "241"], /--users-per-round must be an integer in \[1, 240\]/],
  ["federated: fractional seed", () => ["federated", "--seed", "1.5"], /--seed must be an integer in \[0, 2147483647\]/],
  ["federated: unknown model", () => ["federated", "--models", "rnn"], /--models must be one of/],
  ["federated: unknown accountant", () => ["federated", "--accountant", "prv"], /--accountant must be one of rdp, pld; got "prv"/],
  ["federated: --json an existing file", (d) => ["federated", "--json", join(d, "existing.json")], /--json must be a path that does not exist yet \(add --force to replace it\)/],
  // pipeline: all checked before training
  ["pipeline: fractional seed", () => ["pipeline", "--seed", "1.5"], /--seed must be an integer in \[0, 2147483647\]; got 1\.5/],
  ["pipeline: negative seed", () => ["pipeline", "--seed", "-1"], /--seed must be an integer in \[0, 2147483647\]; got -1/],
  ["pipeline: 1e9 epochs", () => ["pipeline", "--epochs", "1e9"], /--epochs must be an integer in \[1, 1000\] \(more epochs only spend budget/],
  ["pipeline: 0 epochs", () => ["pipeline", "--epochs", "0"], /--epochs must be an integer in \[1, 1000\]/],
  ["pipeline: negative epsilon", () => ["pipeline", "--epsilon", "-1"], /--epsilon must be a number > 0; got -1/],
  ["pipeline: delta 2", () => ["pipeline", "--delta", "2"], /--delta must be a number in \(0, 1\)/],
  ["pipeline: unknown model", () => ["pipeline", "--model", "svm"], /--model must be one of logistic, mlp; got "svm"/],
  ["pipeline: unknown backend", () => ["pipeline", "--backend", "gpu"], /--backend must be one of wasm, cpu/],
  ["pipeline: batch size 0", () => ["pipeline", "--batch-size", "0"], /--batch-size must be an integer ≥ 1; got 0/],
  ["pipeline: negative clip norm", () => ["pipeline", "--clip-norm", "-1"], /--clip-norm must be a number > 0/],
  ["pipeline: learning rate 0", () => ["pipeline", "--learning-rate", "0"], /--learning-rate must be a number > 0/],
  ["pipeline: --json in a missing folder", (d) => ["pipeline", "--json", join(d, "missing", "out.json")], /--json must be a path in an existing directory/],
  ["pipeline: --json a folder", (d) => ["pipeline", "--json", d], /--json must be a file path, not a directory/],
  ["pipeline: --json an existing file", (d) => ["pipeline", "--json", join(d, "existing.json")], /--json must be a path that does not exist yet \(add --force to replace it\)/],
  ["pipeline: --json a symlink, even with --force", (d) => ["pipeline", "--json", join(d, "link.csv"), "--force"], /--json must be a path that is not a symbolic link/],
  ["pipeline: unknown flag", () => ["pipeline", "--epoch", "3"], /--epoch must be an option of "pipeline"/],
  // sweep: before any worker starts
  ["sweep: delta 2", () => ["sweep", "--delta", "2"], /--delta must be a number in \(0, 1\); got 2/],
  ["sweep: --out in a missing folder", () => ["sweep", "--out", "nodir/s"], /--out must be a path in an existing directory/],
  ["sweep: --out over an existing file", (d) => ["sweep", "--out", join(d, "s")], /--out must be a path that does not exist yet/],
  ["sweep: epsilon 0", () => ["sweep", "--epsilons", "0,1"], /--epsilons must be numbers > 0 \(or inf\); got 0/],
  ["sweep: empty epsilons", () => ["sweep", "--epsilons="], /--epsilons must be a comma-separated list of numbers/],
  ["sweep: 0 repeats", () => ["sweep", "--repeats", "0"], /--repeats must be an integer in \[1, 1000\]/],
  ["sweep: negative workers", () => ["sweep", "--workers", "-1"], /--workers must be an integer in \[0, 64\]/],
  ["sweep: hex seed", () => ["sweep", "--seed", "0x10"], /--seed must be a number; got "0x10"/],
  ["sweep: 1e9 epochs", () => ["sweep", "--epochs", "1e9"], /--epochs must be an integer in \[1, 1000\]/],
  // audit
  ["audit: unknown dataset", () => ["audit", "--dataset", "bogus"], /--dataset must be one of patients/],
  ["audit: negative epsilon", () => ["audit", "--epsilons", "-1"], /--epsilons must be numbers > 0/],
  ["audit: one canary", () => ["audit", "--canaries", "1"], /--canaries must be an integer in \[2, 1000000\]/],
  ["audit: confidence 1", () => ["audit", "--confidence", "1"], /--confidence must be a number in \(0, 1\)/],
  ["audit: --json in a missing folder", (d) => ["audit", "--json", join(d, "no", "a.json")], /--json must be a path in an existing directory/],
  ["audit: --csv over an existing file", (d) => ["audit", "--csv", join(d, "existing.csv")], /--csv must be a path that does not exist yet/],
  ["audit: hidden width 0", () => ["audit", "--hidden", "0"], /--hidden must be integers in \[1, 4096\]/],
  ["audit: unknown unsafe mode", () => ["audit", "--unsafe", "yes"], /--unsafe must be one of skip-clipping, skip-noise/],
  ["audit: unknown canary kind", () => ["audit", "--kind", "x"], /--kind must be one of/],
  // course
  ["course: unknown action", () => ["course", "bogus"], /course ACTION must be one of open, setup, reset; got "bogus"/],
  ["course: negative port", () => ["course", "open", "--port=-1"], /--port must be an integer in \[1, 65535\]; got -1/],
  ["course: port 99999", () => ["course", "open", "--port", "99999"], /--port must be an integer in \[1, 65535\]; got 99999/],
  ["course: fractional port", () => ["course", "open", "--port", "80.5"], /--port must be an integer in \[1, 65535\]/],
  // kernel
  ["kernel install: --prefix a file", (d) => ["kernel", "install", "--prefix", join(d, "afile")], /--prefix must be a folder, or a new one inside folders/],
  ["kernel install: --prefix inside a file", (d) => ["kernel", "install", "--prefix", join(d, "afile", "x")], /--prefix must be a folder, or a new one inside folders/],
  ["kernel install: two targets", () => ["kernel", "install", "--user", "--sys-prefix"], /kernel install must be at most one of --prefix DIR, --user, --sys-prefix/],
  ["kernel: no connection file", () => ["kernel"], /--connection-file must be the connection file Jupyter passes/],
  ["kernel install: unknown flag", () => ["kernel", "install", "--bogus"], /--bogus must be an option of "kernel install"/],
  // datasets
  ["datasets: unknown flag", () => ["datasets", "--bogus"], /--bogus must be an option of "datasets" \(none: it takes no options\)/],
  ["datasets: stray argument", () => ["datasets", "extra"], /"datasets" must be given options only/],
  // notebooks
  ["notebooks: unknown action", () => ["notebooks", "bogus"], /notebooks ACTION must be one of generate, build; got "bogus"/],
  ["notebooks build: unknown lesson", () => ["notebooks", "build", "no-such-lesson"], /notebooks build LESSON must be part of a lesson's file name/],
  ["notebooks: unknown flag", () => ["notebooks", "--x"], /--x must be an option of "notebooks"/],
  // grade: before any notebook runs
  ["grade: an unknown lesson", (d) => ["grade", join(d, "bad.ipynb"), "--lesson", "99-nothing", "--out", join(d, "g")], /--lesson must be one of 00-welcome, /],
  ["grade: a submission that names no lesson", (d) => ["grade", join(d, "bad.ipynb"), "--out", join(d, "g")], /--lesson must be given, or named by each submission's file name/],
  ["grade: --out an existing file", (d) => ["grade", notebook, "--out", join(d, "afile")], /--out must be a new or existing directory, not a file/],
  ["grade: --out a symlink", (d) => ["grade", notebook, "--out", join(d, "linkdir")], /--out must be a directory path that is not a symlink/],
  ["grade: --out in a missing folder", (d) => ["grade", notebook, "--out", join(d, "no", "g")], /--out must be a path in an existing directory/],
  ["grade: timeout 0", (d) => ["grade", notebook, "--timeout", "0", "--out", join(d, "g")], /--timeout must be a number of seconds > 0/],
  ["grade: jobs 0", (d) => ["grade", notebook, "--jobs", "0", "--out", join(d, "g")], /--jobs must be an integer ≥ 1; got 0/],
  ["grade: jobs 1.5", (d) => ["grade", notebook, "--jobs", "1.5", "--out", join(d, "g")], /--jobs must be an integer ≥ 1; got 1\.5/],
  ["grade: no notebook", () => ["grade"], /notebooks must be one or more \.ipynb files or folders/],
  // anonymize: roles, identifiers, outputs
  ["anonymize: no roles for most columns", (d) => ["anonymize", p(d), "--quasi", "age", "--k", "2", "--out", join(d, "o.csv")], /every column of FILE must be given a role .*got "no role for name \(looks like full-name\), email \(looks like email\), phone \(looks like phone\), zip, disease"/],
  ["anonymize: identifiers kept unclassified", (d) => ["anonymize", p(d), "--quasi", "age", "--keep-unclassified", "--k", "2", "--out", join(d, "o.csv")], /column name must be declared, not kept unclassified: it looks like a direct identifier/],
  ["anonymize: an email declared insensitive", (d) => ["anonymize", p(d), "--direct", "name,phone", "--quasi", "age", "--sensitive", "disease", "--insensitive", "zip,email", "--k", "2", "--out", join(d, "o.csv")], /--insensitive must be free of columns that look like direct identifiers \(email, email: 6 of 6 cells are email addresses\); declare it with --direct/],
  ["anonymize: a phone number as a quasi-identifier", (d) => ["anonymize", p(d), "--direct", "name,email", "--quasi", "age,phone", "--sensitive", "disease", "--insensitive", "zip", "--k", "2", "--out", join(d, "o.csv")], /--quasi must be free of columns that look like direct identifiers \(phone, phone/],
  ["anonymize: --out a symlink to the input", (d) => ["anonymize", ...roles(d), "--k", "2", "--out", join(d, "link.csv"), "--force"], /--out must be a path that is not a symbolic link/],
  ["anonymize: --out the input itself", (d) => ["anonymize", ...roles(d), "--k", "2", "--out", p(d), "--force"], /--out must be a path other than the input file/],
  ["anonymize: --out an existing file", (d) => ["anonymize", ...roles(d), "--k", "2", "--out", join(d, "existing.csv")], /--out must be a path that does not exist yet \(add --force to replace it\)/],
  ["anonymize: --out in a missing folder", (d) => ["anonymize", ...roles(d), "--k", "2", "--out", join(d, "no", "o.csv")], /--out must be a path in an existing directory/],
  ["anonymize: k = 1", (d) => ["anonymize", ...roles(d), "--k", "1", "--out", join(d, "o.csv")], /--k must be an integer in \[2, 6\]; got 1/],
  ["anonymize: --codes an unknown column", (d) => ["anonymize", ...roles(d), "--codes", "postcode", "--k", "2", "--out", join(d, "o.csv")], /--codes must be columns of people\.csv/],
  ["anonymize: a column in two roles", (d) => ["anonymize", ...roles(d), "--sensitive", "age", "--k", "2", "--out", join(d, "o.csv")], /--sensitive must be columns with one role each \("age" is already --quasi\)/],
  // anonymity
  ["anonymity: sensitive is also quasi", (d) => ["anonymity", p(d), "--quasi", "age", "--sensitive", "age"], /--sensitive must be columns with one role each \("age" is already --quasi\)/],
  ["anonymity: threshold 2", (d) => ["anonymity", p(d), "--quasi", "age", "--threshold", "2"], /--threshold must be a number in \[0, 1\]; got 2/],
  ["anonymity: a missing file", (d) => ["anonymity", join(d, "nope.csv"), "--quasi", "age"], /FILE must be a readable CSV file; got ".*ENOENT/],
  // no such command
  ["an unknown command", () => ["bogus"], /^privacy-course: unknown command "bogus"; the commands are pipeline, epsilon/],
];

describe("bad input: exit 2, one line naming the flag, no stack, nothing written", () => {
  it("covers at least 60 cases across every command", () => {
    expect(cases.length).toBeGreaterThanOrEqual(60);
    const commands = new Set(cases.map(([, args]) => args(tmpdir())[0]));
    for (const command of ["pipeline", "epsilon", "noise", "sweep", "course", "notebooks", "grade", "datasets", "audit", "anonymity", "anonymize", "kernel", "federated"]) {
      expect(commands).toContain(command);
    }
  });

  it.each(cases)("%s", async (_, args, message) => {
    const d = fixtures();
    const before = snapshot(d);
    const course = courseOutputs();
    const run = await cliInProcess(args(d));
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr.trim().split("\n")).toHaveLength(1);
    expect(run.stderr).toMatch(message);
    expect(run.stderr).not.toMatch(/\n\s+at |TypeError|RangeError|ERR_PARSE_ARGS/);
    expect(snapshot(d)).toEqual(before);
    expect(courseOutputs()).toEqual(course);
  });
});
