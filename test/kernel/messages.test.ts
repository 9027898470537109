import { describe, expect, it } from "vitest";
import type { CellOutcome, Engine } from "../../src/kernel/engine";
import { Kernel, parsePagerRequest, type Channel } from "../../src/kernel/kernel";
import { child, header, type Incoming, type Message } from "../../src/kernel/protocol";

/** An engine without TypeScript: enough to check the protocol around it. */
function fakeEngine(): Engine & { interrupted: number } {
  return {
    interrupted: 0,
    async execute(code: string): Promise<CellOutcome> {
      if (code.startsWith("throw")) return { ok: false, error: { ename: "Error", evalue: "boom", traceback: ["Error: boom"] } };
      if (code === "") return { ok: true };
      return { ok: true, value: { v: Number(code) } };
    },
    complete: (code) => ({ start: code.length - 2, end: code.length, matches: ["max"] }),
    inspect: (code) => (code === "Math.max" ? "(method) Math.max(...values: number[]): number" : undefined),
    isComplete: (code) => ({ status: code.endsWith("{") ? "incomplete" : "complete" }),
    interrupt() {
      this.interrupted++;
    },
    warm: () => undefined,
    close: () => undefined,
  };
}

function setup(options: { engine?: Engine; failSend?: (type: string) => boolean } = {}) {
  const sent: { channel: Channel; message: Message<object>; identities?: readonly Buffer[] }[] = [];
  const engine = fakeEngine();
  const logged: string[] = [];
  let shutdown: boolean | undefined;
  const kernel = new Kernel({
    engine: options.engine ?? engine,
    session: "kernel-session",
    implementationVersion: "0.1.0",
    languageVersion: "5.0.4",
    transport: {
      send: (channel, message, identities) => {
        if (options.failSend?.(message.header.msg_type)) throw new Error(`cannot send ${message.header.msg_type}`);
        sent.push({ channel, message, identities });
      },
    },
    onShutdown: (restart) => (shutdown = restart),
    log: (message) => logged.push(message),
  });
  const request = (type: string, content: object): Incoming => ({
    ...child(undefined, type, content as Record<string, unknown>, "client-session"),
    header: header(type, "client-session", "learner"),
    identities: [Buffer.from("client")],
  });
  const run = async (type: string, content: object, channel: "shell" | "control" = "shell") => {
    const req = request(type, content);
    const before = sent.length;
    await kernel.receive(channel, req);
    const mine = sent.slice(before).filter((s) => (s.message.parent_header as { msg_id?: string }).msg_id === req.header.msg_id);
    return {
      reply: mine.find((s) => s.channel !== "iopub")!,
      iopub: mine.filter((s) => s.channel === "iopub").map((s) => [s.message.header.msg_type, s.message.content] as const),
    };
  };
  return { kernel, engine, run, sent, logged, shutdown: () => shutdown };
}

const execute = (code: string, extra: object = {}) => ({ code, silent: false, store_history: true, user_expressions: {}, allow_stdin: false, stop_on_error: true, ...extra });

describe("kernel message flow", () => {
  it("answers kernel_info with status ok, protocol 5.3 and TypeScript language info", async () => {
    const { run } = setup();
    const { reply, iopub } = await run("kernel_info_request", {});
    expect(reply.channel).toBe("shell");
    expect(reply.identities?.map(String)).toEqual(["client"]);
    expect(reply.message.header.msg_type).toBe("kernel_info_reply");
    expect(reply.message.content).toMatchObject({
      status: "ok",
      protocol_version: "5.3",
      implementation: "privacy-course",
      language_info: { name: "typescript", file_extension: ".ts", mimetype: "text/typescript" },
    });
    expect(iopub).toEqual([
      ["status", { execution_state: "busy" }],
      ["status", { execution_state: "idle" }],
    ]);
  });

  it("wraps an execution in busy/idle with execute_input, execute_result and a counted reply", async () => {
    const { run, kernel } = setup();
    const { reply, iopub } = await run("execute_request", execute("42"));
    expect(iopub).toEqual([
      ["status", { execution_state: "busy" }],
      ["execute_input", { code: "42", execution_count: 1 }],
      ["execute_result", { execution_count: 1, data: { "text/plain": "42" }, metadata: {} }],
      ["status", { execution_state: "idle" }],
    ]);
    expect(reply.message.content).toEqual({ status: "ok", execution_count: 1, payload: [], user_expressions: {} });
    expect(kernel.history.query({ hist_access_type: "tail", n: 1, output: true })).toEqual([[1, 1, ["42", "42"]]]);
  });

  it("publishes an error and replies with status error", async () => {
    const { run } = setup();
    const { reply, iopub } = await run("execute_request", execute("throw"));
    expect(iopub.map(([type]) => type)).toEqual(["status", "execute_input", "error", "status"]);
    expect(iopub[2]![1]).toEqual({ ename: "Error", evalue: "boom", traceback: ["Error: boom"], execution_count: 1 });
    expect(reply.message.content).toMatchObject({ status: "error", execution_count: 1, ename: "Error", evalue: "boom" });
  });

  it("aborts execute requests queued behind a failing one (stop_on_error)", async () => {
    const { kernel, sent } = setup();
    const req = (code: string) => ({ ...child(undefined, "execute_request", execute(code), "c"), identities: [] });
    const first = kernel.receive("shell", req("throw"));
    const second = kernel.receive("shell", req("1"));
    await Promise.all([first, second]);
    const replies = sent.filter((s) => s.message.header.msg_type === "execute_reply").map((s) => (s.message.content as { status: string }).status);
    expect(replies).toEqual(["error", "aborted"]);
  });

  it("keeps silent executions off iopub and out of the count; store_history false does not count", async () => {
    const { run } = setup();
    const silent = await run("execute_request", execute("7", { silent: true }));
    expect(silent.iopub.map(([t]) => t)).toEqual(["status", "status"]);
    expect(silent.reply.message.content).toMatchObject({ status: "ok", execution_count: 0 });
    const unstored = await run("execute_request", execute("8", { store_history: false }));
    expect(unstored.reply.message.content).toMatchObject({ execution_count: 0 });
    const counted = await run("execute_request", execute("9"));
    expect(counted.reply.message.content).toMatchObject({ execution_count: 1 });
  });

  it("evaluates user_expressions after the cell", async () => {
    const { run } = setup();
    const { reply } = await run("execute_request", execute("1", { user_expressions: { a: "6", b: "throw" } }));
    expect((reply.message.content as { user_expressions: object }).user_expressions).toEqual({
      a: { status: "ok", data: { "text/plain": "6" }, metadata: {} },
      b: { status: "error", ename: "Error", evalue: "boom", traceback: ["Error: boom"] },
    });
  });

  it("pages `?name` and `name?` like IPython", async () => {
    expect(parsePagerRequest("?Math.max")).toBe("Math.max");
    expect(parsePagerRequest("Math.max?")).toBe("Math.max");
    expect(parsePagerRequest("a ? b : c")).toBeUndefined();
    expect(parsePagerRequest("a?.b")).toBeUndefined();
    const { run } = setup();
    const { reply } = await run("execute_request", execute("?Math.max"));
    expect(reply.message.content).toMatchObject({ status: "ok", payload: [{ source: "page", data: { "text/plain": expect.stringContaining("Math.max") } }] });
  });

  it("routes streams, displays and clear_output to the running cell", async () => {
    const { run, kernel, sent } = setup();
    const { reply } = await run("execute_request", execute("1"));
    const before = sent.length;
    kernel.stream("stdout", "la");
    kernel.stream("stdout", "te\n"); // coalesced with the write before
    kernel.display({ "text/html": "<b>x</b>", "text/plain": "x" }, { displayId: "d", update: true });
    kernel.clearOutput(true);
    const late = sent.slice(before);
    expect(late.every((s) => (s.message.parent_header as { msg_id: string }).msg_id === (reply.message.parent_header as { msg_id: string }).msg_id)).toBe(true);
    expect(late.map((s) => [s.message.header.msg_type, s.message.content])).toEqual([
      ["stream", { name: "stdout", text: "late\n" }],
      ["update_display_data", { data: { "text/html": "<b>x</b>", "text/plain": "x" }, metadata: {}, transient: { display_id: "d" } }],
      ["clear_output", { wait: true }],
    ]);
  });

  it("answers complete, inspect, is_complete, history and comm_info", async () => {
    const { run } = setup();
    expect((await run("complete_request", { code: "Math.ma", cursor_pos: 7 })).reply.message.content).toEqual({
      status: "ok",
      matches: ["max"],
      cursor_start: 5,
      cursor_end: 7,
      metadata: {},
    });
    expect((await run("inspect_request", { code: "Math.max", cursor_pos: 8, detail_level: 0 })).reply.message.content).toMatchObject({ status: "ok", found: true });
    expect((await run("inspect_request", { code: "nope", cursor_pos: 4 })).reply.message.content).toMatchObject({ found: false, data: {} });
    expect((await run("is_complete_request", { code: "function f() {" })).reply.message.content).toEqual({ status: "incomplete" });
    expect((await run("is_complete_request", { code: "Math.max?" })).reply.message.content).toEqual({ status: "complete" });
    expect((await run("history_request", { hist_access_type: "tail", n: 5, output: false, raw: true })).reply.message.content).toEqual({ status: "ok", history: [] });
    expect((await run("comm_info_request", {})).reply.message.content).toEqual({ status: "ok", comms: {} });
  });

  it("survives a handler that throws: error reply, idle, and the next request answered", async () => {
    const broken: Engine = { ...fakeEngine(), isComplete: () => { throw new Error("parser crashed"); } };
    const { run, logged } = setup({ engine: broken });
    const failed = await run("is_complete_request", { code: "x" });
    expect(failed.reply.message.content).toMatchObject({ status: "error", ename: "KernelError", evalue: "Error: parser crashed" });
    expect(failed.iopub.at(-1)).toEqual(["status", { execution_state: "idle" }]);
    expect(logged.join("\n")).toContain("parser crashed");
    expect((await run("execute_request", execute("5"))).reply.message.content).toMatchObject({ status: "ok", execution_count: 1 });
  });

  it("keeps handling requests when sending fails (the socket error that stopped the kernel after ~500 outputs)", async () => {
    let failing = true;
    const { run, kernel, logged } = setup({ failSend: (type) => failing && (type === "execute_result" || type === "status") });
    const first = kernel.receive("shell", { ...child(undefined, "execute_request", execute("1"), "c"), identities: [] });
    const second = kernel.receive("shell", { ...child(undefined, "execute_request", execute("2"), "c"), identities: [] });
    await expect(Promise.all([first, second])).resolves.toBeDefined();
    expect(logged.some((m) => m.includes("cannot send status"))).toBe(true);
    failing = false;
    const after = await run("execute_request", execute("3"));
    expect(after.reply.message.content).toMatchObject({ status: "ok", execution_count: 3 });
    expect(after.iopub.map(([type]) => type)).toEqual(["status", "execute_input", "execute_result", "status"]);
  });

  it("closes a comm opened to an unknown target (ipykernel does the same)", async () => {
    const { run } = setup();
    const { reply, iopub } = await run("comm_open", { comm_id: "c-1", target_name: "jupyter.widget", data: {} });
    expect(reply).toBeUndefined();
    expect(iopub).toEqual([
      ["status", { execution_state: "busy" }],
      ["comm_close", { comm_id: "c-1", data: {} }],
      ["status", { execution_state: "idle" }],
    ]);
  });

  it("interrupts and shuts down from the control channel", async () => {
    const { run, engine, shutdown } = setup();
    const interrupt = await run("interrupt_request", {}, "control");
    expect(interrupt.reply.channel).toBe("control");
    expect(interrupt.reply.message.content).toEqual({ status: "ok" });
    expect(engine.interrupted).toBe(1);
    const down = await run("shutdown_request", { restart: true }, "control");
    expect(down.reply.message.content).toEqual({ status: "ok", restart: true });
    expect(down.iopub.at(-1)).toEqual(["status", { execution_state: "idle" }]);
    expect(shutdown()).toBe(true);
  });
});
