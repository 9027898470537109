/** The outgoing queue against zeromq's one-send-at-a-time rule, on real sockets and on a model of it. */
import { describe, expect, it } from "vitest";
import type * as Zmq from "zeromq";
import { OutgoingQueue, type Sender } from "../../src/kernel/sockets";
import type { Frame } from "../../src/kernel/protocol";

describe("OutgoingQueue", () => {
  it("delivers thousands of messages pushed in one synchronous burst, in order (zeromq throws EBUSY past 512 without it)", async () => {
    const zmq = require("zeromq") as typeof Zmq;
    const router = new zmq.Router();
    const dealer = new zmq.Dealer();
    const endpoint = `inproc://outgoing-queue-${process.pid}`;
    await router.bind(endpoint);
    dealer.connect(endpoint);
    const errors: unknown[] = [];
    const count = 3000;
    try {
      // The bare socket fails exactly as the kernel did: a send while one is in progress throws.
      expect(() => {
        for (let i = 0; i < count; i++) void dealer.send(`bare ${i}`).catch(() => undefined);
      }).toThrow(/busy writing/);
      const received: string[] = [];
      const reading = (async () => {
        for await (const [, body] of router) {
          const text = String(body);
          if (!text.startsWith("bare")) received.push(text);
          if (received.length === count) return;
        }
      })();
      await new Promise((resolve) => setTimeout(resolve, 50));
      const queue = new OutgoingQueue(dealer, (error) => errors.push(error));
      for (let i = 0; i < count; i++) queue.push([`queued ${i}`]);
      await queue.flushed();
      await reading;
      expect(errors).toEqual([]);
      expect(received).toEqual(Array.from({ length: count }, (_, i) => `queued ${i}`));
    } finally {
      dealer.linger = 0;
      router.linger = 0;
      dealer.close();
      router.close();
    }
  });

  /** zeromq's rule in miniature: sends complete synchronously until `syncLimit`, then one is pending and another throws EBUSY. */
  function modelSocket(syncLimit: number, failOn?: string): Sender & { sent: string[]; overlaps: number } {
    let pending = false;
    let sync = 0;
    const socket = {
      sent: [] as string[],
      overlaps: 0,
      send(frames: Frame[]): Promise<void> {
        const text = String(frames[0]);
        if (pending) {
          socket.overlaps++;
          throw Object.assign(new Error("Socket is busy writing"), { code: "EBUSY" });
        }
        if (text === failOn) return Promise.reject(new Error(`cannot send ${text}`));
        if (sync++ < syncLimit) {
          socket.sent.push(text);
          return Promise.resolve();
        }
        pending = true;
        return new Promise<void>((resolve) =>
          setImmediate(() => {
            socket.sent.push(text);
            pending = false;
            sync = 0;
            resolve();
          }),
        );
      },
    };
    return socket;
  }

  it("sends at once while the socket is free, and keeps order when it is busy", async () => {
    const socket = modelSocket(3);
    const queue = new OutgoingQueue(socket, (error) => expect.unreachable(String(error)));
    for (let i = 0; i < 10; i++) queue.push([String(i)]);
    // The first three went out synchronously: output of a long synchronous cell is not held back.
    expect(socket.sent).toEqual(["0", "1", "2"]);
    await queue.flushed();
    expect(socket.overlaps).toBeGreaterThan(0); // the queue met a busy socket and waited
    expect(socket.sent).toEqual(["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"]);
  });

  it("reports a failed send and goes on with the next", async () => {
    const socket = modelSocket(100, "b");
    const errors: string[] = [];
    const queue = new OutgoingQueue(socket, (error) => errors.push(String(error)));
    for (const text of ["a", "b", "c"]) queue.push([text]);
    await queue.flushed();
    expect(socket.sent).toEqual(["a", "c"]);
    expect(errors).toEqual(["Error: cannot send b"]);
  });
});
