/**
 * Notebook views for lesson 07: equivalence classes, risks, the linkage attack, an
 * anonymisation's trace and the risk/accuracy curve. Rendering only: each takes the plain
 * data an anonymity function returned (or a table) and shows it.
 */
import type { AnonymizeTableTrace } from "../anonymity/anonymizeTable";
import { equivalenceClasses } from "../anonymity/classes";
import type { LinkageAttempt, LinkageSummary } from "../anonymity/linkage";
import type { AnonymityMeasures } from "../anonymity/measure";
import type { ReidentificationRisk } from "../anonymity/risk";
import type { KPoint } from "../anonymity/sweep";
import { columnValues, type Table } from "../anonymity/table";
import { riskVsKFigure } from "./charts/riskVsK";
import { escapeHtml } from "./html/escape";
import { figureHtml } from "./html/plotly";
import { htmlTable } from "./html/table";
import { richOutput, type Displayable } from "./mime";
import { formatCell, textTable, type Cell } from "./text/textTable";

function view(headers: string[], rows: Cell[][], caption: string, maxRows = 50, notes: string[] = []): Displayable {
  const { html, text } = viewParts(headers, rows, caption, maxRows, notes);
  return richOutput(html, text);
}

function viewParts(headers: string[], rows: Cell[][], caption: string, maxRows = 50, notes: string[] = []): { html: string; text: string } {
  const shown = rows.slice(0, maxRows);
  const more = rows.length > shown.length ? `\n… ${rows.length - shown.length} more rows` : "";
  const noteText = notes.length > 0 ? `\n${notes.join("\n")}` : "";
  const noteHtml = notes.map((n) => `<div><em>${escapeHtml(n)}</em></div>`).join("");
  return {
    html: htmlTable(headers, rows, { caption, maxRows }) + noteHtml,
    text: `${caption}\n${textTable(headers, shown)}${more}${noteText}`,
  };
}

/**
 * The equivalence classes of a table, smallest first (or, with `order: "least diverse"`, those
 * with the fewest distinct sensitive values first): what an attacker who knows the
 * quasi-identifiers can narrow a person down to, and the sensitive values in there.
 */
export function equivalenceClassesView(
  table: Table,
  {
    quasi,
    sensitive,
    maxRows = 12,
    caption = "Equivalence classes",
    order = "smallest",
  }: { quasi: readonly string[]; sensitive?: string; maxRows?: number; caption?: string; order?: "smallest" | "least diverse" },
): Displayable {
  const { output, trace } = equivalenceClasses(table, quasi);
  const values = sensitive === undefined ? undefined : columnValues(table, sensitive, "sensitive");
  const distinct = (rows: number[]) => (values ? new Set(rows.map((r) => String(values[r]))).size : 0);
  const ordered = [...output.classes].sort((a, b) =>
    order === "least diverse" && values ? distinct(a.rows) - distinct(b.rows) || a.size - b.size : a.size - b.size,
  );
  const rows = ordered.map((c) => {
    const cells: Cell[] = [...c.key, c.size];
    if (values) {
      const counts = new Map<string, number>();
      for (const row of c.rows) counts.set(String(values[row]), (counts.get(String(values[row])) ?? 0) + 1);
      const summary = [...counts.entries()].sort((a, b) => b[1] - a[1]).map(([v, n]) => `${v} ×${n}`).join(", ");
      cells.push(counts.size, summary);
    }
    return cells;
  });
  const headers = [...quasi, "rows", ...(values ? [`distinct ${sensitive}`, `${sensitive} values`] : [])];
  return view(
    headers,
    rows,
    `${caption}: ${trace.classes} classes over ${trace.rows} rows; smallest ${trace.smallest} (k = ${trace.smallest}), ${trace.uniques} unique rows`,
    maxRows,
  );
}

export function riskView(risk: ReidentificationRisk, caption = "Re-identification risk"): Displayable {
  return view(
    ["attacker", "highest", "average", `records at risk (> ${risk.threshold})`],
    [
      ["prosecutor (knows the person is in the data)", risk.prosecutor.highest, risk.prosecutor.average, risk.prosecutor.recordsAtRisk],
      ["journalist (knows the person is in the population)", risk.journalist.highest, risk.journalist.average, risk.journalist.recordsAtRisk],
      ["marketer (re-identifies as many as possible)", "", risk.marketer.average, ""],
    ],
    `${caption}: ${risk.records} records in ${risk.classes} classes`,
  );
}

/** k, l-diversity, t-closeness and risks of a table (what `privacy-course anonymity` prints). */
export function measuresView(m: AnonymityMeasures, caption = "Anonymity of the table"): Displayable {
  const sensitive = Object.entries(m.sensitive);
  const rows: Cell[][] = [["k-anonymity", "k", m.k, `${m.classes} classes over ${m.rows} rows`]];
  for (const [column, s] of sensitive) {
    rows.push(
      [column, "distinct l", s.distinctL, "fewest distinct values in a class"],
      [column, "entropy l", s.entropyL, "exp(smallest class entropy)"],
      [column, `recursive (c = ${s.recursiveCL.c}, l)`, s.recursiveCL.l, "largest l every class meets"],
      [column, "t", s.t, `largest EMD to the table's distribution (${s.distance} distance)`],
    );
  }
  const r = m.risk;
  rows.push(
    ["risk", "prosecutor highest / average", `${formatCell(r.prosecutor.highest)} / ${formatCell(r.prosecutor.average)}`, `${formatCell(r.prosecutor.recordsAtRisk)} of records above ${r.threshold}`],
    ["risk", "journalist highest / average", `${formatCell(r.journalist.highest)} / ${formatCell(r.journalist.average)}`, `${formatCell(r.journalist.recordsAtRisk)} of records above ${r.threshold}`],
    ["risk", "marketer average", r.marketer.average, "expected share re-identified"],
  );
  return view(["column", "measure", "value", "meaning"], rows, `${caption} (quasi-identifiers: ${m.quasi.join(", ")})`);
}

/** Linkage attacks side by side, e.g. before and after k-anonymisation. */
export function linkageView(runs: ReadonlyArray<{ label: string; summary: LinkageSummary }>, caption = "Linkage attack"): Displayable {
  const cell = (v: number | null) => (v === null ? "" : v);
  return view(
    ["release", "register people", "of them in the release", "matched", "exactly one candidate", "re-identified (right person)", "wrong person", "sensitive value learned", "mean candidates"],
    runs.map(({ label, summary: s }) => [
      label,
      s.registerPeople,
      cell(s.inRelease),
      s.matched,
      s.uniquelyMatched,
      cell(s.reidentified),
      cell(s.wronglyMatched),
      cell(s.sensitiveLearnedCorrectly ?? s.sensitiveLearned),
      s.meanCandidates,
    ]),
    caption,
  );
}

/** The people an attack re-identified (names are fictional), with what it learned about them. */
export function reidentifiedView(attempts: readonly LinkageAttempt[], { maxRows = 8, caption = "Re-identified people" } = {}): Displayable {
  const hits = attempts.filter((a) => a.reidentifiedRow !== null);
  return view(
    ["register row", "name", "released row", "right person?", "learned"],
    hits.map((a) => [a.registerRow, a.name ?? "", a.reidentifiedRow, a.correct === null ? "" : a.correct ? "yes" : "no", a.learnedSensitive ?? ""]),
    `${caption}: ${hits.length} people with exactly one candidate row`,
    maxRows,
  );
}

/** What an anonymisation did to each column, and what it cost. */
export function anonymizationView(trace: AnonymizeTableTrace, caption = "Anonymisation"): Displayable {
  const loss = trace.informationLoss;
  const verified =
    `k = ${trace.verified.k}` +
    (trace.verified.l ? `; ${trace.verified.l.map((v) => `${v.variant} ${formatCell(v.achieved)}`).join(", ")}` : "") +
    (trace.verified.t ? `; t = ${trace.verified.t.map((v) => formatCell(v.achieved)).join(", ")}` : "");
  return view(
    ["column", "role", "action", "detail"],
    trace.columns.map((c) => [c.column, c.role, c.action, c.detail]),
    `${caption} (${trace.algorithm}): ${trace.rows.input} → ${trace.rows.output} rows, ${trace.classes.count} classes of ${trace.classes.smallest}–${trace.classes.largest}`,
    50,
    [
      `Verified on the release: ${verified}.`,
      `Information loss: generalisation intensity ${formatCell(loss.generalisationIntensity)}, discernibility ${loss.discernibility}, C_avg ${formatCell(loss.normalisedAverageClassSize)}; ${trace.rows.suppressed} rows suppressed.`,
    ],
  );
}

/** Risk and accuracy against k: the chart and its numbers. `inRelease` turns attack counts into shares. */
export function riskVsKView(points: readonly KPoint[], { inRelease }: { inRelease?: number } = {}): Displayable {
  const figure = riskVsKFigure(
    points.map((p) => ({
      k: p.k,
      highestRisk: p.highestRisk,
      averageRisk: p.averageRisk,
      accuracy: p.accuracy,
      ...(inRelease ? { reidentifiedShare: p.reidentified / inRelease } : {}),
    })),
  );
  const table = viewParts(
    ["k", "classes", "intensity", "highest risk", "average risk", "records at risk", "re-identified", "sensitive learned", "accuracy"],
    points.map((p) => [p.k, p.classes, p.generalisationIntensity, p.highestRisk, p.averageRisk, p.recordsAtRisk, p.reidentified, p.sensitiveLearned, p.accuracy]),
    "Risk and accuracy against k",
  );
  return richOutput(`${figureHtml(figure)}${table.html}`, table.text);
}
