/**
 * The grader's parts without a kernel: the student release of the quizzes, reading submissions,
 * the assignment, answer records read back from a sandbox, the output directory check, and the
 * sandbox itself (bubblewrap confines a process: read-only repository, no network, nobody).
 * Then one small batch with kernels: submissions graded side by side (--jobs), reported in order.
 */
import { spawnSync } from "node:child_process";
import { appendFileSync, chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { serialize } from "node:v8";
import { describe, expect, it } from "vitest";
import { QUIZZES } from "../../quizzes";
import { REPO_ROOT } from "../../src/course/jupyter";
import { TODO } from "../../src/quiz/check";
import {
  assignmentOf,
  DEFAULT_LIMITS,
  gradeBatch,
  gradeRows,
  parseSubmission,
  RELEASED_SOLUTION,
  releasedQuizSource,
  sandboxArgv,
  sandboxProblem,
  scanSubmission,
  validateOutDir,
  writeFileAtomic,
  writeStudentRelease,
  type BatchReport,
} from "../../src/quiz/grading";
import { caseArguments, readAnswerRecord, verdict } from "../../src/quiz/grading/verdicts";
import { createHmac } from "node:crypto";
import type { CodingQuestion, QuizDefinition } from "../../src/quiz/types";

const dir = mkdtempSync(path.join(tmpdir(), "grading-unit-"));
// The sandbox's user (nobody, when the tests run as root) must reach its scratch directory below.
chmodSync(dir, 0o755);

describe("the student release of the quizzes", () => {
  it("leaves out every hidden case and solution, and what only they used", () => {
    const source = [
      'import { a, hiddenHelper } from "./helpers";',
      'const SECRET_ROWS = [{ name: "Edsger" }];',
      "export const quiz = { questions: [{ id: \"q\", cases: [a(1)], hiddenCases: [hiddenHelper(SECRET_ROWS)], solution: 'quiz.q1.check(42)', hints: [\"h\"] }] };",
    ].join("\n");
    const released = releasedQuizSource(source);
    expect(released).not.toMatch(/Edsger|SECRET_ROWS|hiddenHelper|check\(42\)/);
    expect(released).toContain('import { a } from "./helpers";');
    expect(released).toContain("cases: [a(1)], hiddenCases: []");
    expect(released).toContain(`solution: ${JSON.stringify(RELEASED_SOLUTION)}`);
  });

  it("keeps the course's quizzes loadable, with their visible cases and self-checks", async () => {
    const out = path.join(dir, "release");
    const written = writeStudentRelease(REPO_ROOT, out);
    expect(written).toContain("quizzes");
    expect(written).not.toContain("test");
    symlinkSync(path.join(REPO_ROOT, "node_modules"), path.join(out, "node_modules"));
    const released = (await import(path.join(out, "quizzes", "index.ts"))).QUIZZES as Record<string, QuizDefinition>;
    expect(Object.keys(released)).toEqual(Object.keys(QUIZZES));
    for (const [id, quiz] of Object.entries(QUIZZES)) {
      const text = readFileSync(path.join(out, "quizzes", `${id}.ts`), "utf8");
      quiz.questions.forEach((question, i) => {
        const copy = released[id].questions[i];
        expect([id, copy.id, copy.solution]).toEqual([id, question.id, RELEASED_SOLUTION]);
        if (question.kind !== "coding") return;
        expect((copy as CodingQuestion).hiddenCases).toEqual([]);
        expect((copy as CodingQuestion).cases.map((c) => c.name)).toEqual(question.cases.map((c) => c.name));
        for (const hidden of question.hiddenCases) expect([id, hidden.name, text.includes(`"${hidden.name}"`)]).toEqual([id, hidden.name, false]);
      });
    }
  }, 120_000);
});

describe("reading a submission", () => {
  const assignment = assignmentOf("a", ["anonymisation/quasi-identifiers", "anonymisation/drop-identifiers"], QUIZZES);

  it("says what is wrong with a malformed notebook", () => {
    expect(() => parseSubmission('{"cells": [')).toThrow(/not valid JSON/);
    expect(() => parseSubmission('{"worksheets": []}')).toThrow(/no list of cells/);
    expect(() => parseSubmission('{"cells": [{"cell_type": "code", "source": 42}]}')).toThrow(/cell 0 has no valid source/);
  });

  it("takes the questions from the quiz definitions, and reports foreign markers", () => {
    expect(assignment.questions.map((q) => [q.key, q.points])).toEqual([
      ["anonymisation/quasi-identifiers", 1],
      ["anonymisation/drop-identifiers", 1],
    ]);
    expect(() => assignmentOf("a", ["anonymisation/nope"], QUIZZES)).toThrow(/assignment question must be/);
    const submission = parseSubmission(
      JSON.stringify({ cells: [{ cell_type: "code", source: ["// @answer anonymisation/drop-identifiers\n", "f"] }, { cell_type: "code", source: "// @answer pipeline/dp-noise\nx" }] }),
    );
    const scan = scanSubmission(submission, assignment);
    expect([...scan.answerCells]).toEqual([["anonymisation/drop-identifiers", [0]]]);
    expect(scan.foreignMarkers).toEqual([{ cell: 1, key: "pipeline/dp-noise" }]);
  });
});

describe("answer records read back from a sandbox", () => {
  const choice = QUIZZES.anonymisation.questions[0];
  const coding = QUIZZES.anonymisation.questions[1] as CodingQuestion;
  const record = (name: string, value: unknown) => {
    const file = path.join(dir, name);
    writeFileSync(file, serialize(value));
    return file;
  };

  it("are judged as data by the grader's checks, whatever else they claim", () => {
    const forged = readAnswerRecord(record("a.v8", { key: "anonymisation/quasi-identifiers", answered: true, kind: "value", value: "A", status: "correct", points: 1 }), "anonymisation/quasi-identifiers");
    expect("problem" in forged).toBe(false);
    if ("problem" in forged) return;
    expect([verdict(choice, forged).status, verdict(choice, forged).points]).toEqual(["incorrect", 0]);
    expect(verdict(choice, { key: "k", answered: true, kind: "todo" }).status).toBe("not-attempted");
    expect(verdict(choice, { key: "k", answered: false }).status).toBe("not-attempted");
    expect(TODO).toBeTypeOf("symbol");
    const tooFew = verdict(coding, { key: "k", answered: true, kind: "function", source: "", outcomes: [] });
    expect([tooFew.status, tooFew.message]).toEqual(["incorrect", `The function was run on 0 of the ${caseArguments(coding).length} arguments its test cases need.`]);
  });

  it("check a coding answer's hidden cases from its outcomes", () => {
    const all = [...coding.cases, ...coding.hiddenCases];
    const right = (rows: Record<string, unknown>[]) => rows.map(({ name, email, phone, ...rest }) => rest);
    // Every case, then the variants its check calls the function on (anonymisation q2: other people, another key).
    const outcomes = caseArguments(coding).map((args) => ({ returned: right(args[0] as Record<string, unknown>[]) }));
    expect(verdict(coding, { key: "k", answered: true, kind: "function", source: "", outcomes }).status).toBe("correct");
    const wrongOnHidden = outcomes.map((o, i) => (i === all.length - 1 ? { returned: [] } : o));
    const failed = verdict(coding, { key: "k", answered: true, kind: "function", source: "", outcomes: wrongOnHidden });
    expect([failed.status, failed.hidden, failed.failingCase?.name]).toEqual(["incorrect", true, all[all.length - 1].name]);
  });

  it("check a keyed pseudonym through the variants the sandbox ran, and fail an unkeyed one", () => {
    type Rows = Record<string, unknown>[];
    const keyed = (rows: Rows, key: string) =>
      rows.map(({ name, email, phone, ...rest }) => ({ ...rest, id: createHmac("sha256", key).update(String(email ?? name)).digest("hex").slice(0, 16) }));
    const unkeyed = (rows: Rows) => rows.map(({ name, email, phone, ...rest }) => ({ ...rest, id: `p${String(email ?? name).length}x${String(name).charCodeAt(0)}` }));
    const run = (f: (rows: Rows, key: string) => Rows) => caseArguments(coding).map((args) => ({ returned: f(args[0] as Rows, args[1] as string) }));
    expect(verdict(coding, { key: "k", answered: true, kind: "function", source: "", outcomes: run(keyed) }).status).toBe("correct");
    const failed = verdict(coding, { key: "k", answered: true, kind: "function", source: "", outcomes: run(unkeyed) });
    expect([failed.status, failed.message]).toEqual(["incorrect", expect.stringMatching(/computed from the identifiers without the key/)]);
  });

  it("are not read through a symlink, nor when they hold a wrong key, holes or junk", () => {
    const link = path.join(dir, "link.v8");
    symlinkSync("/etc/hostname", link);
    expect(readAnswerRecord(link, "anonymisation/quasi-identifiers")).toEqual({ problem: expect.stringMatching(/could not be read back \(ELOOP/) });
    expect(readAnswerRecord(record("b.v8", { key: "other/key", answered: false }), "anonymisation/quasi-identifiers")).toEqual({ problem: "its answer record is not in the grader's format" });
    const holes = new Array(1e9);
    holes[5] = 1;
    expect(readAnswerRecord(record("c.v8", { key: "q/k", answered: true, kind: "value", value: holes }), "q/k")).toEqual({ problem: expect.stringMatching(/an array with holes/) });
    const junk = path.join(dir, "junk.v8");
    writeFileSync(junk, "not a record");
    expect(readAnswerRecord(junk, "q/k")).toEqual({ problem: expect.stringMatching(/could not be read back/) });
  });
});

describe("the output directory", () => {
  it("is checked before anything runs", async () => {
    const file = path.join(dir, "a-file");
    writeFileSync(file, "x");
    const assignment = assignmentOf("a", ["anonymisation/quasi-identifiers"], QUIZZES);
    await expect(gradeBatch([{ file, assignment }], { out: file, cellTimeout: 5 })).rejects.toThrow(/--out must be a new or existing directory, not a file/);
    for (const jobs of [0, 1.5, Number.NaN]) await expect(gradeBatch([{ file, assignment }], { out: path.join(dir, "never"), cellTimeout: 5, jobs })).rejects.toThrow(/^jobs must be an integer ≥ 1/);
    expect(existsSync(path.join(dir, "never"))).toBe(false);
    const full = path.join(dir, "full");
    mkdirSync(full);
    writeFileSync(path.join(full, "grades.csv"), "old\n");
    expect(() => validateOutDir(full)).toThrow(/--out must be a new or empty directory \(or pass --overwrite/);
    const link = path.join(dir, "out-link");
    symlinkSync(full, link);
    await expect(gradeBatch([{ file, assignment }], { out: link, cellTimeout: 5, overwrite: true })).rejects.toThrow(/not a symlink/);
    expect(readFileSync(path.join(full, "grades.csv"), "utf8")).toBe("old\n");
  });

  it("gets files written atomically, replacing a planted symlink rather than following it", () => {
    const target = path.join(dir, "target.txt");
    writeFileSync(target, "keep\n");
    const out = path.join(dir, "atomic");
    mkdirSync(out);
    symlinkSync(target, path.join(out, "grades.csv"));
    writeFileAtomic(path.join(out, "grades.csv"), "new\n");
    expect(readFileSync(target, "utf8")).toBe("keep\n");
    expect(readFileSync(path.join(out, "grades.csv"), "utf8")).toBe("new\n");
  });
});

describe("the sandbox", () => {
  const scratch = path.join(dir, "scratch");
  mkdirSync(scratch);
  if (process.getuid?.() === 0) chownSync(scratch, 65534, 65534);
  const inSandbox = (script: string) => {
    const spec = { repoRoot: REPO_ROOT, scratch, overlays: [], hidden: [path.join(REPO_ROOT, "test")], cwd: REPO_ROOT, env: { PATH: "/usr/bin:/bin" }, limits: DEFAULT_LIMITS };
    const argv = sandboxArgv(spec, ["/bin/sh", "-c", script]);
    return spawnSync(argv[0], argv.slice(1), { encoding: "utf8", timeout: 60_000 });
  };

  it("can run here", () => {
    expect(sandboxProblem(REPO_ROOT, scratch)).toBeNull();
  });

  it("runs as nobody, with the repository read-only, tests hidden, a writable scratch and no network", () => {
    const run = inSandbox(
      "id -u; touch README.md 2>/dev/null && echo wrote-repo; ls test | wc -l; echo ok > /scratch/x && cat /scratch/x; " +
        "/usr/bin/python3 -c \"import socket; s = socket.socket(); s.settimeout(5)\ntry:\n  s.connect(('1.1.1.1', 80)); print('network')\nexcept OSError as e: print('no network')\"",
    );
    expect(run.stdout.trim().split("\n")).toEqual(["65534", "0", "ok", "no network"]);
  });

  it("takes every process it started down with it", () => {
    const run = inSandbox("(sleep 300.4242 &) ; sleep 300.4242 & echo started");
    expect(run.stdout.trim()).toBe("started");
    const left = spawnSync("pgrep", ["-f", "^sleep 300.4242$"], { encoding: "utf8" });
    expect(left.stdout.trim()).toBe("");
  });
});

describe("a batch graded with two jobs", () => {
  // Unsandboxed, so that the runs can share a log of events with the test (a sandbox writes only its own scratch).
  const events = path.join(dir, "events.txt");
  /**
   * The answer cell logs its start, waits until two runs have started (only possible if they are
   * alive at once), and "first" also until "second" was graded, so that they finish out of order;
   * then it answers. The order of events is made by the runs themselves, not by timing.
   */
  const submission = (name: string) => {
    const source = [
      "// @answer anonymisation/quasi-identifiers",
      'import { appendFileSync, readFileSync } from "node:fs";',
      'import { loadQuiz } from "privacy-course/quiz";',
      `const events = ${JSON.stringify(events)};`,
      `const me: string = ${JSON.stringify(name)};`,
      'const logged = () => readFileSync(events, "utf8").split("\\n");',
      "const waitFor = (done: () => boolean) => {",
      "  const until = Date.now() + 120_000;",
      "  while (!done() && Date.now() < until) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 100);",
      "};",
      'appendFileSync(events, `start ${me}\\n`);',
      'waitFor(() => logged().filter((e) => e.startsWith("start ")).length >= 2);',
      'if (me === "first") waitFor(() => logged().includes("graded second"));',
      'appendFileSync(events, `end ${me}\\n`);',
      'loadQuiz("anonymisation").q1.check("B");',
    ].join("\n");
    return JSON.stringify({ cells: [{ cell_type: "code", source, metadata: {}, outputs: [], execution_count: null }], metadata: {}, nbformat: 4, nbformat_minor: 5 });
  };

  it("keeps two runs alive at once, never more, and reports the submissions in the order given", async () => {
    const names = ["first", "second", "third"];
    const folder = path.join(dir, "jobs");
    mkdirSync(folder);
    writeFileSync(events, "");
    const assignment = assignmentOf("jobs", ["anonymisation/quasi-identifiers"], QUIZZES);
    const entries = names.map((name) => {
      const file = path.join(folder, `${name}.ipynb`);
      writeFileSync(file, submission(name));
      return { file, assignment };
    });
    const out = path.join(folder, "grades");
    const finished: number[] = [];
    const report = await gradeBatch(entries, {
      out,
      cellTimeout: 180,
      unsandboxed: true,
      jobs: 2,
      onGraded: (grade, index) => {
        finished.push(index);
        appendFileSync(events, `graded ${path.basename(grade.submission, ".ipynb")}\n`);
      },
    });
    const log = readFileSync(events, "utf8").trim().split("\n");
    const at = (event: string) => log.indexOf(event);
    // The message too, so that a failure says why.
    expect(report.submissions.map((g) => [path.basename(g.submission), g.points, g.questions[0].message])).toEqual(names.map((n) => [`${n}.ipynb`, 1, expect.stringMatching(/^Correct/)]));
    // Overlap: each of the first two started before the other ended.
    expect(at("start first")).toBeLessThan(at("end second"));
    expect(at("start second")).toBeLessThan(at("end first"));
    // Never three at once: at every event, at most two runs between their start and their end.
    let alive = 0;
    for (const event of log) {
      alive += event.startsWith("start ") ? 1 : event.startsWith("end ") ? -1 : 0;
      expect([event, alive <= 2]).toEqual([event, true]);
    }
    // "second" was graded before "first", yet every report keeps the order of the entries, and each file its entry's number.
    expect(finished.indexOf(1)).toBeLessThan(finished.indexOf(0));
    expect([...finished].sort()).toEqual([0, 1, 2]);
    const written = JSON.parse(readFileSync(path.join(out, "grades.json"), "utf8")) as BatchReport;
    expect(written).toEqual(report);
    expect(readFileSync(path.join(out, "grades.csv"), "utf8").trim().split("\n").slice(1).map((row) => path.basename(row.split(",")[0]))).toEqual(
      gradeRows(report.submissions).map((row) => path.basename(String(row[0]))),
    );
    expect(gradeRows(report.submissions).map((row) => path.basename(String(row[0])))).toEqual(names.map((n) => `${n}.ipynb`));
    for (const [i, name] of names.entries()) expect([name, existsSync(path.join(out, "submissions", `00${i + 1}-${name}.ipynb.json`))]).toEqual([name, true]);
  }, 600_000);
});
