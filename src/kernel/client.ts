/**
 * A minimal Jupyter client for the benchmark and tests: starts a kernel from its kernelspec
 * (exactly as Jupyter would: argv with {connection_file}), talks to it over ZeroMQ.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import type * as Zmq from "zeromq";
import type { KernelSpec } from "./install";
import { decode, encode, header, type Incoming, type Message } from "./protocol";
import { OutgoingQueue, type ConnectionInfo } from "./sockets";

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export interface LaunchOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Kernel stderr (its own log) is collected here; stdout is ignored. */
  onStderr?: (text: string) => void;
}

export class KernelClient {
  readonly iopub: Incoming[] = [];
  /** iopub messages by the msg_id of the request they answer. */
  private readonly iopubByParent = new Map<string, Incoming[]>();
  /** msg_ids of the requests whose status "idle" has arrived. */
  private readonly idle = new Set<string>();
  private readonly session = randomUUID();
  private readonly waiters = new Map<string, (m: Incoming) => void>();
  private iopubListeners: (() => void)[] = [];
  /** Requests may be sent many at a time (pipelined); zeromq takes one send per socket at once. */
  private readonly outgoing: Record<"shell" | "control", OutgoingQueue>;
  /** Sends that failed, named in the error of a request left without a reply. */
  private readonly sendErrors: string[] = [];

  private constructor(
    readonly process: ChildProcess,
    private readonly info: ConnectionInfo,
    private readonly shell: Zmq.Dealer,
    private readonly control: Zmq.Dealer,
    private readonly sub: Zmq.Subscriber,
    private readonly dir: string,
  ) {
    const failed = (error: unknown) => void this.sendErrors.push(String(error));
    this.outgoing = { shell: new OutgoingQueue(shell, failed), control: new OutgoingQueue(control, failed) };
  }

  static async launch(spec: KernelSpec, options: LaunchOptions = {}): Promise<KernelClient> {
    const zmq = require("zeromq") as typeof Zmq;
    const dir = mkdtempSync(path.join(os.tmpdir(), "privacy-course-kernel-"));
    const [shell_port, iopub_port, stdin_port, control_port, hb_port] = await Promise.all([1, 2, 3, 4, 5].map(freePort));
    const info: ConnectionInfo = {
      transport: "tcp",
      ip: "127.0.0.1",
      shell_port: shell_port!,
      iopub_port: iopub_port!,
      stdin_port: stdin_port!,
      control_port: control_port!,
      hb_port: hb_port!,
      key: randomBytes(16).toString("hex"),
      signature_scheme: "hmac-sha256",
      kernel_name: "privacy-course",
    };
    const file = path.join(dir, "connection.json");
    writeFileSync(file, JSON.stringify(info));
    const argv = spec.argv.map((a) => a.replace("{connection_file}", file));
    const child = spawn(argv[0]!, argv.slice(1), {
      cwd: options.cwd ?? process.cwd(),
      env: options.env ?? process.env,
      stdio: ["ignore", "ignore", "pipe"],
    });
    child.stderr!.setEncoding("utf8").on("data", (t: string) => options.onStderr?.(t));
    const shell = new zmq.Dealer();
    const control = new zmq.Dealer();
    const sub = new zmq.Subscriber();
    for (const s of [shell, control, sub]) s.linger = 0;
    shell.connect(`tcp://127.0.0.1:${info.shell_port}`);
    control.connect(`tcp://127.0.0.1:${info.control_port}`);
    sub.connect(`tcp://127.0.0.1:${info.iopub_port}`);
    sub.subscribe();
    const client = new KernelClient(child, info, shell, control, sub, dir);
    client.listen();
    return client;
  }

  private listen(): void {
    const loop = async (socket: Zmq.Dealer | Zmq.Subscriber, iopub: boolean) => {
      for await (const frames of socket) {
        const message = decode(this.info.key, frames);
        if (iopub) {
          this.iopub.push(message);
          const parentId = (message.parent_header as { msg_id?: string }).msg_id ?? "";
          const siblings = this.iopubByParent.get(parentId);
          if (siblings) siblings.push(message);
          else this.iopubByParent.set(parentId, [message]);
          if (message.header.msg_type === "status" && message.content.execution_state === "idle") this.idle.add(parentId);
          for (const l of this.iopubListeners.splice(0)) l();
        } else {
          const parentId = (message.parent_header as { msg_id?: string }).msg_id ?? "";
          this.waiters.get(parentId)?.(message);
          this.waiters.delete(parentId);
        }
      }
    };
    void loop(this.shell, false).catch(() => undefined);
    void loop(this.control, false).catch(() => undefined);
    void loop(this.sub, true).catch(() => undefined);
  }

  /** Sends a request and resolves with its reply. */
  request(msgType: string, content: object, channel: "shell" | "control" = "shell", timeoutMs = 30_000): Promise<Incoming> {
    const message: Message<object> = { header: header(msgType, this.session, "test"), parent_header: {}, metadata: {}, content, buffers: [] };
    const reply = new Promise<Incoming>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(message.header.msg_id);
        const failures = this.sendErrors.length > 0 ? ` (failed sends: ${this.sendErrors.join("; ")})` : "";
        reject(new Error(`no reply to ${msgType} within ${timeoutMs} ms${failures}`));
      }, timeoutMs);
      this.waiters.set(message.header.msg_id, (m) => {
        clearTimeout(timer);
        resolve(m);
      });
    });
    this.outgoing[channel].push(encode(this.info.key, message));
    return reply;
  }

  /** Retries kernel_info until the kernel answers (the first request may precede its bind). */
  async waitForReady(timeoutMs = 30_000): Promise<Incoming> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      try {
        return await this.request("kernel_info_request", {}, "shell", 250);
      } catch (error) {
        if (Date.now() > deadline || this.process.exitCode !== null) throw error;
      }
    }
  }

  /** iopub messages caused by a request, once its status "idle" has arrived. */
  async outputsOf(msgId: string, timeoutMs = 30_000): Promise<Incoming[]> {
    const deadline = Date.now() + timeoutMs;
    while (!this.idle.has(msgId)) {
      if (Date.now() > deadline) throw new Error(`no idle status for ${msgId}`);
      await new Promise<void>((resolve) => {
        this.iopubListeners.push(resolve);
        setTimeout(resolve, 100);
      });
    }
    return [...(this.iopubByParent.get(msgId) ?? [])];
  }

  private shutdownResult?: Promise<number | null>;

  /** Asks the kernel to shut down; resolves with its exit code (idempotent). */
  shutdown(): Promise<number | null> {
    return (this.shutdownResult ??= this.doShutdown());
  }

  private async doShutdown(): Promise<number | null> {
    const exited = new Promise<number | null>((resolve) => {
      if (this.process.exitCode !== null) resolve(this.process.exitCode);
      else this.process.once("exit", (code, signal) => resolve(code ?? (signal ? -1 : null)));
    });
    await this.request("shutdown_request", { restart: false }, "control", 5000).catch(() => this.process.kill("SIGKILL"));
    const code = await Promise.race([exited, new Promise<null>((r) => setTimeout(() => r(null), 5000))]);
    if (this.process.exitCode === null) this.process.kill("SIGKILL");
    for (const s of [this.shell, this.control, this.sub]) s.close();
    rmSync(this.dir, { recursive: true, force: true });
    return code;
  }
}
