/**
 * What only a real process shows: the binary's exit codes and one-line errors (where a stack
 * trace used to escape), --debug, and signals. Killing a command mid-write (SIGINT, SIGTERM,
 * SIGKILL) leaves the old file or the new one in place, never part of one.
 */
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseCsvTable } from "../src/anonymity";
import { writeFileSafely } from "../src/runtime/safeWrite";
import { cliInProcess } from "./helpers/cliInProcess";

const bin = join(__dirname, "..", "bin", "privacy-course.js");

function cli(...args: string[]) {
  const run = spawnSync(process.execPath, [bin, ...args], { encoding: "utf8" });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("the binary: one line and exit 2 where stack traces used to escape", () => {
  it.each([
    ["pipeline --json DIR", (d: string) => ["pipeline", "--json", d], /^privacy-course pipeline: --json must be a file path, not a directory; got ".*"\n$/],
    ["sweep --delta 2", () => ["sweep", "--delta", "2"], /^privacy-course sweep: --delta must be a number in \(0, 1\); got 2\n$/],
    ["course bogus", () => ["course", "bogus"], /^privacy-course course: course ACTION must be one of open, setup, reset; got "bogus"\n$/],
    ["kernel install --prefix FILE", (d: string) => ["kernel", "install", "--prefix", join(d, "f")], /^privacy-course kernel: --prefix must be a folder/],
  ])("%s", (_, args, message) => {
    const d = mkdtempSync(join(tmpdir(), "pc-proc-"));
    writeFileSync(join(d, "f"), "");
    const run = cli(...args(d));
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(run.stdout).toBe("");
  });
});

describe("an unexpected error", () => {
  const broken = () => ({
    epsilonCommand: () => {
      throw new Error("the accountant fell over\nsecond line");
    },
  });
  it("is a short message with where to report it, exit 1; the stack only with --debug", async () => {
    const plain = await cliInProcess(["epsilon"], broken);
    expect(plain.code).toBe(1);
    expect(plain.stderr).toMatch(/^privacy-course epsilon: unexpected error: Error: the accountant fell over second line\nThis is a bug in privacy-course: please report it/);
    expect(plain.stderr).not.toMatch(/\n\s+at /);
    const debug = await cliInProcess(["epsilon", "--debug"], broken);
    expect(debug.code).toBe(1);
    expect(debug.stderr).toMatch(/\n\s+at /);
  });

  it("a file-system error is the user's: one line naming the path, exit 2", async () => {
    const missing = Object.assign(new Error("ENOENT: no such file or directory, open '/x/y'"), { code: "ENOENT", path: "/x/y" });
    const run = await cliInProcess(["epsilon"], () => ({ epsilonCommand: () => { throw missing; } }));
    expect(run).toEqual({ code: 2, stdout: "", stderr: "privacy-course epsilon: /x/y: no such file or directory (ENOENT)" });
  });
});

/** Polls until a temporary file of `name` appears in d (the writer is mid-write), or the child exits. */
async function whenWriting(d: string, name: string, child: ReturnType<typeof spawn>): Promise<boolean> {
  while (child.exitCode === null && child.signalCode === null) {
    if (readdirSync(d).some((f) => f.startsWith(`.${name}.tmp-`))) return true;
    await sleep(1);
  }
  return false;
}

const exited = (child: ReturnType<typeof spawn>) =>
  new Promise<{ code: number | null; signal: string | null }>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve({ code: child.exitCode, signal: child.signalCode });
    else child.on("exit", (code, signal) => resolve({ code, signal }));
  });

describe("killed mid-write: the old file or the new one, never part of one", () => {
  const size = 16 * 1024 * 1024;
  it.each(["SIGINT", "SIGTERM", "SIGKILL"] as const)("%s", async (signal) => {
    const d = mkdtempSync(join(tmpdir(), "pc-kill-"));
    const dest = join(d, "out.bin");
    writeFileSync(dest, "the old, good file\n");
    const child = spawn(process.execPath, [join(__dirname, "helpers", "writeRounds.js"), dest, String(size)], { stdio: "ignore" });
    const midWrite = await whenWriting(d, "out.bin", child);
    expect(midWrite).toBe(true);
    child.kill(signal);
    const { code, signal: killedBy } = await exited(child);
    const bytes = readFileSync(dest);
    // Whole: the old file, or every byte of one round's letter.
    const whole = bytes.toString() === "the old, good file\n" || (bytes.length === size && bytes.every((b) => b === bytes[0]));
    expect(whole).toBe(true);
    const temporaries = readdirSync(d).filter((f) => f.includes(".tmp-"));
    if (signal === "SIGKILL") {
      expect(killedBy).toBe("SIGKILL");
      // A SIGKILL cannot be caught: its temporary file may remain, beside the intact file, until the next write removes it.
      writeFileSafely(dest, "next", { flag: "--out", force: true });
      expect(readdirSync(d)).toEqual(["out.bin"]);
    } else {
      // The CLI's handler finishes the write in progress (it is synchronous), then exits 128 + signal.
      expect(code).toBe(signal === "SIGINT" ? 130 : 143);
      expect(temporaries).toEqual([]);
    }
  }, 60_000);

  it("a real command (anonymize --force over an existing release) killed while it writes", async () => {
    const d = mkdtempSync(join(tmpdir(), "pc-kill-"));
    const rows = 60_000;
    const lines = ["age,zip,disease"];
    for (let i = 0; i < rows; i++) lines.push(`${20 + (i % 60)},${String(10000 + ((i * 7919) % 90000)).padStart(5, "0")},${["flu", "cold", "asthma"][i % 3]}`);
    writeFileSync(join(d, "in.csv"), lines.join("\n") + "\n");
    const out = join(d, "release.csv");
    for (const signal of ["SIGTERM", "SIGKILL"] as const) {
      writeFileSync(out, "the old release\n");
      const child = spawn(process.execPath, [bin, "anonymize", join(d, "in.csv"), "--quasi", "age,zip", "--sensitive", "disease", "--k", "5", "--out", out, "--force"], { stdio: "ignore" });
      // Killed once its temporary file exists; if the write finished between two polls, the new release must be whole.
      if (await whenWriting(d, "release.csv", child)) child.kill(signal);
      await exited(child);
      const text = readFileSync(out, "utf8");
      if (text !== "the old release\n") {
        // Then it is the whole new release: every row, parseable.
        expect(parseCsvTable(text).trace.rows).toBe(rows);
      }
      if (signal === "SIGTERM") expect(readdirSync(d).filter((f) => f.includes(".tmp-"))).toEqual([]);
    }
  }, 120_000);
});

