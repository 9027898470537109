/** HTML tables for notebooks, from the same plain rows the terminal tables use. */
import { formatCell, type Cell } from "../text/textTable";
import { escapeHtml } from "./escape";

export interface HtmlTableOptions {
  caption?: string;
  /** Show at most this many rows, then say how many were left out. */
  maxRows?: number;
}

export function htmlTable(
  headers: readonly string[],
  rows: readonly (readonly Cell[])[],
  { caption, maxRows = 50 }: HtmlTableOptions = {},
): string {
  const shown = rows.slice(0, maxRows);
  const head = headers.map((h) => `<th>${escapeHtml(h)}</th>`).join("");
  const body = shown
    .map(
      (row) =>
        `<tr>${row
          .map((cell) => {
            const numeric = typeof cell === "number";
            return `<td${numeric ? ' style="text-align:right"' : ""}>${escapeHtml(formatCell(cell))}</td>`;
          })
          .join("")}</tr>`,
    )
    .join("\n");
  const more =
    rows.length > shown.length
      ? `<tr><td colspan="${headers.length}"><em>… ${rows.length - shown.length} more rows</em></td></tr>`
      : "";
  const captionHtml = caption ? `<caption style="caption-side:top;text-align:left">${escapeHtml(caption)}</caption>` : "";
  return `<table class="privacy-course-table">${captionHtml}<thead><tr>${head}</tr></thead><tbody>\n${body}${more}</tbody></table>`;
}
