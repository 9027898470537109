/**
 * `privacy-course anonymity FILE.csv --quasi … --sensitive …`: how identifiable is this table?
 * (k, l-diversity, t-closeness, re-identification risk — like ARX's risk analysis.)
 *
 * `privacy-course anonymize FILE.csv --quasi … --k 5 [--l 2] [--t 0.2] --out OUT.csv`:
 * write a release that satisfies them (Mondrian by default).
 *
 * A release needs a role for every column (--direct, --quasi, --sensitive, --insensitive; or
 * --keep-unclassified, with a warning), and a column that looks like a direct identifier must
 * be --direct (see anonymity/roles.ts). --codes names columns read as text (ZIP codes).
 * The output is checked before anything is read and written through the safe-write helper.
 *
 * Any CSV with a header row. Bad input — a missing file, malformed CSV, an unknown column,
 * text in a numeric quasi-identifier, k < 2 or larger than the table — is an InputError
 * (exit code 2) and nothing is written.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { ALGORITHMS, anonymizeTable, type Algorithm } from "../../anonymity/anonymizeTable";
import { hierarchiesFromJson, type Hierarchy } from "../../anonymity/hierarchy";
import { DEFAULT_RECURSIVE_C, DIVERSITY_VARIANTS, type DiversityVariant } from "../../anonymity/lDiversity";
import { measureAnonymity, type AnonymityMeasures } from "../../anonymity/measure";
import { DEFAULT_RISK_THRESHOLD } from "../../anonymity/risk";
import { resolveReleaseRoles, resolveRoles, type RoleWording } from "../../anonymity/roles";
import { csvTextColumns, parseCsvTable, requireCleanColumns, tableToCsv, type Table } from "../../anonymity/table";
import { formatCell, textTable } from "../../render/text/textTable";
import { checkOutputPath, writeFileSafely } from "../../runtime/safeWrite";
import { InputError, requireOneOf } from "../../validation/errors";
import { jsonReplacer } from "../json";
import { numberFlag, optionalNumberFlag, parseFlags } from "../options";

function readCsv(
  file: string | undefined,
  flag: string,
  usage: string,
  codes: readonly string[] = [],
): { table: Table; trace: ReturnType<typeof parseCsvTable>["trace"]; text: string } {
  if (file === undefined) throw new InputError(flag, `a CSV file path (${usage})`, undefined);
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (error) {
    throw new InputError(flag, "a readable CSV file", `${file} (${(error as NodeJS.ErrnoException).code ?? "unreadable"})`);
  }
  const { output, trace } = parseCsvTable(text, path.basename(file), { textColumns: codes });
  return { table: output, trace, text };
}

/** The names in a comma-separated list of columns (--quasi, --codes, …). */
function splitColumns(text: string | undefined): string[] {
  return (text ?? "").split(",").map((c) => c.trim()).filter((c) => c !== "");
}

/** A list of columns for a role; resolveRoles checks that they exist and have one role each. */
function columnList(flag: string, text: string | undefined, table: Table, required: boolean): string[] {
  const list = splitColumns(text);
  if (required && list.length === 0) throw new InputError(`--${flag}`, `a comma-separated list of columns (${table.columns.join(", ")})`, text);
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

const ANONYMITY_USAGE = "privacy-course anonymity FILE.csv --quasi age,zip --sensitive disease [--json]";

export function anonymityCommand(args: string[]): string {
  const { values, positionals } = parseFlags(
    "anonymity",
    args,
    {
      quasi: { type: "string" },
      sensitive: { type: "string" },
      c: { type: "string" },
      threshold: { type: "string" },
      population: { type: "string" },
      hierarchies: { type: "string" },
      codes: { type: "string" },
      json: { type: "boolean", default: false },
    },
    "FILE",
  );
  if (positionals.length > 1) throw new InputError("FILE", "one CSV file", positionals.join(" "));
  const c = numberFlag("c", values.c, DEFAULT_RECURSIVE_C, { min: 1 });
  const threshold = numberFlag("threshold", values.threshold, DEFAULT_RISK_THRESHOLD, { min: 0, max: 1 });
  const { table, trace } = readCsv(positionals[0], "FILE", ANONYMITY_USAGE, splitColumns(values.codes));
  const quasi = columnList("quasi", values.quasi, table, true);
  const sensitive = columnList("sensitive", values.sensitive, table, false);
  resolveRoles(table, { quasi, sensitive }, "--");
  requireCleanColumns(trace, [...quasi, ...sensitive]);
  let population: Table | undefined;
  if (values.population !== undefined) {
    const pop = readCsv(values.population, "--population", "a CSV with the same quasi-identifier columns", splitColumns(values.codes).filter((c) => quasi.includes(c)));
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

const ANONYMIZE_USAGE = "privacy-course anonymize FILE.csv --quasi age,zip --insensitive … --k 5 --out OUT.csv";

const CLI_ROLE_WORDING: RoleWording = {
  prefix: "--",
  columns: "every column of FILE",
  keepUnclassified: "--keep-unclassified",
  notIdentifiers: "--not-identifier",
};

export function anonymizeCommand(args: string[]): string {
  const { values, positionals } = parseFlags(
    "anonymize",
    args,
    {
      quasi: { type: "string" },
      sensitive: { type: "string" },
      direct: { type: "string" },
      insensitive: { type: "string" },
      "keep-unclassified": { type: "boolean", default: false },
      "not-identifier": { type: "string" },
      codes: { type: "string" },
      k: { type: "string" },
      l: { type: "string" },
      "l-variant": { type: "string" },
      c: { type: "string" },
      t: { type: "string" },
      "max-suppression": { type: "string" },
      algorithm: { type: "string" },
      hierarchies: { type: "string" },
      out: { type: "string" },
      force: { type: "boolean", default: false },
      json: { type: "boolean", default: false },
    },
    "FILE",
  );
  if (positionals.length > 1) throw new InputError("FILE", "one CSV file", positionals.join(" "));
  const input = positionals[0];
  // The output is checked first: nothing is read or computed for a release that cannot be written safely.
  if (values.out === undefined) throw new InputError("--out", "the path of the CSV to write", undefined);
  const out = checkOutputPath(values.out, { flag: "--out", force: values.force });
  if (input !== undefined && sameFile(out, input)) throw new InputError("--out", "a path other than the input file", values.out);
  const { table, trace, text } = readCsv(input, "FILE", ANONYMIZE_USAGE, splitColumns(values.codes));
  const n = trace.rows;
  const declared = {
    quasi: columnList("quasi", values.quasi, table, true),
    sensitive: columnList("sensitive", values.sensitive, table, false),
    direct: columnList("direct", values.direct, table, false),
    insensitive: columnList("insensitive", values.insensitive, table, false),
  };
  const roleOptions = { keepUnclassified: values["keep-unclassified"], notIdentifiers: columnList("not-identifier", values["not-identifier"], table, false) };
  const { roles, warnings } = resolveReleaseRoles(table, declared, roleOptions, CLI_ROLE_WORDING);
  const { quasi, sensitive } = roles;
  requireCleanColumns(trace, [...quasi, ...sensitive]);
  if (values.k === undefined) throw new InputError("--k", `an integer in [2, ${n}]`, undefined);
  const k = numberFlag("k", values.k, NaN, { min: 2, max: n, integer: true });
  const l = optionalNumberFlag("l", values.l, { min: 1 });
  const t = optionalNumberFlag("t", values.t, { min: 0, max: 1 });
  if ((l !== undefined || t !== undefined) && sensitive.length === 0) {
    throw new InputError(l !== undefined ? "--l" : "--t", "given together with --sensitive COLUMNS", l ?? t);
  }
  const lVariant: DiversityVariant | undefined =
    values["l-variant"] === undefined ? undefined : requireOneOf("--l-variant", values["l-variant"], DIVERSITY_VARIANTS);
  if (lVariant !== undefined && l === undefined) throw new InputError("--l-variant", "given together with --l", lVariant);
  const c = optionalNumberFlag("c", values.c, { min: 1 });
  const maxSuppression = numberFlag("max-suppression", values["max-suppression"], 0, { min: 0, max: 1, maxExclusive: true });
  const algorithm: Algorithm = requireOneOf("--algorithm", values.algorithm ?? "mondrian", ALGORITHMS);

  const { output, trace: result } = anonymizeTable(table, {
    roles: declared,
    ...roleOptions,
    k,
    l,
    lVariant,
    c,
    t,
    algorithm,
    maxSuppression,
    hierarchies: readHierarchies(values.hierarchies),
  });
  for (const warning of warnings) console.error(`privacy-course anonymize: warning: ${warning}`);
  // Columns that are not generalised are written exactly as they were read ("02138" stays "02138").
  const asWritten = csvTextColumns(text);
  const release: Table = {
    columns: output.table.columns,
    data: Object.fromEntries(
      output.table.columns.map((c) => [c, quasi.includes(c) ? output.table.data[c] : output.sourceRows.map((row) => asWritten[c][row])]),
    ),
  };
  // Everything is computed and verified before anything is written.
  writeFileSafely(values.out, tableToCsv(release), { flag: "--out", force: values.force });

  if (values.json) {
    const { details, ...summary } = result;
    const { evaluatedNodes: _nodes, ...rest } = details as typeof details & { evaluatedNodes?: unknown };
    return JSON.stringify({ out: values.out, ...summary, details: rest }, jsonReplacer);
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

/** Whether `out` (absolute) names the input file itself, through any path or hard link. */
function sameFile(out: string, input: string): boolean {
  if (out === path.resolve(input)) return true;
  try {
    const a = fs.statSync(out);
    const b = fs.statSync(input);
    return a.dev === b.dev && a.ino === b.ino;
  } catch {
    return false;
  }
}
