/** Plain-text tables for the terminal, from plain rows. Rendering only: no computing here. */
import { table, getBorderCharacters } from "table";

export type Cell = string | number | boolean | null | undefined;

export function formatCell(value: Cell, digits = 3): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "number") {
    if (Number.isNaN(value)) return "n/a";
    if (!Number.isFinite(value)) return value > 0 ? "∞" : "-∞";
    if (Number.isInteger(value)) return String(value);
    const magnitude = Math.abs(value);
    if (magnitude !== 0 && (magnitude < 1e-3 || magnitude >= 1e6)) return value.toExponential(2);
    return value.toFixed(digits);
  }
  return String(value);
}

/** Columns wider than `maxColumnWidth` characters wrap at word boundaries. */
export function textTable(
  headers: readonly string[],
  rows: readonly (readonly Cell[])[],
  { maxColumnWidth = 48 }: { maxColumnWidth?: number } = {},
): string {
  const cells = [headers.slice(), ...rows.map((row) => row.map((cell) => formatCell(cell)))];
  const widths = headers.map((_, c) => Math.max(...cells.map((row) => (row[c] ?? "").length)));
  return table(cells, {
    border: getBorderCharacters("norc"),
    drawHorizontalLine: (index, size) => index === 0 || index === 1 || index === size,
    columns: widths.map((width) => ({ width: Math.min(width, maxColumnWidth), wrapWord: true })),
  });
}
