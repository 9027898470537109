/**
 * What the grader's concurrent runs stand on: a child process run asynchronously (its input on
 * stdin, its output in a log file, killed with SIGKILL past its wall time, and said so), and the
 * semaphore that bounds the runs alive at once.
 */
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { concurrencyLimit, settleAll } from "../../src/runtime/limit";
import { runLogged } from "../../src/runtime/loggedProcess";

const dir = mkdtempSync(path.join(tmpdir(), "concurrency-"));

describe("runLogged", () => {
  it("feeds the input on stdin and writes stdout and stderr to the log", async () => {
    const log = path.join(dir, "cat.txt");
    const end = await runLogged(["/bin/sh", "-c", "cat; echo to-stderr >&2; exit 3"], { input: "from stdin\n", log, timeoutSeconds: 60 });
    expect([end.status, end.signal, end.reason]).toEqual([3, null, "exit 3"]);
    expect(readFileSync(log, "utf8")).toBe("from stdin\nto-stderr\n");
  });

  it("kills the child with SIGKILL past its wall time, and says after how long", async () => {
    // A child that ignores the polite signals: only SIGKILL stops it.
    const end = await runLogged(["/bin/sh", "-c", "trap '' TERM INT; sleep 600"], { log: path.join(dir, "sleep.txt"), timeoutSeconds: 0.5 });
    expect([end.status, end.signal, end.reason]).toEqual([null, "SIGKILL", "killed by SIGKILL after the run's 0.5 s"]);
  });

  it("reports a command that cannot start", async () => {
    const end = await runLogged([path.join(dir, "no-such-command")], { log: path.join(dir, "missing.txt"), timeoutSeconds: 60 });
    expect([end.status, end.error?.message]).toEqual([null, expect.stringMatching(/ENOENT/)]);
    expect(end.reason).toBe(end.error?.message);
  });
});

describe("concurrencyLimit", () => {
  it("runs at most its slots at once, first come first served", async () => {
    const limit = concurrencyLimit(2);
    const events: string[] = [];
    let alive = 0;
    let most = 0;
    const releases: (() => void)[] = [];
    const task = (name: string) =>
      limit(async () => {
        events.push(`start ${name}`);
        most = Math.max(most, ++alive);
        await new Promise<void>((resolve) => releases.push(resolve));
        alive--;
        events.push(`end ${name}`);
        return name;
      });
    const all = settleAll(["a", "b", "c", "d"].map(task));
    // Let the tasks that got a slot start, then end them one by one, oldest first.
    for (let i = 0; i < 4; i++) {
      await new Promise((resolve) => setImmediate(resolve));
      releases.shift()!();
    }
    expect(await all).toEqual(["a", "b", "c", "d"]);
    expect(most).toBe(2);
    expect(events).toEqual(["start a", "start b", "end a", "start c", "end b", "start d", "end c", "end d"]);
  });

  it("frees the slot of a task that throws, and settleAll waits for the others before throwing", async () => {
    const limit = concurrencyLimit(1);
    let finished = false;
    const failing = limit(async () => {
      throw new Error("boom");
    });
    const after = limit(async () => {
      await new Promise((resolve) => setImmediate(resolve));
      finished = true;
    });
    await expect(settleAll([failing, after])).rejects.toThrow("boom");
    expect(finished).toBe(true);
  });

  it("refuses a number of slots that is not a whole number ≥ 1", () => {
    expect(() => concurrencyLimit(0)).toThrow(/slots must be an integer ≥ 1; got 0/);
    expect(() => concurrencyLimit(1.5)).toThrow(/slots must be an integer ≥ 1; got 1.5/);
  });
});
