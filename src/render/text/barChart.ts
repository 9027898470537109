/**
 * The seed document's ASCII chart: one row per epoch, a bar of stars as long as the value.
 *
 *   1.2 |*****
 *   0.9 |****
 *       +---------
 *        Epochs 1-5
 */
export function asciiBarChart(
  values: readonly number[],
  { width = 30, label = "Epochs", digits = 3 }: { width?: number; label?: string; digits?: number } = {},
): string {
  if (values.length === 0) return "(no values)";
  const finite = values.filter(Number.isFinite);
  const max = Math.max(...finite);
  const min = Math.min(0, ...finite);
  const labels = values.map((v) => (Number.isFinite(v) ? v.toFixed(digits) : String(v)));
  const pad = Math.max(...labels.map((l) => l.length));
  const span = max - min || 1;
  const lines = values.map((v, i) => {
    const stars = Number.isFinite(v) ? Math.max(1, Math.round(((v - min) / span) * width)) : 0;
    return `${labels[i].padStart(pad)} |${"*".repeat(stars)}`;
  });
  lines.push(`${" ".repeat(pad)} +${"-".repeat(width)}`);
  lines.push(`${" ".repeat(pad)}  ${label} 1-${values.length}`);
  return lines.join("\n");
}
