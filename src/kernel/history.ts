/**
 * This session's inputs for `history_request` (tail / range / search), like IPython's history
 * but in memory only: a restarted kernel starts a fresh history.
 */

/** [session, line number, input] or [session, line number, [input, output]] as Jupyter expects. */
export type HistoryEntry = [number, number, string | [string, string | null]];

export interface HistoryQuery {
  hist_access_type?: "tail" | "range" | "search" | string;
  output?: boolean;
  session?: number;
  start?: number;
  stop?: number;
  n?: number | null;
  pattern?: string;
  unique?: boolean;
}

interface Cell {
  line: number;
  input: string;
  output: string | null;
}

/** IPython numbers sessions; 0 (and negative offsets) mean "the current one". This kernel has one. */
export const SESSION_NUMBER = 1;

export class History {
  private readonly cells: Cell[] = [];

  add(line: number, input: string): void {
    this.cells.push({ line, input, output: null });
  }

  /** The text/plain form of a cell's execute_result. */
  setOutput(line: number, output: string): void {
    const cell = this.cells.find((c) => c.line === line);
    if (cell) cell.output = output;
  }

  get length(): number {
    return this.cells.length;
  }

  query(q: HistoryQuery): HistoryEntry[] {
    let cells: Cell[];
    switch (q.hist_access_type) {
      case "tail":
        cells = this.last(this.cells, q.n);
        break;
      case "range":
        cells = this.range(q.session ?? 0, q.start ?? 0, q.stop);
        break;
      case "search": {
        const match = globToRegExp(q.pattern ?? "*");
        cells = this.cells.filter((c) => match.test(c.input));
        if (q.unique) cells = uniqueLatest(cells);
        cells = this.last(cells, q.n);
        break;
      }
      default:
        cells = [];
    }
    return cells.map((c) => [SESSION_NUMBER, c.line, q.output ? [c.input, c.output] : c.input]);
  }

  private last(cells: Cell[], n: number | null | undefined): Cell[] {
    return n === undefined || n === null || n <= 0 ? cells : cells.slice(-n);
  }

  /** Lines start ≤ line < stop of this session (IPython's get_range); stop omitted: to the end. */
  private range(session: number, start: number, stop: number | undefined): Cell[] {
    if (session > 0 && session !== SESSION_NUMBER) return [];
    if (session < 0) return []; // earlier sessions are not kept
    return this.cells.filter((c) => c.line >= start && (stop === undefined || stop === null || c.line < stop));
  }
}

/** Keeps the latest occurrence of each input, in chronological order. */
function uniqueLatest(cells: Cell[]): Cell[] {
  const seen = new Set<string>();
  const out: Cell[] = [];
  for (let i = cells.length - 1; i >= 0; i--) {
    if (seen.has(cells[i]!.input)) continue;
    seen.add(cells[i]!.input);
    out.unshift(cells[i]!);
  }
  return out;
}

/** SQLite GLOB semantics (what IPython's history search uses): `*`, `?`, `[…]`, whole string. */
export function globToRegExp(glob: string): RegExp {
  let source = "";
  for (let i = 0; i < glob.length; i++) {
    const ch = glob[i]!;
    if (ch === "*") source += "[\\s\\S]*";
    else if (ch === "?") source += "[\\s\\S]";
    else if (ch === "[") {
      const close = glob.indexOf("]", i + 2);
      if (close < 0) {
        source += "\\[";
        continue;
      }
      let body = glob.slice(i + 1, close).replace(/\\/g, "\\\\");
      const negate = body.startsWith("^");
      if (negate) body = body.slice(1);
      source += `[${negate ? "^" : ""}${body.replace(/^\]/, "\\]")}]`;
      i = close;
    } else source += ch.replace(/[.+^${}()|\\\]]/g, "\\$&");
  }
  return new RegExp(`^${source}$`);
}
