/**
 * The five ZeroMQ sockets of a Jupyter kernel (zeromq v6): shell, control and stdin ROUTERs, the
 * iopub PUBLISHER, and the heartbeat REP — in a worker thread, so a cell that keeps the main
 * thread busy is not mistaken for a dead kernel (ipykernel uses a thread for the same reason).
 */
import { readFileSync } from "node:fs";
import { Worker } from "node:worker_threads";
import type * as Zmq from "zeromq";
import type { Frame } from "./protocol";

export interface ConnectionInfo {
  transport: "tcp" | "ipc";
  ip: string;
  shell_port: number;
  iopub_port: number;
  stdin_port: number;
  control_port: number;
  hb_port: number;
  key: string;
  signature_scheme: string;
  kernel_name?: string;
}

export function readConnectionFile(file: string): ConnectionInfo {
  const info = JSON.parse(readFileSync(file, "utf8")) as ConnectionInfo;
  if (info.signature_scheme && info.signature_scheme !== "hmac-sha256") {
    throw new Error(`unsupported signature_scheme ${info.signature_scheme}; this kernel signs with hmac-sha256`);
  }
  return { ...info, transport: info.transport ?? "tcp", key: info.key ?? "" };
}

/** tcp://127.0.0.1:5555, or for ipc the file `${ip}-${port}` as jupyter_client names it. */
export function endpoint(info: ConnectionInfo, port: number): string {
  return info.transport === "ipc" ? `ipc://${info.ip}-${port}` : `tcp://${info.ip}:${port}`;
}

export type RequestChannel = "shell" | "control";
export type SendChannel = RequestChannel | "iopub" | "stdin";

// The worker closes its own socket when asked: terminating a thread with an open zeromq socket,
// or exiting the process under it, aborts Node ("terminate called … Napi::Error").
const HEARTBEAT_WORKER = `
const { workerData, parentPort } = require("node:worker_threads");
const zmq = require(workerData.zeromq);
(async () => {
  const sock = new zmq.Reply();
  parentPort.on("message", (m) => {
    if (m !== "close") return;
    sock.linger = 0;
    sock.close();
    parentPort.close();
  });
  await sock.bind(workerData.endpoint);
  parentPort.postMessage({ bound: true });
  for await (const msg of sock) await sock.send(msg);
})().catch((error) => parentPort.postMessage({ error: String(error && error.stack || error) }));
`;

/** What OutgoingQueue needs of a zeromq socket. */
export interface Sender {
  send(frames: Frame[]): Promise<void>;
}

/**
 * One socket's outgoing messages, in order, never two sends at once. zeromq allows a single send
 * in progress per socket: after 512 sends completed synchronously it defers the next one to the
 * event loop, and a send made before that one has finished throws EBUSY synchronously (the
 * kernel's old fire-and-forget send let that throw escape and stopped answering after ~500
 * outputs). A message goes out at once while the socket is free — output of a long synchronous
 * cell reaches the notebook while the cell runs — and otherwise waits its turn: each waiting
 * message is sent after the previous send has settled. A failed send is reported, never thrown.
 */
export class OutgoingQueue {
  private readonly waiting: Frame[][] = [];
  /** The latest send handed to the socket, settled or not. */
  private last: Promise<void> = Promise.resolve();
  private draining?: Promise<void>;

  constructor(
    private readonly socket: Sender,
    private readonly onError: (error: unknown) => void,
  ) {}

  push(frames: Frame[]): void {
    if (this.waiting.length === 0 && this.trySend(frames)) return;
    this.waiting.push(frames);
    this.draining ??= this.drain();
  }

  /** Resolves once every message pushed so far has been handed over and its send has settled. */
  async flushed(): Promise<void> {
    while (this.draining) await this.draining;
    await this.last;
  }

  /** False when the socket is still busy with an earlier send (the message must wait). */
  private trySend(frames: Frame[]): boolean {
    try {
      this.last = this.socket.send(frames).catch((error: unknown) => this.onError(error));
      return true;
    } catch (error) {
      if (isBusy(error)) return false;
      this.onError(error);
      return true; // dropped and reported: retrying a send that failed outright would fail again
    }
  }

  private async drain(): Promise<void> {
    try {
      while (this.waiting.length > 0) {
        await this.last;
        if (this.trySend(this.waiting[0]!)) this.waiting.shift();
        else await new Promise((resolve) => setImmediate(resolve)); // settled, not yet released: next turn
      }
    } finally {
      // In the same turn as the last check: a message pushed after it starts a new drain.
      this.draining = undefined;
    }
  }
}

function isBusy(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { code?: unknown }).code === "EBUSY";
}

export class KernelSockets {
  private readonly queues: Record<SendChannel, OutgoingQueue>;

  private constructor(
    private readonly sockets: Record<SendChannel, Zmq.Router | Zmq.Publisher>,
    private readonly heartbeat: Worker,
    onError: (message: string) => void,
  ) {
    const queue = (channel: SendChannel) =>
      new OutgoingQueue(sockets[channel], (error) => onError(`send on ${channel} failed: ${error instanceof Error ? error.message : String(error)}`));
    this.queues = { shell: queue("shell"), control: queue("control"), stdin: queue("stdin"), iopub: queue("iopub") };
  }

  static async open(
    info: ConnectionInfo,
    onMessage: (channel: RequestChannel, frames: Buffer[]) => void,
    onError: (message: string) => void,
  ): Promise<KernelSockets> {
    const zmq = require("zeromq") as typeof Zmq;
    const heartbeat = startHeartbeat(endpoint(info, info.hb_port), onError);
    const shell = new zmq.Router();
    const control = new zmq.Router();
    const stdin = new zmq.Router();
    const iopub = new zmq.Publisher();
    // A send never waits (PUB and ROUTER drop rather than block, so nothing changes on the wire),
    // which keeps zeromq from deferring sends to the event loop a long synchronous cell holds.
    for (const socket of [shell, control, stdin, iopub]) socket.sendTimeout = 0;
    // PUB drops messages past its high-water mark (1000) when a subscriber reads slower than a cell
    // displays: a learner's output is kept instead, for as long as the cell produces it.
    iopub.sendHighWaterMark = 0;
    await Promise.all([
      shell.bind(endpoint(info, info.shell_port)),
      control.bind(endpoint(info, info.control_port)),
      stdin.bind(endpoint(info, info.stdin_port)),
      iopub.bind(endpoint(info, info.iopub_port)),
      heartbeat.ready,
    ]);
    const sockets = new KernelSockets({ shell, control, stdin, iopub }, heartbeat.worker, onError);
    for (const [channel, socket] of [["shell", shell], ["control", control]] as const) {
      void (async () => {
        for await (const frames of socket) onMessage(channel, frames);
      })().catch((error) => onError(`${channel} receive loop ended: ${String(error)}`));
    }
    return sockets;
  }

  send(channel: SendChannel, frames: Frame[]): void {
    this.queues[channel].push(frames);
  }

  /** Waits for queued sends, then closes everything (used on shutdown). */
  async close(): Promise<void> {
    await Promise.all(Object.values(this.queues).map((q) => q.flushed()));
    for (const socket of Object.values(this.sockets)) {
      socket.linger = 500;
      socket.close();
    }
    const exited = new Promise((resolve) => this.heartbeat.once("exit", resolve));
    this.heartbeat.postMessage("close");
    const timeout = new Promise((resolve) => setTimeout(resolve, 1000).unref());
    if ((await Promise.race([exited.then(() => "exited"), timeout])) !== "exited") await this.heartbeat.terminate();
  }
}

function startHeartbeat(address: string, onError: (message: string) => void): { worker: Worker; ready: Promise<void> } {
  const worker = new Worker(HEARTBEAT_WORKER, {
    eval: true,
    workerData: { zeromq: require.resolve("zeromq"), endpoint: address },
  });
  worker.unref();
  const ready = new Promise<void>((resolve, reject) => {
    worker.on("message", (m: { bound?: boolean; error?: string }) => {
      if (m.bound) resolve();
      if (m.error) {
        onError(`heartbeat: ${m.error}`);
        reject(new Error(m.error));
      }
    });
    worker.on("error", (error) => {
      onError(`heartbeat worker: ${String(error)}`);
      reject(error);
    });
  });
  return { worker, ready };
}
