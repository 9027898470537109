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

export class KernelSockets {
  /** The latest send per socket, awaited before closing. */
  private readonly queues = new Map<SendChannel, Promise<void>>();

  private constructor(
    private readonly sockets: Record<SendChannel, Zmq.Router | Zmq.Publisher>,
    private readonly heartbeat: Worker,
    private readonly onError: (message: string) => void,
  ) {}

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

  /**
   * Sends now, not after a microtask: output printed by a long synchronous cell then reaches the
   * notebook while the cell runs. PUB and ROUTER sockets never block on a send (they drop at
   * the high-water mark or for an unknown peer), so zeromq's one-send-at-a-time rule, which is
   * about blocked sends, does not bite.
   */
  send(channel: SendChannel, frames: Frame[]): void {
    const sent = this.sockets[channel].send(frames).catch((error) => this.onError(`send on ${channel} failed: ${String(error)}`));
    this.queues.set(channel, sent);
  }

  /** Waits for queued sends, then closes everything (used on shutdown). */
  async close(): Promise<void> {
    await Promise.all(this.queues.values());
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
