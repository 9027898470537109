/**
 * A view assembled from parts — charts, tables, lines of text, notes folded away — rendered
 * once as HTML (everything escaped) and once as the plain-text fallback.
 */
import type { Figure } from "./charts/figure";
import { escapeHtml } from "./html/escape";
import { figureHtml } from "./html/plotly";
import { htmlTable } from "./html/table";
import { richOutput, type Displayable } from "./mime";
import { textTable, type Cell } from "./text/textTable";

export type ViewPart =
  | { kind: "figure"; figure: Figure }
  | { kind: "table"; headers: readonly string[]; rows: readonly (readonly Cell[])[]; caption?: string; maxRows?: number }
  /** One line; `emphasis: "warning"` draws it bold and red. */
  | { kind: "line"; text: string; emphasis?: "strong" | "warning" }
  /** A bulleted list, folded under `summary` when one is given. */
  | { kind: "notes"; notes: readonly string[]; summary?: string };

function partHtml(part: ViewPart): string {
  switch (part.kind) {
    case "figure":
      return figureHtml(part.figure);
    case "table":
      return htmlTable(part.headers, part.rows, { caption: part.caption, maxRows: part.maxRows });
    case "line": {
      const text = escapeHtml(part.text);
      if (part.emphasis === "warning") return `<p style="color:#b00"><strong>${text}</strong></p>`;
      return part.emphasis === "strong" ? `<p><strong>${text}</strong></p>` : `<p>${text}</p>`;
    }
    case "notes": {
      if (part.notes.length === 0) return "";
      const list = `<ul>${part.notes.map((n) => `<li>${escapeHtml(n)}</li>`).join("")}</ul>`;
      return part.summary ? `<details open><summary>${escapeHtml(part.summary)}</summary>${list}</details>` : list;
    }
  }
}

function partText(part: ViewPart): string {
  switch (part.kind) {
    case "figure":
      return `[chart] ${part.figure.layout.title?.text ?? "chart"}`;
    case "table": {
      const maxRows = part.maxRows ?? 50;
      const more = part.rows.length > maxRows ? `\n… ${part.rows.length - maxRows} more rows` : "";
      return `${part.caption ? `${part.caption}\n` : ""}${textTable(part.headers, part.rows.slice(0, maxRows)).trimEnd()}${more}`;
    }
    case "line":
      return part.text;
    case "notes":
      return part.notes.length === 0 ? "" : `${part.summary ? `${part.summary}:\n` : ""}${part.notes.map((n) => `- ${n}`).join("\n")}`;
  }
}

export function composeView(parts: readonly ViewPart[]): Displayable & { html: string; text: string } {
  return richOutput(
    parts.map(partHtml).join(""),
    parts
      .map(partText)
      .filter((t) => t !== "")
      .join("\n"),
  );
}
