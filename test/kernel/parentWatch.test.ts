/** The kernel exits when the process that started it, or Jupyter (JPY_PARENT_PID), dies. */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { kernelSpec } from "../../src/kernel/install";
import { jupyterParentPid } from "../../src/kernel/parentWatch";

const dirs: string[] = [];
const started: number[] = [];

afterEach(() => {
  for (const pid of started.splice(0)) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // already gone: what the tests want
    }
  }
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A connection file on ipc sockets (no ports to collide), and the file whose existence says the shell socket is bound. */
function connection(): { file: string; shellSocket: string } {
  const dir = mkdtempSync(path.join(os.tmpdir(), "privacy-course-orphan-"));
  dirs.push(dir);
  const ip = path.join(dir, "kernel");
  const file = path.join(dir, "connection.json");
  const ports = { shell_port: 1, iopub_port: 2, stdin_port: 3, control_port: 4, hb_port: 5 };
  writeFileSync(file, JSON.stringify({ transport: "ipc", ip, ...ports, key: randomBytes(16).toString("hex"), signature_scheme: "hmac-sha256" }));
  return { file, shellSocket: `${ip}-${ports.shell_port}` };
}

function kernelArgv(connectionFile: string): string[] {
  return kernelSpec().argv.map((a) => a.replace("{connection_file}", connectionFile));
}

/** Alive and not a zombie waiting for a reaper. */
function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, "utf8"));
  } catch {
    return false;
  }
}

async function until(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (condition()) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return condition();
}

function exited(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve() : child.once("exit", () => resolve())));
}

describe("parent watch", () => {
  it("reads JPY_PARENT_PID as a pid", () => {
    expect(jupyterParentPid({ JPY_PARENT_PID: "4242" })).toBe(4242);
    expect(jupyterParentPid({})).toBeUndefined();
    expect(jupyterParentPid({ JPY_PARENT_PID: "" })).toBeUndefined();
    expect(jupyterParentPid({ JPY_PARENT_PID: "-3" })).toBeUndefined();
  });

  it("exits within a few seconds after the process that started it is killed", async () => {
    const { file, shellSocket } = connection();
    const [node, ...args] = kernelArgv(file);
    // A stand-in for Jupyter: starts the kernel, reports its pid, then waits to be killed.
    const launcher = spawn(
      process.execPath,
      ["-e", `const c = require("node:child_process").spawn(${JSON.stringify(node)}, ${JSON.stringify(args)}, { stdio: "ignore" }); console.log(c.pid); setInterval(() => {}, 1e6);`],
      { stdio: ["ignore", "pipe", "inherit"], env: { ...process.env, JPY_PARENT_PID: "" } },
    );
    const kernelPid = Number(await new Promise<string>((resolve) => launcher.stdout!.once("data", (d: Buffer) => resolve(String(d)))));
    started.push(kernelPid, launcher.pid!);
    expect(await until(() => existsSync(shellSocket), 60_000)).toBe(true);
    launcher.kill("SIGKILL");
    await exited(launcher);
    expect(await until(() => !running(kernelPid), 20_000)).toBe(true);
  });

  it("ignores a JPY_PARENT_PID it cannot see from the start (a kernel in its own pid namespace)", async () => {
    const gone = spawn(process.execPath, ["-e", ""], { stdio: "ignore" });
    await exited(gone);
    const { file, shellSocket } = connection();
    const [node, ...args] = kernelArgv(file);
    const kernel = spawn(node!, args, { stdio: "ignore", env: { ...process.env, JPY_PARENT_PID: String(gone.pid) } });
    started.push(kernel.pid!);
    expect(await until(() => existsSync(shellSocket), 60_000)).toBe(true);
    // The watch looks every second: three looks later the kernel is still there.
    await new Promise((resolve) => setTimeout(resolve, 3500));
    expect(running(kernel.pid!)).toBe(true);
  });

  it("exits when Jupyter (JPY_PARENT_PID) dies, even while its direct parent lives", async () => {
    const { file, shellSocket } = connection();
    const jupyter = spawn(process.execPath, ["-e", "setInterval(() => {}, 1e6)"], { stdio: "ignore" });
    started.push(jupyter.pid!);
    const [node, ...args] = kernelArgv(file);
    const kernel = spawn(node!, args, { stdio: "ignore", env: { ...process.env, JPY_PARENT_PID: String(jupyter.pid) } });
    started.push(kernel.pid!);
    expect(await until(() => existsSync(shellSocket), 60_000)).toBe(true);
    expect(kernel.exitCode).toBeNull();
    jupyter.kill("SIGKILL");
    await exited(jupyter);
    await Promise.race([exited(kernel), new Promise((resolve) => setTimeout(resolve, 20_000))]);
    expect(kernel.exitCode ?? kernel.signalCode).not.toBeNull();
  });
});
