/**
 * A day of learning in one kernel, for the soak test and the benchmark: many mixed cells (values,
 * console.log, display, a throwing cell, a type error) and one cell that displays thousands of
 * outputs. Requests are pipelined — all sent at once, as a client that runs a whole notebook may —
 * and every one must get its reply and its status idle, with the outputs its kind implies.
 */
import type { KernelClient } from "./client";
import type { Incoming } from "./protocol";

export interface SoakOptions {
  /** Mixed cells to run, after the cell that imports the display helpers. */
  cells: number;
  /** Outputs the final display cell produces. */
  displays: number;
  /** Cells (1-based, among the mixed ones) that read the kernel's memory instead. */
  memoryAt: readonly number[];
  /** The display helpers as the kernel's working directory imports them ("../src/kernel/display"). */
  displayModule: string;
  /** How long the last reply may take: everything is queued at once. */
  timeoutMs?: number;
}

export interface SoakReport {
  cells: number;
  /** One line per request whose reply, idle or outputs were not as expected. */
  failures: string[];
  /** Bytes, at the cells named in `memoryAt`, in that order. */
  memory: MemoryReading[];
  displaysReceived: number;
  cellsMs: number;
  displaysMs: number;
}

interface Cell {
  code: string;
  /** Reply status, and what the outputs must contain. */
  status: "ok" | "error";
  check: (outputs: Incoming[], reply: Incoming) => string | undefined;
}

/** Memory as found, then after a full collection (what the kernel holds, not what V8 has yet to collect). */
const MEMORY_CODE = [
  'import { setFlagsFromString } from "node:v8";',
  'import { runInNewContext } from "node:vm";',
  "const rssFound = process.memoryUsage().rss;",
  'setFlagsFromString("--expose-gc");',
  'runInNewContext("gc")();',
  "JSON.stringify({ rssFound, ...process.memoryUsage() })",
].join("\n");

export interface MemoryReading {
  cell: number;
  /** Resident set size when the cell started. */
  rss: number;
  /** After a full garbage collection: resident set, V8 heap in use and reserved, memory outside the heap. */
  rssAfterGc: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
}

function resultText(outputs: Incoming[]): string | undefined {
  const result = outputs.find((m) => m.header.msg_type === "execute_result");
  return (result?.content.data as Record<string, unknown> | undefined)?.["text/plain"] as string | undefined;
}

function expectResult(text: string): Cell["check"] {
  return (outputs) => (resultText(outputs) === text ? undefined : `execute_result ${JSON.stringify(resultText(outputs))}, expected ${JSON.stringify(text)}`);
}

/** The i-th mixed cell (1-based): ten kinds in turn, names reused so declarations stay bounded. */
export function soakCell(i: number): Cell {
  switch (i % 10) {
    case 0:
      return {
        code: `console.log("log ${i}")`,
        status: "ok",
        check: (outputs) => {
          const text = outputs.filter((m) => m.header.msg_type === "stream").map((m) => m.content.text).join("");
          return text === `log ${i}\n` ? undefined : `stream ${JSON.stringify(text)}`;
        },
      };
    case 1:
      return {
        code: `display(markdown("**cell ${i}**"))`,
        status: "ok",
        check: (outputs) => {
          const shown = outputs.filter((m) => m.header.msg_type === "display_data").map((m) => (m.content.data as Record<string, unknown>)["text/markdown"]);
          return shown.length === 1 && shown[0] === `**cell ${i}**` ? undefined : `display_data ${JSON.stringify(shown)}`;
        },
      };
    case 2:
      return { code: `let k = ${i};\nk * 2`, status: "ok", check: expectResult(String(2 * i)) };
    case 3:
      return { code: `let label = "cell " + ${i};\nlabel`, status: "ok", check: expectResult(`'cell ${i}'`) };
    case 4:
      return { code: `function shift${i % 20}(x: number): number {\n  return x + ${i};\n}\nshift${i % 20}(1)`, status: "ok", check: expectResult(String(i + 1)) };
    case 5:
      return { code: `[${i}, ${i + 1}].map((n) => n * n)`, status: "ok", check: expectResult(`[ ${i * i}, ${(i + 1) * (i + 1)} ]`) };
    case 6:
      return { code: `({ i: ${i}, even: ${i % 2 === 0} })`, status: "ok", check: expectResult(`{ i: ${i}, even: ${i % 2 === 0} }`) };
    case 7:
      return {
        code: `throw new RangeError("boom ${i}")`,
        status: "error",
        check: (outputs, reply) => {
          const error = outputs.find((m) => m.header.msg_type === "error");
          return reply.content.ename === "RangeError" && reply.content.evalue === `boom ${i}` && error ? undefined : `error ${JSON.stringify(reply.content.evalue)}`;
        },
      };
    case 8:
      return {
        code: `const wrong${i}: string = ${i};`,
        status: "error",
        check: (_outputs, reply) =>
          reply.content.ename === "TypeScriptError" && String(reply.content.evalue).includes("TS2322") ? undefined : `type error ${JSON.stringify(reply.content.evalue)}`,
      };
    default:
      return { code: `k = ${i};\nk`, status: "ok", check: expectResult(String(i)) };
  }
}

export async function runSoak(client: KernelClient, options: SoakOptions): Promise<SoakReport> {
  const timeoutMs = options.timeoutMs ?? 15 * 60_000;
  const failures: string[] = [];
  const memory: MemoryReading[] = [];
  const execute = (code: string) =>
    client.request("execute_request", { code, silent: false, store_history: true, user_expressions: {}, allow_stdin: false, stop_on_error: false }, "shell", timeoutMs);
  /** Awaits a reply and its outputs; resolves with the outputs, or records why not. */
  const settle = async (label: string, pending: Promise<Incoming>, status: "ok" | "error"): Promise<{ reply: Incoming; outputs: Incoming[] } | undefined> => {
    try {
      const reply = await pending;
      const outputs = await client.outputsOf(reply.parent_header.msg_id as string, timeoutMs);
      if (reply.content.status !== status) failures.push(`${label}: status ${String(reply.content.status)} (${String(reply.content.evalue ?? "")})`);
      return { reply, outputs };
    } catch (error) {
      failures.push(`${label}: ${error instanceof Error ? error.message : String(error)}`);
      return undefined;
    }
  };

  const started = performance.now();
  const setup = execute(`import { display, markdown } from ${JSON.stringify(options.displayModule)};`);
  const cells = Array.from({ length: options.cells }, (_, k) => {
    const i = k + 1;
    const cell: Cell = options.memoryAt.includes(i) ? { code: MEMORY_CODE, status: "ok", check: () => undefined } : soakCell(i);
    return { i, cell, reply: execute(cell.code) };
  });
  await settle("import cell", setup, "ok");
  for (const { i, cell, reply } of cells) {
    const settled = await settle(`cell ${i}`, reply, cell.status);
    if (!settled) continue;
    const problem = cell.check(settled.outputs, settled.reply);
    if (problem) failures.push(`cell ${i} (${JSON.stringify(cell.code)}): ${problem}`);
    if (cell.code === MEMORY_CODE) {
      const text = resultText(settled.outputs) ?? "";
      try {
        const m = JSON.parse(text.slice(1, -1)) as { rssFound: number; rss: number; heapUsed: number; heapTotal: number; external: number };
        memory.push({ cell: i, rss: m.rssFound, rssAfterGc: m.rss, heapUsed: m.heapUsed, heapTotal: m.heapTotal, external: m.external });
      } catch {
        failures.push(`cell ${i}: no memory reading in ${JSON.stringify(text)}`);
      }
    }
  }
  const cellsMs = performance.now() - started;

  const displayStart = performance.now();
  const shown = await settle("display cell", execute(`for (let i = 0; i < ${options.displays}; i++) display(markdown("row " + i));`), "ok");
  const rows = (shown?.outputs ?? []).filter((m) => m.header.msg_type === "display_data").map((m) => (m.content.data as Record<string, unknown>)["text/markdown"]);
  const outOfOrder = rows.findIndex((text, k) => text !== `row ${k}`);
  if (shown && (rows.length !== options.displays || outOfOrder !== -1)) {
    failures.push(`display cell: ${rows.length} of ${options.displays} outputs${outOfOrder === -1 ? "" : `, row ${outOfOrder} is ${JSON.stringify(rows[outOfOrder])}`}`);
  }
  const displaysMs = performance.now() - displayStart;
  const after = await settle("kernel_info after the soak", client.request("kernel_info_request", {}, "shell", timeoutMs), "ok");
  if (after && after.reply.header.msg_type !== "kernel_info_reply") failures.push("kernel_info after the soak: no kernel_info_reply");
  return { cells: options.cells, failures, memory, displaysReceived: rows.length, cellsMs, displaysMs };
}
