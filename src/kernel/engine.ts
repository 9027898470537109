/**
 * The TypeScript engine: tslab's converter (TypeScript 5.0) and executor, adapted to give
 * structured results — the last expression's value, diagnostics, runtime errors — instead of
 * console prints. Loaded lazily: the kernel answers kernel_info before TypeScript is loaded.
 */
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import * as path from "node:path";
import type * as TS from "typescript";
import type { CompletionInfo, Converter, ConvertResult } from "tslab/dist/converter";
import type { ConverterSet, Executor } from "tslab/dist/executor";
import { classifyCompleteness, type Completeness } from "./isComplete";
import { applyEdits, importEdits, lineAndCharacter, restoreMessage, toOriginal, toRewritten, type Edit } from "./imports";
import { CellCancellation } from "./cancellation";
import { forwardSelfReferences, selfReferenceSpecifiers } from "./selfReference";
import { shorthandEdits } from "./shorthand";
import { formatDiagnostics, formatRuntimeError, type CellDiagnostic, type ErrorContent, type SourceLookup } from "./traceback";

export type CellOutcome = { ok: true; value?: { v: unknown } } | { ok: false; error: ErrorContent };

export interface Completion {
  start: number;
  end: number;
  matches: string[];
}

/** What the kernel needs from an engine; the protocol tests use a fake one. */
export interface Engine {
  execute(code: string, cellName: string): Promise<CellOutcome>;
  complete(code: string, cursor: number): Completion;
  inspect(code: string, cursor: number, detailLevel: number): string | undefined;
  isComplete(code: string): Completeness;
  interrupt(): void;
  warm(): void;
  close(): void;
}

const tslabRequire = createRequire(require.resolve("tslab/package.json"));

/** tslab's own TypeScript (5.0), so parsing here agrees with its compiler. */
export function loadTypeScript(): typeof TS {
  return tslabRequire("@tslab/typescript-for-tslab") as typeof TS;
}

export function typeScriptVersion(): string {
  return (tslabRequire("@tslab/typescript-for-tslab/package.json") as { version: string }).version;
}

/** The nearest directory with a package.json: imports under it compile; fallback: cwd. */
export function findProjectRoot(from: string): string {
  for (let dir = path.resolve(from); ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, "package.json"))) return dir;
    if (path.dirname(dir) === dir) return path.resolve(from);
  }
}

/** Project sources TypeScript has read (through ts.sys, which tslab's compiler host falls back to). */
const filesRead = new Set<string>();
let readsRecorded = false;

function recordReads(ts: typeof TS): void {
  if (readsRecorded) return;
  readsRecorded = true;
  const readFile = ts.sys.readFile;
  ts.sys.readFile = (file: string, encoding?: string) => {
    if (/\.(ts|tsx|mts|cts|js|jsx)$/.test(file) && !file.endsWith(".d.ts") && !file.includes("/node_modules/")) filesRead.add(file);
    return readFile.call(ts.sys, file, encoding);
  };
}

function readText(file: string): string | undefined {
  try {
    return readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
}

/** Whether `text` puts the diagnostic's offset at its line:column (true for its own file). */
function positionAgrees(text: string, d: CellDiagnostic): boolean {
  if (d.start.offset > text.length) return false;
  const at = lineAndCharacter(text, d.start.offset);
  return at.line === d.start.line && at.character === d.start.character;
}

/** Whether the diagnostic sits on the line tslab appends after the cell (`export {…}`). */
function inExportSuffix(compiled: string, d: CellDiagnostic): boolean {
  const suffixLine = lineAndCharacter(compiled, compiled.length).line + 1;
  return d.start.line === suffixLine && d.start.offset === compiled.length + 1 + d.start.character;
}

/** The span of a top-level declaration's name in the cell, and whether it is exported. */
function topLevelDeclaration(ts: typeof TS, src: string, name: string): { start: number; end: number; exported: boolean } | undefined {
  const file = ts.createSourceFile("cell.ts", src, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  for (const statement of file.statements) {
    const names = ts.isVariableStatement(statement)
      ? statement.declarationList.declarations.map((d) => d.name)
      : [(statement as TS.Statement & { name?: TS.Node }).name].filter((n): n is TS.Node => n !== undefined);
    const found = names.find((n) => ts.isIdentifier(n) && n.text === name);
    if (!found) continue;
    const exported = (ts.canHaveModifiers(statement) ? ts.getModifiers(statement) : undefined)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword) ?? false;
    return { start: found.getStart(file), end: found.getEnd(), exported };
  }
  return undefined;
}

interface CompiledCell {
  display: string;
  ts: string;
  js: string;
}

const MAX_REMEMBERED_CELLS = 1000;
/** How long an interrupted cell has to stop by itself (through its signal) before tslab abandons its await. */
export const INTERRUPT_GRACE_MS = 1000;

export class TypeScriptEngine implements Engine {
  private tsModule?: typeof TS;
  private executorInstance?: Executor;
  private nodeConverter?: Converter;
  private browserConverter?: Converter;
  /** Per execution: set by the wrapped converter and the console the executor reports to. */
  private current = { cellName: "In[?]", diagnostics: [] as CellDiagnostic[], value: undefined as { v: unknown } | undefined, thrown: undefined as { e: unknown } | undefined };
  private readonly cells = new Map<string, CompiledCell>();
  private readonly sideOutputs = new Map<string, string>();
  /** Names of `@module` cells run so far: `./name` imports them from the notebook's directory. */
  private readonly notebookModules = new Set<string>();
  private readonly cancellation = new CellCancellation();
  private interruptTimer?: NodeJS.Timeout;

  constructor(
    /** The notebook's directory: relative imports and files are resolved from here. */
    readonly cwd: string = process.cwd(),
    /** tslab's compiler root; every imported .ts file must be under it. */
    readonly projectRoot: string = findProjectRoot(cwd),
  ) {}

  get ts(): typeof TS {
    if (!this.tsModule) {
      this.tsModule = loadTypeScript();
      recordReads(this.tsModule);
      forwardSelfReferences(this.tsModule, this.projectRoot);
    }
    return this.tsModule;
  }

  /**
   * Builds the compiler, then has it read the project's own declarations (`import type {}` of
   * each self-reference, compiled and thrown away): parsing them is most of a first
   * `import … from "privacy-course"`, and done here, while the learner reads, it is not waited for.
   */
  warm(): void {
    void this.executor;
    const converter = this.converters.node;
    const preload = selfReferenceSpecifiers(this.projectRoot).map((s) => `import type {} from ${JSON.stringify(s)};`);
    if (preload.length === 0) return;
    try {
      converter.convert("", preload.join("\n"));
    } catch {
      // Only a speed-up: the cell that imports the package reports any real problem.
    }
    this.current.diagnostics = [];
  }

  private get executor(): Executor {
    if (!this.executorInstance) {
      const { createExecutor } = tslabRequire("./dist/executor") as typeof import("tslab/dist/executor");
      // The executor reports through this console: log(value) for the last expression,
      // error(format, …) for diagnostics (we keep the structured ones), error(e) for throws.
      this.executorInstance = createExecutor(this.projectRoot, this.converters, {
        log: (value: unknown) => {
          this.current.value = { v: value };
        },
        error: (first: unknown, ...rest: unknown[]) => {
          if (typeof first === "string" && first.startsWith("%s%d:%d") && rest.length >= 4) return;
          this.current.thrown = { e: first };
        },
      });
    }
    return this.executorInstance;
  }

  private convertersInstance?: ConverterSet;
  private get converters(): ConverterSet {
    const engine = this;
    return (this.convertersInstance ??= {
      get node() {
        return (engine.nodeConverter ??= engine.wrap(engine.createConverter(false)));
      },
      get browser() {
        return (engine.browserConverter ??= engine.createConverter(true));
      },
      close() {
        engine.nodeConverter?.close();
        engine.browserConverter?.close();
      },
    });
  }

  /** tslab roots its compiler at ts.sys.getCurrentDirectory(); point that at the project root. */
  private createConverter(isBrowser: boolean): Converter {
    const ts = this.ts;
    const { createConverter } = tslabRequire("./dist/converter") as typeof import("tslab/dist/converter");
    const original = ts.sys.getCurrentDirectory;
    ts.sys.getCurrentDirectory = () => this.projectRoot;
    try {
      return createConverter({ isJS: false, isBrowser });
    } finally {
      ts.sys.getCurrentDirectory = original;
    }
  }

  /** Re-roots relative imports, maps diagnostics back to the cell, names the compiled cell. */
  private wrap(inner: Converter): Converter {
    const engine = this;
    // Imports re-rooted and shorthand properties spelled out; positions map back through the edits.
    const reroot = (src: string) =>
      applyEdits(src, [...importEdits(engine.ts, src, engine.cwd, engine.projectRoot, engine.notebookModules), ...shorthandEdits(engine.ts, src)]);
    return {
      convert(prevDecl: string, src: string): ConvertResult {
        const { code, edits } = reroot(src);
        const result = inner.convert(prevDecl, code);
        result.diagnostics = result.diagnostics.map((d) => engine.placeDiagnostic(d, src, code, edits));
        engine.current.diagnostics = result.diagnostics;
        for (const side of result.sideOutputs ?? []) engine.sideOutputs.set(side.path, side.data);
        if (result.output) {
          const prefix = result.hasToplevelAwait ? "(async function(exports, require) { " : "(function(exports, require) { ";
          engine.remember(engine.current.cellName, { display: engine.current.cellName, ts: src, js: prefix + result.output });
          // Stack frames then name the cell ("In[3]") instead of "evalmachine.<anonymous>".
          result.output += `\n//# sourceURL=${engine.current.cellName}`;
        }
        return result;
      },
      inspect(prevDecl: string, src: string, position: number) {
        const { code, edits } = reroot(src);
        return inner.inspect(prevDecl, code, toRewritten(edits, position));
      },
      complete(prevDecl: string, src: string, position: number): CompletionInfo {
        const { code, edits } = reroot(src);
        const info = inner.complete(prevDecl, code, toRewritten(edits, position));
        return { ...info, start: toOriginal(edits, info.start), end: toOriginal(edits, info.end) };
      },
      close: () => inner.close(),
      // A `/** @module name */` cell: tslab registers it as name.ts at its root (errors or not) and
      // prints its diagnostics through the console, where they were lost; here they fail the cell.
      addModule(name, src, meta) {
        const { code, edits } = reroot(src);
        const moduleFile = new Set([`${name}.ts`, `${name}.tsx`]);
        const diagnostics = inner
          .addModule(name, code, meta)
          .map((d) => (d.fileName !== undefined && moduleFile.has(d.fileName) ? engine.mapDiagnostic({ ...d, fileName: undefined }, src, edits) : engine.placeDiagnostic(d, src, code, edits)));
        engine.notebookModules.add(name);
        engine.current.diagnostics = diagnostics;
        return diagnostics;
      },
    };
  }

  /**
   * Says where a diagnostic is: the cell (positions mapped back to what the learner wrote) or an
   * imported file (named relative to the notebook). tslab drops the file name of diagnostics
   * with a message chain; the file is recovered as the one TypeScript read whose text agrees
   * with the diagnostic's offset *and* line:column — the cell is checked the same way.
   */
  private placeDiagnostic(d: CellDiagnostic, src: string, compiled: string, edits: readonly Edit[]): CellDiagnostic {
    if (d.fileName !== undefined) return { ...d, fileName: path.relative(this.cwd, path.resolve(this.projectRoot, d.fileName)) };
    if (positionAgrees(compiled, d)) return this.mapDiagnostic(d, src, edits);
    if (inExportSuffix(compiled, d)) return this.atDeclaration(d, src);
    const candidates = [...filesRead].filter((f) => f.startsWith(this.projectRoot + path.sep) && positionAgrees(readText(f) ?? "", d));
    return { ...d, fileName: candidates.length === 1 ? path.relative(this.cwd, candidates[0]!) : "(an imported file)" };
  }

  /**
   * A diagnostic in the `export {…}` line tslab appends to a cell (it exports every declaration,
   * so a cell's own `export type Pt` conflicts with it): placed on the declaration it names.
   */
  private atDeclaration(d: CellDiagnostic, src: string): CellDiagnostic {
    const name = /'([^']+)'/.exec(d.messageText)?.[1];
    const declared = name === undefined ? undefined : topLevelDeclaration(this.ts, src, name);
    const start = declared?.start ?? src.length;
    const end = declared?.end ?? src.length;
    const hint = declared?.exported ? " A cell's declarations are exported already: drop `export`." : "";
    return {
      ...d,
      start: { offset: start, ...lineAndCharacter(src, start) },
      end: { offset: end, ...lineAndCharacter(src, end) },
      messageText: d.messageText + hint,
    };
  }

  private mapDiagnostic(d: CellDiagnostic, src: string, edits: readonly Edit[]): CellDiagnostic {
    if (edits.length === 0) return d;
    const start = toOriginal(edits, d.start.offset);
    const end = toOriginal(edits, d.end.offset);
    return {
      ...d,
      start: { offset: start, ...lineAndCharacter(src, start) },
      end: { offset: end, ...lineAndCharacter(src, end) },
      messageText: restoreMessage(edits, d.messageText),
    };
  }

  private remember(name: string, cell: CompiledCell): void {
    this.cells.delete(name);
    this.cells.set(name, cell);
    if (this.cells.size > MAX_REMEMBERED_CELLS) this.cells.delete(this.cells.keys().next().value as string);
  }

  /** Cells by their sourceURL, imported project files by their compiled path. */
  readonly sources: SourceLookup = {
    get: (name) => {
      const cell = this.cells.get(name);
      if (cell) return cell;
      const js = this.sideOutputs.get(name);
      if (js === undefined) return undefined;
      const base = name.replace(/\.js$/, "");
      const original = [".ts", ".tsx", ".js"].map((ext) => base + ext).find((f) => existsSync(f));
      return {
        display: path.relative(this.cwd, original ?? name),
        ts: original ? readFileSync(original, "utf8") : js,
        js,
      };
    },
  };

  async execute(code: string, cellName: string): Promise<CellOutcome> {
    this.current = { cellName, diagnostics: [], value: undefined, thrown: undefined };
    const current = this.current;
    this.cancellation.begin();
    let ok: boolean;
    try {
      ok = await this.executor.execute(code);
    } finally {
      this.cancellation.end();
      clearTimeout(this.interruptTimer);
    }
    if (current.thrown) return { ok: false, error: formatRuntimeError(current.thrown.e, this.sources) };
    if (current.diagnostics.length > 0) {
      return { ok: false, error: formatDiagnostics(current.diagnostics, cellName, code, (f) => readText(path.resolve(this.cwd, f))) };
    }
    if (!ok) return { ok: false, error: { ename: "Error", evalue: "execution failed", traceback: ["Error: execution failed"] } };
    return { ok: true, value: current.value };
  }

  complete(code: string, cursor: number): Completion {
    const info = this.executor.complete(code, cursor);
    return { start: info.start, end: info.end, matches: info.candidates };
  }

  inspect(code: string, cursor: number, _detailLevel = 0): string | undefined {
    const { printQuickInfo } = tslabRequire("./dist/inspect") as typeof import("tslab/dist/inspect");
    // The cursor right after a name, or on it.
    for (const at of [cursor, cursor - 1]) {
      if (at < 0) continue;
      const info = this.executor.inspect(code, at);
      if (info && info.kind) return printQuickInfo(info);
    }
    return undefined;
  }

  isComplete(code: string): Completeness {
    return classifyCompleteness(this.ts, code);
  }

  /**
   * Aborts the cell's signal, so cooperating code stops at its next step, cleans up and ends the
   * cell with its "Interrupted" error. tslab's interrupt, which ends the cell's await at once but
   * leaves the awaited work running, follows only if the cell has not ended within the grace time.
   * (A busy synchronous loop is stopped by SIGINT itself: the executor runs cells with breakOnSigint.)
   */
  interrupt(): void {
    if (!this.cancellation.interrupt()) {
      this.executorInstance?.interrupt();
      return;
    }
    clearTimeout(this.interruptTimer);
    this.interruptTimer = setTimeout(() => this.executorInstance?.interrupt(), INTERRUPT_GRACE_MS);
  }

  close(): void {
    this.executorInstance?.close();
  }
}
