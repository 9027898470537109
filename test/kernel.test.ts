/**
 * The course kernel end to end: Jupyter's own conformance suite (Debian's
 * python3-jupyter-kernel-test) against the installed kernelspec, then what the suite does not
 * cover — interrupts, imports from a notebook directory, tracebacks, clean shutdown.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { kernelCommand } from "../src/cli/commands/kernel";
import { KernelClient } from "../src/kernel/client";
import { DEFAULT_PYTHON, DISPLAY_NAME, REPO_ROOT, type KernelSpec } from "../src/kernel/install";

const SUITE_DIR = path.join(REPO_ROOT, "test", "kernel");
const APT_LINE = "sudo apt-get update && sudo apt-get install -y --no-install-recommends jupyter-notebook jupyter-nbconvert python3-nbclient python3-jupyter-kernel-test";

let prefix: string;
let spec: KernelSpec;

beforeAll(async () => {
  prefix = mkdtempSync(path.join(os.tmpdir(), "privacy-course-kernelspec-"));
  const message = await kernelCommand(["install", "--prefix", prefix]);
  expect(message).toContain(path.join(prefix, "share", "jupyter", "kernels", "privacy-course"));
  spec = JSON.parse(readFileSync(path.join(prefix, "share", "jupyter", "kernels", "privacy-course", "kernel.json"), "utf8"));
});

afterAll(() => rmSync(prefix, { recursive: true, force: true }));

describe("kernelspec", () => {
  it("starts this repository's CLI with an absolute node and Jupyter's connection file", () => {
    expect(spec.argv).toEqual([process.execPath, path.join(REPO_ROOT, "bin", "privacy-course.js"), "kernel", "--connection-file", "{connection_file}"]);
    expect(path.isAbsolute(spec.argv[0]!)).toBe(true);
    expect(spec.display_name).toBe(DISPLAY_NAME);
    expect(spec.language).toBe("typescript");
  });
});

describe("Jupyter's kernel conformance suite (jupyter_kernel_test)", () => {
  it("passes every test, none skipped", () => {
    const probe = spawnSync(DEFAULT_PYTHON, ["-c", "import jupyter_client, jupyter_kernel_test"], { encoding: "utf8" });
    if (probe.status !== 0) {
      throw new Error(
        `Jupyter's kernel test suite is not installed for ${DEFAULT_PYTHON} (${(probe.stderr || String(probe.error)).trim()}).\n` +
          `Install it with:  ${APT_LINE}\n(or run scripts/setup-jupyter.sh)`,
      );
    }
    const runtime = mkdtempSync(path.join(os.tmpdir(), "privacy-course-jupyter-runtime-"));
    // Run from test/kernel: from the root, `-m unittest test/kernel/…` finds the stdlib's `test`.
    const result = spawnSync(DEFAULT_PYTHON, ["-m", "unittest", "-v", "test_privacy_course_kernel"], {
      cwd: SUITE_DIR,
      env: { ...process.env, JUPYTER_PATH: path.join(prefix, "share", "jupyter"), JUPYTER_RUNTIME_DIR: runtime, PYTHONDONTWRITEBYTECODE: "1" },
      encoding: "utf8",
      timeout: 240_000,
    });
    rmSync(runtime, { recursive: true, force: true });
    const output = `${result.stdout}\n${result.stderr}`;
    const ran = Number(/^Ran (\d+) tests?/m.exec(output)?.[1] ?? 0);
    const verdict = /^(OK|FAILED)\b.*$/m.exec(output)?.[0] ?? "no verdict";
    const passed = verdict.startsWith("OK") && !/skipped/.test(verdict) && result.status === 0;
    expect(passed, `jupyter_kernel_test: ${verdict} after ${ran} tests\n\n${output}`).toBe(true);
    expect(ran).toBeGreaterThanOrEqual(12);
  }, 300_000);
});

describe("a kernel still loading TypeScript", () => {
  it("answers comm_info, is_complete, history and control requests sent right after kernel_info before it builds the compiler", async () => {
    const stderr: string[] = [];
    const client = await KernelClient.launch(spec, { cwd: SUITE_DIR, env: { ...process.env, PRIVACY_COURSE_KERNEL_DEBUG: "1" }, onStderr: (t) => stderr.push(t) });
    try {
      await client.waitForReady();
      const replies = await Promise.all([
        client.request("comm_info_request", {}),
        client.request("is_complete_request", { code: "function f() {\n  if (x) {\n    }" }),
        client.request("history_request", { hist_access_type: "tail", n: 10, output: false, raw: true }),
        client.request("kernel_info_request", {}, "control"),
      ]);
      expect(replies.map((r) => r.content)).toEqual([
        { status: "ok", comms: {} },
        { status: "incomplete", indent: "  " },
        { status: "ok", history: [] },
        expect.objectContaining({ status: "ok", implementation: "privacy-course" }),
      ]);
      expect((await client.request("execute_request", { code: "1 + 1", silent: false, store_history: true, user_expressions: {}, allow_stdin: false, stop_on_error: true })).content.status).toBe("ok");
      // The kernel's own clock: every answer above left before the compiler began to build.
      // (stderr is a pipe of its own: the line may trail the reply.)
      for (let waited = 0; waited < 10_000 && !stderr.join("").includes("building started"); waited += 50) await new Promise((r) => setTimeout(r, 50));
      const building = /building started at (\S+)\)/.exec(stderr.join(""))?.[1];
      expect(building, stderr.join("")).toBeDefined();
      for (const reply of replies) expect(reply.header.date < building!).toBe(true);
    } finally {
      await client.shutdown();
    }
  }, 120_000);
});

describe("the running kernel", () => {
  let client: KernelClient;
  const stderr: string[] = [];
  const execute = (code: string) => client.request("execute_request", { code, silent: false, store_history: true, user_expressions: {}, allow_stdin: false, stop_on_error: false });

  beforeAll(async () => {
    // Started in test/kernel, as Jupyter starts a kernel in the notebook's directory.
    client = await KernelClient.launch(spec, { cwd: SUITE_DIR, onStderr: (t) => stderr.push(t) });
    await client.waitForReady();
  }, 60_000);

  afterAll(async () => {
    await client?.shutdown();
  });

  it("imports the course's code relative to the notebook and shows rich values", async () => {
    const reply = await execute('import { html } from "../../src/kernel/display";\nhtml("<b>ε = 1</b>")');
    expect(reply.content.status).toBe("ok");
    const result = (await client.outputsOf(reply.parent_header.msg_id as string)).find((m) => m.header.msg_type === "execute_result");
    expect(result?.content.data).toEqual({ "text/html": "<b>ε = 1</b>", "text/plain": "<b>ε = 1</b>" });
  });

  it("reports compiler errors at the learner's line and column, specifiers as written", async () => {
    const reply = await execute('import { nope } from "../../src/kernel/nope";');
    expect(reply.content).toMatchObject({ status: "error", ename: "TypeScriptError" });
    expect(reply.content.evalue).toBe("Cannot find module '../../src/kernel/nope' or its corresponding type declarations. (TS2307, In[2]:1:22)");
  });

  it("trims runtime stacks to the cell, with TypeScript line numbers", async () => {
    const reply = await execute('function check(epsilon: number): number {\n  if (epsilon <= 0) throw new RangeError("ε must be > 0");\n  return epsilon;\n}\ncheck(-1);');
    expect(reply.content).toMatchObject({ status: "error", ename: "RangeError", evalue: "ε must be > 0" });
    const text = (reply.content.traceback as string[]).join("\n").replace(/\u001b\[[\d;]*m/g, "");
    expect(text).toContain("at check (In[3], line 2)");
    expect(text).toContain("at In[3], line 5");
    expect(text).not.toMatch(/tslab|node:vm|src\/kernel/);
  });

  it("streams a long synchronous cell's output while it runs, not all at the end", async () => {
    const reply = await execute('for (let i = 0; i < 3; i++) {\n  console.log(`epoch ${i}`);\n  const until = Date.now() + 250;\n  while (Date.now() < until);\n}');
    const streams = (await client.outputsOf(reply.parent_header.msg_id as string)).filter((m) => m.header.msg_type === "stream");
    expect(streams.map((m) => m.content.text).join("")).toBe("epoch 0\nepoch 1\nepoch 2\n");
    expect(streams.length).toBeGreaterThanOrEqual(2);
  });

  it("stops a busy synchronous loop on SIGINT (Jupyter's interrupt) and keeps running", async () => {
    const pending = execute("let spins = 0;\nwhile (true) spins++;");
    await new Promise((r) => setTimeout(r, 1500));
    client.process.kill("SIGINT");
    expect((await pending).content).toMatchObject({ status: "error", ename: "Interrupted" });
    expect((await execute("1 + 1")).content.status).toBe("ok");
  });

  it("stops a pending top-level await on interrupt_request", async () => {
    const pending = execute("await new Promise(() => undefined);");
    await new Promise((r) => setTimeout(r, 300));
    expect((await client.request("interrupt_request", {}, "control")).content).toEqual({ status: "ok" });
    expect((await pending).content).toMatchObject({ status: "error", ename: "Interrupted" });
  });

  it("reads earlier cells' variables through shorthand properties, also in destructuring assignments", async () => {
    expect((await execute("const steps = 3;\nlet rate = 0.5;\nfunction twice(x: number) { return 2 * x; }")).content.status).toBe("ok");
    const reply = await execute("const options = { steps, rate, twice };\n({ rate } = { rate: 0.25 });\n`${JSON.stringify(options)} ${options.twice(steps)} ${rate}`");
    expect(reply.content.status).toBe("ok");
    const result = (await client.outputsOf(reply.parent_header.msg_id as string)).find((m) => m.header.msg_type === "execute_result");
    expect(result?.content.data).toMatchObject({ "text/plain": "'{\"steps\":3,\"rate\":0.5} 6 0.25'" });
  });

  it("exits cleanly on shutdown_request", async () => {
    const code = await client.shutdown();
    expect(code).toBe(0);
    expect(stderr.join("")).not.toMatch(/terminate called|Napi::Error/);
  });
});
