/**
 * The kernel's request handling, independent of sockets: every request gets status busy/idle
 * on iopub around it and a reply on the channel it came from; execute requests run one at a
 * time, in order. Output produced by running code (streams, displays) is attributed to the
 * execute request that ran last, as in ipykernel.
 */
import { type Completeness } from "./isComplete";
import { mimeBundle, type DisplayOptions, type MimeBundle } from "./display";
import { History, type HistoryQuery } from "./history";
import type { Engine } from "./engine";
import { child, codePointToUtf16, utf16ToCodePoint, PROTOCOL_VERSION, replyType, type Incoming, type Message } from "./protocol";

export type Channel = "shell" | "control" | "iopub" | "stdin";

export interface Transport {
  send(channel: Channel, message: Message<object>, identities?: readonly Buffer[]): void;
}

export interface KernelOptions {
  engine: Engine;
  transport: Transport;
  session: string;
  implementationVersion: string;
  /** TypeScript's version, read without loading TypeScript. */
  languageVersion: string;
  onShutdown?: (restart: boolean) => void;
  /** Where the kernel's own problems go (not the learner's output). */
  log?: (message: string) => void;
}

interface ExecuteRequest {
  code: string;
  silent?: boolean;
  store_history?: boolean;
  user_expressions?: Record<string, string>;
  allow_stdin?: boolean;
  stop_on_error?: boolean;
}

/** `?expr` or `expr?` on one line: show the inspection in the pager, like IPython. */
export function parsePagerRequest(code: string): string | undefined {
  const trimmed = code.trim();
  if (trimmed.includes("\n")) return undefined;
  const m = /^\?+\s*(.+)$/.exec(trimmed) ?? /^(.+?)\s*\?+$/.exec(trimmed);
  return m && !m[1]!.endsWith("?") && !m[1]!.startsWith("?") ? m[1] : undefined;
}

export class Kernel {
  executionCount = 0;
  readonly history = new History();
  /** The execute request that output (streams, displays) belongs to. */
  private outputParent?: Incoming;
  private outputSuppressed = false;
  private shellQueue: Promise<void> = Promise.resolve();
  private received = 0;
  /** After a failed cell (stop_on_error), execute requests received up to here are aborted. */
  private abortThrough = 0;
  private unnamedCells = 0;
  private shuttingDown = false;
  /** Requests answered already: a handler that throws after its reply gets no second one. */
  private readonly replied = new WeakSet<Incoming>();

  constructor(private readonly options: KernelOptions) {}

  /**
   * A decoded request. Shell requests queue; control requests (interrupt, shutdown) go first.
   * The returned promise never rejects, and the shell queue goes on whatever a handler throws.
   */
  receive(channel: "shell" | "control", message: Incoming): Promise<void> {
    const seq = ++this.received;
    if (channel === "control") return this.dispatch(channel, message, seq);
    this.shellQueue = this.shellQueue.then(() => this.dispatch(channel, message, seq));
    return this.shellQueue;
  }

  publish(type: string, content: object, parent: Message | undefined = this.outputParent): void {
    this.flushStream();
    this.options.transport.send("iopub", child(parent, type, content, this.options.session));
  }

  /** Output written in one go (a loop of console.log) becomes one stream message, as in ipykernel. */
  private pendingStream?: { name: "stdout" | "stderr"; text: string; parent?: Message; since: number };

  private flushStream(): void {
    const pending = this.pendingStream;
    if (!pending) return;
    this.pendingStream = undefined;
    this.options.transport.send("iopub", child(pending.parent, "stream", { name: pending.name, text: pending.text }, this.options.session));
  }

  /** Publishes status "starting" once the sockets are up. */
  starting(): void {
    this.publish("status", { execution_state: "starting" }, undefined);
  }

  stream(name: "stdout" | "stderr", text: string): void {
    if (this.outputSuppressed || text === "") return;
    if (this.pendingStream && (this.pendingStream.name !== name || this.pendingStream.parent !== this.outputParent)) this.flushStream();
    if (!this.pendingStream) {
      this.pendingStream = { name, text: "", parent: this.outputParent, since: Date.now() };
      setImmediate(() => this.flushStream());
    }
    this.pendingStream.text += text;
    // A synchronous loop never lets setImmediate run: flush by age and size as well.
    if (this.pendingStream.text.length > 64 * 1024 || Date.now() - this.pendingStream.since > 100) this.flushStream();
  }

  display(bundle: MimeBundle, options: DisplayOptions = {}): void {
    if (this.outputSuppressed) return;
    const transient = options.displayId === undefined ? {} : { display_id: options.displayId };
    const type = options.update && options.displayId !== undefined ? "update_display_data" : "display_data";
    this.publish(type, { data: bundle, metadata: options.metadata ?? {}, transient });
  }

  clearOutput(wait: boolean): void {
    if (!this.outputSuppressed) this.publish("clear_output", { wait });
  }

  private reply(channel: Channel, request: Incoming, content: object): void {
    this.replied.add(request);
    this.options.transport.send(channel, child(request, replyType(request.header.msg_type), content, this.options.session), request.identities);
  }

  private log(message: string): void {
    (this.options.log ?? ((m: string) => process.stderr.write(`[privacy-course kernel] ${m}\n`)))(message);
  }

  private async dispatch(channel: "shell" | "control", request: Incoming, seq: number): Promise<void> {
    const type = request.header.msg_type;
    this.guarded("status busy", () => this.publish("status", { execution_state: "busy" }, request));
    let shutdown: boolean | undefined;
    try {
      switch (type) {
        case "kernel_info_request":
          this.reply(channel, request, this.kernelInfo());
          break;
        case "execute_request":
          await this.execute(channel, request, seq);
          break;
        case "complete_request":
          this.reply(channel, request, this.complete(request.content as { code: string; cursor_pos: number }));
          break;
        case "inspect_request":
          this.reply(channel, request, this.inspect(request.content as { code: string; cursor_pos: number; detail_level?: number }));
          break;
        case "is_complete_request":
          this.reply(channel, request, this.isComplete(String((request.content as { code?: unknown }).code ?? "")));
          break;
        case "history_request":
          this.reply(channel, request, { status: "ok", history: this.history.query(request.content as HistoryQuery) });
          break;
        case "comm_info_request":
          this.reply(channel, request, { status: "ok", comms: {} });
          break;
        case "interrupt_request":
          this.options.engine.interrupt();
          this.reply(channel, request, { status: "ok" });
          break;
        case "shutdown_request":
          shutdown = Boolean((request.content as { restart?: unknown }).restart);
          this.reply(channel, request, { status: "ok", restart: shutdown });
          break;
        case "comm_open": {
          // No comm targets: closed at once, as ipykernel closes a comm to an unknown target.
          const commId = (request.content as { comm_id?: unknown }).comm_id;
          this.log(`no comm target ${JSON.stringify((request.content as { target_name?: unknown }).target_name)}: comm closed`);
          if (typeof commId === "string") this.publish("comm_close", { comm_id: commId, data: {} }, request);
          break;
        }
        case "comm_msg":
        case "comm_close":
          break; // for a comm that was never opened: ignored, as ipykernel does
        default:
          this.log(`unsupported message type ${type}`);
      }
    } catch (error) {
      this.log(`${type} failed: ${error instanceof Error ? error.stack : String(error)}`);
      if (type.endsWith("_request") && !this.replied.has(request)) {
        this.guarded(`${type} error reply`, () =>
          this.reply(channel, request, { status: "error", ename: "KernelError", evalue: String(error), traceback: [String(error)] }),
        );
      }
    } finally {
      this.guarded("status idle", () => this.publish("status", { execution_state: "idle" }, request));
    }
    if (shutdown !== undefined && !this.shuttingDown) {
      const restart = shutdown;
      this.shuttingDown = true;
      this.guarded("shutdown", () => this.options.onShutdown?.(restart));
    }
  }

  /** Runs a step of the dispatch that must not end it: a throw is logged, and handling goes on. */
  private guarded(what: string, step: () => void): void {
    try {
      step();
    } catch (error) {
      this.log(`${what} failed: ${error instanceof Error ? error.stack : String(error)}`);
    }
  }

  kernelInfo(): object {
    return {
      status: "ok",
      protocol_version: PROTOCOL_VERSION,
      implementation: "privacy-course",
      implementation_version: this.options.implementationVersion,
      language_info: {
        name: "typescript",
        version: this.options.languageVersion,
        mimetype: "text/typescript",
        file_extension: ".ts",
        pygments_lexer: "typescript",
        // name+typescript select TypeScript in classic Notebook's CodeMirror, mode in JupyterLab.
        codemirror_mode: { name: "javascript", typescript: true, mode: "typescript" },
        nbconvert_exporter: "script",
      },
      banner: `TypeScript ${this.options.languageVersion} (privacy course kernel on tslab). display(), html() and markdown() come from src/kernel/display.`,
      help_links: [{ text: "Jupyter messaging", url: "https://jupyter-client.readthedocs.io/en/latest/messaging.html" }],
      debugger: false,
    };
  }

  private async execute(channel: "shell" | "control", request: Incoming, seq: number): Promise<void> {
    const c = request.content as unknown as ExecuteRequest;
    const code = typeof c.code === "string" ? c.code : "";
    const silent = Boolean(c.silent);
    const store = !silent && c.store_history !== false;
    if (seq <= this.abortThrough) {
      this.reply(channel, request, { status: "aborted", execution_count: this.executionCount });
      return;
    }
    if (store) this.executionCount++;
    const count = this.executionCount;
    this.outputParent = request;
    this.outputSuppressed = silent;
    if (!silent) this.publish("execute_input", { code, execution_count: count });
    if (store) this.history.add(count, code);
    const cellName = store ? `In[${count}]` : `In[_${++this.unnamedCells}]`;

    const pagerTarget = parsePagerRequest(code);
    const payload: object[] = [];
    let outcome: Awaited<ReturnType<Engine["execute"]>>;
    if (pagerTarget !== undefined) {
      const text = this.options.engine.inspect(pagerTarget, pagerTarget.length, 0);
      if (text !== undefined) payload.push({ source: "page", data: { "text/plain": text }, start: 0 });
      else this.stream("stdout", `Object \`${pagerTarget}\` not found.\n`);
      outcome = { ok: true };
    } else {
      outcome = await this.options.engine.execute(code, cellName);
    }

    if (outcome.ok) {
      if (outcome.value !== undefined && !silent) {
        const data = mimeBundle(outcome.value.v);
        this.publish("execute_result", { execution_count: count, data, metadata: {} });
        if (store) this.history.setOutput(count, String(data["text/plain"]));
      }
      const userExpressions = await this.userExpressions(c.user_expressions);
      this.outputSuppressed = silent;
      this.reply(channel, request, { status: "ok", execution_count: count, payload, user_expressions: userExpressions });
      return;
    }
    if (!silent) this.publish("error", { ...outcome.error, execution_count: count });
    this.reply(channel, request, { status: "error", execution_count: count, ...outcome.error, payload: [], user_expressions: {} });
    if (c.stop_on_error !== false) {
      // Let requests already sent by the client arrive, then abort them (ipykernel does the same).
      await new Promise((resolve) => setImmediate(resolve));
      this.abortThrough = this.received;
    }
  }

  /** Evaluated after the cell, quietly; each gives a mime bundle or an error. */
  private async userExpressions(expressions: Record<string, string> | undefined): Promise<Record<string, object>> {
    const out: Record<string, object> = {};
    if (!expressions || typeof expressions !== "object") return out;
    this.outputSuppressed = true;
    for (const [name, expression] of Object.entries(expressions)) {
      const result = await this.options.engine.execute(String(expression), `In[_${++this.unnamedCells}]`);
      out[name] = result.ok
        ? { status: "ok", data: mimeBundle(result.value?.v), metadata: {} }
        : { status: "error", ...result.error };
    }
    return out;
  }

  private complete(content: { code: string; cursor_pos: number }): object {
    const code = String(content.code ?? "");
    const cursor = codePointToUtf16(code, content.cursor_pos ?? [...code].length);
    const { start, end, matches } = this.options.engine.complete(code, cursor);
    return {
      status: "ok",
      matches,
      cursor_start: utf16ToCodePoint(code, start),
      cursor_end: utf16ToCodePoint(code, end),
      metadata: {},
    };
  }

  private inspect(content: { code: string; cursor_pos: number; detail_level?: number }): object {
    const code = String(content.code ?? "");
    const cursor = codePointToUtf16(code, content.cursor_pos ?? [...code].length);
    const text = this.options.engine.inspect(code, cursor, content.detail_level ?? 0);
    return text === undefined
      ? { status: "ok", found: false, data: {}, metadata: {} }
      : { status: "ok", found: true, data: { "text/plain": text }, metadata: {} };
  }

  private isComplete(code: string): Completeness {
    if (parsePagerRequest(code) !== undefined) return { status: "complete" };
    return this.options.engine.isComplete(code);
  }
}
