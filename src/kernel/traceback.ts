/**
 * Errors as Jupyter `error` content (ename, evalue, traceback lines): TypeScript diagnostics with
 * the cell's line:column, and runtime stacks trimmed to the learner's code.
 *
 * tslab compiles without source maps, so a stack frame's line is a line of the emitted
 * JavaScript. mapJsLine finds the TypeScript line by matching tokens (TypeScript only adds
 * tokens, types, and keeps statement order); when the match is ambiguous it gives no line
 * rather than a wrong one.
 */
import { inspect } from "node:util";

export interface ErrorContent {
  ename: string;
  evalue: string;
  traceback: string[];
}

/** tslab's Diagnostic: zero-based line and character, already relative to the cell. */
export interface CellDiagnostic {
  start: { offset: number; line: number; character: number };
  end: { offset: number; line: number; character: number };
  messageText: string;
  code: number;
  category: number;
  /** Set when the error is in an imported file (relative to the project root). */
  fileName?: string;
}

/** What the formatter knows about compiled code: the cells and the imported project files. */
export interface SourceLookup {
  /** By stack "file" name: `In[3]` for cells, absolute .js path for imported files. */
  get(name: string): { display: string; ts: string; js: string } | undefined;
}

const RED = "\u001b[0;31m";
const BOLD_RED = "\u001b[1;31m";
const GREEN = "\u001b[0;32m";
const RESET = "\u001b[0m";

export function formatDiagnostics(
  diagnostics: readonly CellDiagnostic[],
  cellName: string,
  cellSource: string,
  readFile: (fileName: string) => string | undefined = () => undefined,
): ErrorContent {
  // tslab flattens a message chain into consecutive diagnostics with the same span: regroup them.
  const groups: CellDiagnostic[][] = [];
  for (const d of diagnostics) {
    const group = groups[groups.length - 1];
    const head = group?.[0];
    if (group && head && head.start.offset === d.start.offset && head.end.offset === d.end.offset) group.push(d);
    else groups.push([d]);
  }
  const traceback: string[] = [
    `${BOLD_RED}TypeScriptError${RESET}: ${groups.length} error${groups.length === 1 ? "" : "s"} in ${cellName}`,
  ];
  for (const [head, ...chain] of groups as [CellDiagnostic, ...CellDiagnostic[]][]) {
    const where = head.fileName ?? cellName;
    const source = head.fileName === undefined ? cellSource : readFile(head.fileName);
    const lines = [`${GREEN}${where}:${head.start.line + 1}:${head.start.character + 1}${RESET} - ${RED}error TS${head.code}${RESET}: ${head.messageText}`];
    for (const c of chain) lines.push(`  ${c.messageText}`);
    const text = source?.split("\n")[head.start.line];
    if (text !== undefined) {
      const width = head.end.line === head.start.line ? Math.max(1, head.end.character - head.start.character) : Math.max(1, text.length - head.start.character);
      const gutter = String(head.start.line + 1);
      lines.push(`${gutter} | ${text}`, `${" ".repeat(gutter.length)} | ${" ".repeat(head.start.character)}${RED}${"~".repeat(width)}${RESET}`);
    }
    traceback.push(lines.join("\n"));
  }
  const first = groups[0]?.[0];
  return {
    ename: "TypeScriptError",
    evalue: first ? `${first.messageText} (TS${first.code}, ${first.fileName ?? cellName}:${first.start.line + 1}:${first.start.character + 1})` : "compilation failed",
    traceback,
  };
}

export interface StackFrame {
  fn?: string;
  file: string;
  line: number;
  column: number;
  raw: string;
}

const FRAME = /^\s*at (?:(.*?) \()?(.+?):(\d+):(\d+)\)?$/;

export function parseStack(stack: string): { header: string; frames: (StackFrame | string)[] } {
  const lines = stack.split("\n");
  const firstFrame = lines.findIndex((l) => /^\s+at /.test(l));
  const header = (firstFrame < 0 ? lines : lines.slice(0, firstFrame)).join("\n");
  const frames = (firstFrame < 0 ? [] : lines.slice(firstFrame)).map((raw) => {
    const m = FRAME.exec(raw);
    return m ? { fn: m[1], file: m[2]!, line: Number(m[3]), column: Number(m[4]), raw } : raw;
  });
  return { header, frames };
}

/** Frames of the kernel itself, of tslab and of Node's vm: never the learner's concern. */
export function isMachinery(file: string): boolean {
  return (
    file.startsWith("node:vm") ||
    file.startsWith("node:internal/") ||
    /[\\/]node_modules[\\/](tslab|tsx)[\\/]/.test(file) ||
    /[\\/]src[\\/]kernel[\\/](?!display\.ts)[^\\/]+$/.test(file) ||
    /[\\/]src[\\/]cli[\\/]/.test(file) ||
    /[\\/]bin[\\/]privacy-course\.js$/.test(file)
  );
}

/**
 * Keeps frames down to the last one in learner code (a cell or a compiled project file), so
 * the kernel's and tslab's own frames below it disappear; relabels cell and project frames.
 */
export function trimStack(stack: string, sources: SourceLookup): string[] {
  const parsed = parseStack(stack);
  const { frames } = parsed;
  // vm prefixes the stack with "file:line\n<source line>\n<caret>\n\n": keep "Name: message".
  const header = parsed.header.includes("\n\n") && /^\S+:\d+\n/.test(parsed.header) ? parsed.header.slice(parsed.header.indexOf("\n\n") + 2) : parsed.header;
  const isLearner = (f: StackFrame | string): boolean => typeof f !== "string" && sources.get(f.file) !== undefined;
  let last = -1;
  frames.forEach((f, i) => {
    if (isLearner(f)) last = i;
  });
  const kept = last >= 0 ? frames.slice(0, last + 1) : frames.filter((f) => typeof f === "string" || !isMachinery(f.file));
  const out = [header];
  let excerptShown = false;
  for (const f of kept) {
    if (typeof f === "string") {
      out.push(f);
      continue;
    }
    const src = sources.get(f.file);
    if (!src) {
      out.push(f.raw);
      continue;
    }
    if (f.line > src.js.split("\n").length) continue; // the executor's wrapper call, after the cell
    const tsLine = mapJsLine(src.js, src.ts, f.line, f.column);
    const where = tsLine === undefined ? src.display : `${src.display}, line ${tsLine}`;
    // Names from earlier cells are called through tslab's exports Proxy: "Proxy.f" is just "f".
    const fn = f.fn?.replace(/^Proxy\./, "");
    out.push(`    at ${fn ? `${fn} (${where})` : where}`);
    if (!excerptShown && tsLine !== undefined) {
      const text = src.ts.split("\n")[tsLine - 1];
      if (text !== undefined) out.push(`${GREEN}  ----> ${tsLine} |${RESET} ${text.trim()}`);
      excerptShown = true;
    }
  }
  return out;
}

const TOKEN = /[A-Za-z_$][\w$]*|\d[\w.]*|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|`(?:[^`\\]|\\.)*`/g;
/** Names the compiled output adds around the learner's code. */
const EMITTED_ONLY = new Set(["exports", "require", "void", "default"]);

function tokens(text: string): string[] {
  return (text.match(TOKEN) ?? []).filter((t) => !EMITTED_ONLY.has(t));
}

function containsInOrder(haystack: readonly string[], needle: readonly string[]): boolean {
  let i = 0;
  for (const t of haystack) if (t === needle[i] && ++i === needle.length) return true;
  return needle.length === 0;
}

/** The 1-based TypeScript line for a 1-based JavaScript line:column, or undefined if unsure. */
export function mapJsLine(js: string, ts: string, line: number, column: number): number | undefined {
  const jsLines = js.split("\n");
  const target = jsLines[line - 1];
  if (target === undefined) return undefined;
  let probe = tokens(target.slice(Math.max(0, column - 1)));
  if (probe.length === 0) probe = tokens(target);
  if (probe.length === 0) return undefined;
  const jsHits = jsLines.map((l, i) => (containsInOrder(tokens(l), probe) ? i : -1)).filter((i) => i >= 0);
  const tsLines = ts.split("\n");
  const tsHits = tsLines.map((l, i) => (containsInOrder(tokens(l), probe) ? i : -1)).filter((i) => i >= 0);
  if (tsHits.length === 1) return tsHits[0]! + 1;
  // Same number of candidates on both sides: statement order is preserved, pair them up.
  if (tsHits.length > 1 && tsHits.length === jsHits.length) return tsHits[jsHits.indexOf(line - 1)]! + 1;
  return undefined;
}

/** Jupyter error content for anything a cell threw. */
export function formatRuntimeError(error: unknown, sources: SourceLookup): ErrorContent {
  if (error instanceof Error || (typeof error === "object" && error !== null && "stack" in error && "message" in error)) {
    const e = error as Error & { code?: string };
    const interrupted = e.code === "ERR_SCRIPT_EXECUTION_INTERRUPTED" || e.message === "Interrupted asynchronously";
    const ename = interrupted ? "Interrupted" : e.name || e.constructor?.name || "Error";
    const stack = typeof e.stack === "string" ? e.stack : `${ename}: ${e.message}`;
    const traceback = trimStack(stack, sources);
    if (interrupted) traceback[0] = `Interrupted: ${e.message}`;
    traceback[0] = traceback[0]!.replace(/^([\w$.]+)(?=:|$)/, `${BOLD_RED}$1${RESET}`);
    return { ename, evalue: String(e.message), traceback };
  }
  const evalue = inspect(error, { depth: 2 });
  return { ename: "Uncaught", evalue, traceback: [`${BOLD_RED}Uncaught${RESET} ${evalue}`] };
}
