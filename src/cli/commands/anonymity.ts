/**
 * `privacy-course anonymity FILE.csv --quasi … --sensitive …`: how identifiable is this table?
 * (k, l-diversity, t-closeness, re-identification risk — like ARX's risk analysis.)
 *
 * `privacy-course anonymize FILE.csv --quasi … --k 5 [--l 2] [--t 0.2] --out OUT.csv`:
 * write a release that satisfies them (Mondrian by default).
 *
 * Any CSV with a header row. Bad input — a missing file, malformed CSV, an unknown column,
 * text in a numeric quasi-identifier, k < 2 or larger than the table — is an InputError
 * (exit code 2) and nothing is written.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { ALGORITHMS, anonymizeTable, type Algorithm } from "../../anonymity/anonymizeTable";
import { hierarchiesFromJson, type Hierarchy } from "../../anonymity/hierarchy";
import { DEFAULT_RECURSIVE_C, DIVERSITY_VARIANTS, type DiversityVariant } from "../../anonymity/lDiversity";
import { measureAnonymity, type AnonymityMeasures } from "../../anonymity/measure";
import { DEFAULT_RISK_THRESHOLD } from "../../anonymity/risk";
import { csvTextColumns, parseCsvTable, requireCleanColumns, tableToCsv, type Table } from "../../anonymity/table";
import { formatCell, textTable } from "../../render/text/textTable";
import { InputError, requireNumber, requireOneOf } from "../../validation/errors";
import { parseNumberFlag } from "../options";

function readCsv(
  file: string | undefined,
  flag: string,
  usage: string,
): { table: Table; trace: ReturnType<typeof parseCsvTable>["trace"]; text: string } {
  if (file === undefined) throw new InputError(flag, `a CSV file path (${usage})`, undefined);
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (error) {
    throw new InputError(flag, "a readable CSV file", `${file} (${(error as NodeJS.ErrnoException).code ?? "unreadable"})`);
  }
  const { output, trace } = parseCsvTable(text, path.basename(file));
  return { table: output, trace, text };
}

function columnList(flag: string, text: string | undefined, table: Table, required: boolean): string[] {
  if (text === undefined || text.trim() === "") {
    if (required) throw new InputError(`--${flag}`, `a comma-separated list of columns (${table.columns.join(", ")})`, text);
    return [];
  }
  const list = text.split(",").map((c) => c.trim()).filter((c) => c !== "");
  for (const column of list) {
    if (!table.columns.includes(column)) throw new InputError(`--${flag}`, `columns of the file (${table.columns.join(", ")})`, column);
  }
  list.forEach((c, i) => {
    if (list.indexOf(c) !== i) throw new InputError(`--${flag}`, "distinct columns", `"${c}" twice`);
  });
  return list;
}

function readHierarchies(file: string | undefined): Record<string, Hierarchy> | undefined {
  if (file === undefined) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (error) {
    throw new InputError("--hierarchies", "a readable JSON file of hierarchies", `${file} (${(error as Error).message})`);
  }
  return hierarchiesFromJson(json, "--hierarchies");
}

function requireDisjoint(lists: Record<string, string[]>): void {
  const seen = new Map<string, string>();
  for (const [flag, list] of Object.entries(lists)) {
    for (const column of list) {
      const before = seen.get(column);
      if (before) throw new InputError(`--${flag}`, `columns not already given to --${before}`, column);
      seen.set(column, flag);
    }
  }
}

const ANONYMITY_USAGE = "privacy-course anonymity FILE.csv --quasi age,zip --sensitive disease [--json]";

export function anonymityCommand(args: string[]): string {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      quasi: { type: "string" },
      sensitive: { type: "string" },
      c: { type: "string" },
      threshold: { type: "string" },
      population: { type: "string" },
      hierarchies: { type: "string" },
      json: { type: "boolean", default: false },
    },
  });
  if (positionals.length > 1) throw new InputError("FILE", "one CSV file", positionals.join(" "));
  const { table, trace } = readCsv(positionals[0], "FILE", ANONYMITY_USAGE);
  const quasi = columnList("quasi", values.quasi, table, true);
  const sensitive = columnList("sensitive", values.sensitive, table, false);
  requireDisjoint({ quasi, sensitive });
  requireCleanColumns(trace, [...quasi, ...sensitive]);
  const c = requireNumber("--c", parseNumberFlag("c", values.c, DEFAULT_RECURSIVE_C), { min: 1 });
  const threshold = requireNumber("--threshold", parseNumberFlag("threshold", values.threshold, DEFAULT_RISK_THRESHOLD), { min: 0, max: 1 });
  let population: Table | undefined;
  if (values.population !== undefined) {
    const pop = readCsv(values.population, "--population", "a CSV with the same quasi-identifier columns");
    for (const q of quasi) {
      if (!pop.table.columns.includes(q)) throw new InputError("--population", `a CSV with the quasi-identifier columns (${quasi.join(", ")})`, `no column ${q}`);
    }
    requireCleanColumns(pop.trace, quasi);
    population = pop.table;
  }
  const { output } = measureAnonymity(table, { quasi, sensitive, c, threshold, population, hierarchies: readHierarchies(values.hierarchies) });
  if (values.json) return JSON.stringify({ file: positionals[0], ...output });
  return renderMeasures(positionals[0], output, population !== undefined);
}

function renderMeasures(file: string, m: AnonymityMeasures, withPopulation: boolean): string {
  const lines = [
    `${file}: ${m.rows} rows, quasi-identifiers ${m.quasi.join(", ")}`,
    `k-anonymity: k = ${m.k} (${m.classes} equivalence classes; the smallest has ${m.k} row${m.k === 1 ? "" : "s"})`,
  ];
  const sensitive = Object.entries(m.sensitive);
  if (sensitive.length > 0) {
    lines.push(
      "",
      textTable(
        ["sensitive", "distinct l", "entropy l", "recursive (c, l)", "t (EMD)", "distance"],
        sensitive.map(([column, s]) => [column, s.distinctL, s.entropyL, `c = ${s.recursiveCL.c}: l = ${s.recursiveCL.l}`, s.t, s.distance]),
      ),
    );
  }
  const r = m.risk;
  lines.push(
    "",
    `Re-identification risk (threshold ${r.threshold}; ${withPopulation ? "journalist risk against the given population" : "no population given: journalist = prosecutor"})`,
    textTable(
      ["attacker", "highest", "average", "records at risk"],
      [
        ["prosecutor", r.prosecutor.highest, r.prosecutor.average, r.prosecutor.recordsAtRisk],
        ["journalist", r.journalist.highest, r.journalist.average, r.journalist.recordsAtRisk],
        ["marketer", "", r.marketer.average, ""],
      ],
    ),
  );
  return lines.join("\n");
}

const ANONYMIZE_USAGE = "privacy-course anonymize FILE.csv --quasi age,zip --k 5 --out OUT.csv";

export function anonymizeCommand(args: string[]): string {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      quasi: { type: "string" },
      sensitive: { type: "string" },
      direct: { type: "string" },
      k: { type: "string" },
      l: { type: "string" },
      "l-variant": { type: "string" },
      c: { type: "string" },
      t: { type: "string" },
      "max-suppression": { type: "string" },
      algorithm: { type: "string" },
      hierarchies: { type: "string" },
      out: { type: "string" },
      json: { type: "boolean", default: false },
    },
  });
  if (positionals.length > 1) throw new InputError("FILE", "one CSV file", positionals.join(" "));
  const { table, trace, text } = readCsv(positionals[0], "FILE", ANONYMIZE_USAGE);
  const n = trace.rows;
  const quasi = columnList("quasi", values.quasi, table, true);
  const sensitive = columnList("sensitive", values.sensitive, table, false);
  const direct = columnList("direct", values.direct, table, false);
  requireDisjoint({ quasi, sensitive, direct });
  requireCleanColumns(trace, [...quasi, ...sensitive]);
  if (values.k === undefined) throw new InputError("--k", `an integer in [2, ${n}]`, undefined);
  const k = requireNumber("--k", parseNumberFlag("k", values.k, NaN), { min: 2, max: n, integer: true });
  const l = values.l === undefined ? undefined : requireNumber("--l", parseNumberFlag("l", values.l, NaN), { min: 1 });
  const t = values.t === undefined ? undefined : requireNumber("--t", parseNumberFlag("t", values.t, NaN), { min: 0, max: 1 });
  if ((l !== undefined || t !== undefined) && sensitive.length === 0) {
    throw new InputError(l !== undefined ? "--l" : "--t", "given together with --sensitive COLUMNS", l ?? t);
  }
  const lVariant: DiversityVariant | undefined =
    values["l-variant"] === undefined ? undefined : requireOneOf("--l-variant", values["l-variant"], DIVERSITY_VARIANTS);
  if (lVariant !== undefined && l === undefined) throw new InputError("--l-variant", "given together with --l", lVariant);
  const c = values.c === undefined ? undefined : requireNumber("--c", parseNumberFlag("c", values.c, NaN), { min: 1 });
  const maxSuppression = requireNumber("--max-suppression", parseNumberFlag("max-suppression", values["max-suppression"], 0), {
    min: 0,
    max: 1,
    maxExclusive: true,
  });
  const algorithm: Algorithm = requireOneOf("--algorithm", values.algorithm ?? "mondrian", ALGORITHMS);
  if (values.out === undefined) throw new InputError("--out", "the path of the CSV to write", undefined);
  if (path.resolve(values.out) === path.resolve(positionals[0] as string)) {
    throw new InputError("--out", "a path other than the input file", values.out);
  }
  const outDir = path.dirname(path.resolve(values.out));
  if (!fs.existsSync(outDir)) throw new InputError("--out", "a path in an existing directory", values.out);

  const { output, trace: result } = anonymizeTable(table, {
    roles: { direct, quasi, sensitive },
    k,
    l,
    lVariant,
    c,
    t,
    algorithm,
    maxSuppression,
    hierarchies: readHierarchies(values.hierarchies),
  });
  // Columns that are not generalised are written exactly as they were read ("02138" stays "02138").
  const asWritten = csvTextColumns(text);
  const release: Table = {
    columns: output.table.columns,
    data: Object.fromEntries(
      output.table.columns.map((c) => [c, quasi.includes(c) ? output.table.data[c] : output.sourceRows.map((row) => asWritten[c][row])]),
    ),
  };
  // Everything is computed and verified before anything is written.
  fs.writeFileSync(values.out, tableToCsv(release));

  if (values.json) {
    const { details, ...summary } = result;
    const { evaluatedNodes: _nodes, ...rest } = details as typeof details & { evaluatedNodes?: unknown };
    return JSON.stringify({ out: values.out, ...summary, details: rest });
  }
  const loss = result.informationLoss;
  const details = result.details;
  const why =
    details.algorithm === "full-domain"
      ? `lattice of ${details.lattice.nodes} nodes: ${details.lattice.evaluated} evaluated, ${details.lattice.prunedByMonotonicity} pruned by monotonicity, ${details.lattice.prunedByBound} by the loss bound`
      : details.algorithm === "mondrian"
        ? `partitions stopped: ${details.stopped.tooSmallToSplit} too small to split, ${details.stopped.blockedByK} blocked by k, ${details.stopped.blockedByL} by l, ${details.stopped.blockedByT} by t, ${details.stopped.nothingToSplit} with nothing left to split`
        : `within-group variance / total variance = ${formatCell(details.informationLoss.ratio)}`;
  return [
    `Wrote ${values.out}: ${result.rows.output} of ${result.rows.input} rows (${result.rows.suppressed} suppressed), ${result.classes.count} equivalence classes of ${result.classes.smallest}–${result.classes.largest} rows`,
    `Algorithm: ${algorithm}; ${why}`,
    `Verified on the written table: k = ${result.verified.k}` +
      (result.verified.l ? `; ${result.verified.l.map((v) => `${v.variant} ${formatCell(v.achieved)}`).join(", ")}` : "") +
      (result.verified.t ? `; t = ${result.verified.t.map((v) => formatCell(v.achieved)).join(", ")}` : ""),
    `Information loss: generalisation intensity ${formatCell(loss.generalisationIntensity)}, discernibility ${loss.discernibility}, C_avg ${formatCell(loss.normalisedAverageClassSize)}`,
    details.algorithm === "full-domain" ? `Suppressed: ${details.suppressed.why}` : "",
    "",
    textTable(
      ["column", "role", "action", "detail"],
      result.columns.map((col) => [col.column, col.role, col.action, col.detail]),
      { maxColumnWidth: 70 },
    ),
  ]
    .filter((line, i, all) => line !== "" || (i > 0 && all[i - 1] !== ""))
    .join("\n");
}
