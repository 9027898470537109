/**
 * The anonymity pipeline in front of the GAN (seed: "Data → anonymity pipeline → generator →
 * discriminator"): what the generator's adversary is allowed to see of the real rows.
 *
 *   1. drop the direct identifiers (name, email);
 *   2. generalise each quasi-identifier to a level of its hierarchy (age 5 → 10 → 20-year
 *      bands, town → settlement category → "*");
 *   3. group similar records (k-member microaggregation on the quasi-identifiers, ./grouping.ts),
 *      so every released combination is shared by at least k rows.
 *
 * The third part of the pipeline's protection, differential privacy, is applied by trainGan
 * (the discriminator's DP-SGD); the pipeline's settings carry its target ε so that one setting
 * describes everything an iteration can tune: levels, group size and ε.
 *
 * A generalised number stays a number, the midpoint of its interval, so the GAN still models it
 * as a numeric column (an interval label would turn age into dozens of unordered categories).
 * A generalised category becomes its hierarchy node's label. Top-level "*" is allowed for a
 * category (the column becomes constant) but not for a number (it has no midpoint).
 *
 * `generaliseRows` is the row-by-row part (steps 1–2) on its own: it maps held-out people into
 * the same released space, so distances between synthetic and real rows compare like with like.
 */
import { customerHierarchies, CUSTOMER_ROLES } from "../anonymity/customers";
import { intervalCell, compileTree, leafOf, hierarchyHeight, requireCovered, type Hierarchy } from "../anonymity/hierarchy";
import { cellLabel, midpoint } from "../anonymity/generalisedCell";
import { checkKAnonymity } from "../anonymity/kAnonymity";
import { resolveRoles, type DatasetRoles } from "../anonymity/roles";
import { columnValues, dropColumns, rowCount, type Cell, type Table } from "../anonymity/table";
import { InputError, requireNumber } from "../validation/errors";
import { groupSimilarRecords, type GroupingTrace } from "./grouping";

/** Everything an iteration can tune about the pipeline. */
export interface PipelineSettings {
  /** Hierarchy level per quasi-identifier (0 = exact). A quasi-identifier not listed stays exact. */
  levels: Record<string, number>;
  /** k of the grouping step; 1 = no grouping (every record its own group). */
  groupSize: number;
  /** ε of the discriminator's DP-SGD in trainGan (Infinity = no differential privacy). */
  targetEpsilon: number;
}

export interface AnonymityPipelineOptions {
  settings: PipelineSettings;
  /** Column roles; default the customer table's (CUSTOMER_ROLES). */
  roles?: Partial<DatasetRoles>;
  /** Hierarchy per quasi-identifier; default customerHierarchies(). */
  hierarchies?: Readonly<Record<string, Hierarchy>>;
  /** Columns that hold numbers but are categories (e.g. a 0/1 outcome), for the grouping's distances. */
  categorical?: readonly string[];
}

export interface GeneralisedColumnReport {
  column: string;
  level: number;
  /** Levels of its hierarchy above the exact value ("*" is the last). */
  height: number;
  meaning: string;
  distinctBefore: number;
  distinctAfter: number;
  cellsChanged: number;
}

export interface AnonymityPipelineTrace {
  stage: "anonymityPipeline";
  settings: PipelineSettings;
  rows: number;
  roles: DatasetRoles;
  droppedIdentifiers: string[];
  generalised: GeneralisedColumnReport[];
  /** null when groupSize is 1. */
  grouping: GroupingTrace | null;
  /** k-anonymity of the released rows on the quasi-identifiers (the smallest class). */
  kAnonymity: { achieved: number; classes: number; smallestClass: Record<string, Cell> | null };
  columns: { released: string[] };
  /** What ε does and does not cover once these rows go to trainGan. */
  privacyNotes: string[];
  summary: string;
}

/** Steps 1–2: identifiers dropped, quasi-identifiers generalised; row i of the result is row i of the input. */
export function generaliseRows(
  table: Table,
  options: Omit<AnonymityPipelineOptions, "settings"> & { levels: Record<string, number> },
): { output: Table; trace: { roles: DatasetRoles; droppedIdentifiers: string[]; generalised: GeneralisedColumnReport[] } } {
  if (options === null || typeof options !== "object") throw new InputError("options", "{ levels, roles?, hierarchies? }", options);
  const n = rowCount(table);
  if (n === 0) throw new InputError("table", "at least one row", "0 rows");
  const roles = resolveRoles(table, options.roles ?? defaultRoles(table));
  const hierarchies = options.hierarchies ?? customerHierarchies();
  const levels = requireLevels(options.levels, roles.quasi);
  const released = dropColumns(table, roles.direct);
  const data: Record<string, ArrayLike<Cell>> = { ...released.data };
  const generalised: GeneralisedColumnReport[] = roles.quasi.map((column) => {
    const level = levels[column] ?? 0;
    const values = columnValues(table, column, "roles.quasi");
    const hierarchy = hierarchies[column];
    if (hierarchy === undefined) {
      if (level === 0) return report(column, 0, 0, "exact (no hierarchy given)", values, values);
      throw new InputError(`hierarchies.${column}`, `a hierarchy for every quasi-identifier generalised above level 0`, undefined);
    }
    const height = hierarchyHeight(hierarchy);
    const after = generaliseColumn(values, hierarchy, level, column);
    data[column] = after;
    return report(column, level, height, levelMeaning(hierarchy, level), values, after);
  });
  return {
    output: { columns: [...released.columns], data },
    trace: { roles, droppedIdentifiers: [...roles.direct], generalised },
  };
}

/** Steps 1–3 on the training rows: the table the GAN learns from, and how it was made. */
export function anonymityPipeline(table: Table, options: AnonymityPipelineOptions): { output: Table; trace: AnonymityPipelineTrace } {
  if (options === null || typeof options !== "object") throw new InputError("options", "{ settings, roles?, hierarchies?, categorical? }", options);
  const settings = requireSettings(options.settings);
  const n = rowCount(table);
  const generalised = generaliseRows(table, { ...options, levels: settings.levels });
  const quasi = generalised.trace.roles.quasi;
  let released = generalised.output;
  let grouping: GroupingTrace | null = null;
  if (settings.groupSize > 1) {
    if (settings.groupSize > n) throw new InputError("settings.groupSize", `1 (no grouping) to the number of rows (${n})`, settings.groupSize);
    const categorical = (options.categorical ?? []).filter((c) => quasi.includes(c));
    const grouped = groupSimilarRecords(released, { columns: quasi, k: settings.groupSize, categorical });
    released = grouped.output.released;
    grouping = grouped.trace;
  }
  const k = checkKAnonymity(released, { quasi, k: 1 });
  const notes = privacyNotes(settings);
  const levelText = generalised.trace.generalised.map((g) => `${g.column} ${g.meaning}`).join(", ");
  return {
    output: released,
    trace: {
      stage: "anonymityPipeline",
      settings,
      rows: n,
      roles: generalised.trace.roles,
      droppedIdentifiers: generalised.trace.droppedIdentifiers,
      generalised: generalised.trace.generalised,
      grouping,
      kAnonymity: { achieved: k.achieved, classes: k.trace.classes, smallestClass: k.worstClass?.key ?? null },
      columns: { released: [...released.columns] },
      privacyNotes: notes,
      summary: `dropped ${generalised.trace.droppedIdentifiers.join(", ") || "nothing"}; ${levelText}; ${
        grouping ? `grouped into ${grouping.groups.count} groups of ≥ ${settings.groupSize}` : "no grouping"
      }; released rows are ${k.achieved}-anonymous on ${quasi.join(", ")}`,
    },
  };
}

export function requireSettings(settings: unknown, field = "settings"): PipelineSettings {
  const s = settings as Partial<PipelineSettings> | null;
  if (s === null || typeof s !== "object") throw new InputError(field, "{ levels, groupSize, targetEpsilon }", settings);
  if (s.levels === null || typeof s.levels !== "object" || Array.isArray(s.levels)) {
    throw new InputError(`${field}.levels`, "an object quasi-identifier → hierarchy level (0 = exact)", s.levels);
  }
  const groupSize = requireNumber(`${field}.groupSize`, s.groupSize, { min: 1, integer: true });
  const targetEpsilon = s.targetEpsilon === Infinity ? Infinity : requireNumber(`${field}.targetEpsilon`, s.targetEpsilon, { min: 0, minExclusive: true });
  return { levels: { ...s.levels }, groupSize, targetEpsilon };
}

function defaultRoles(table: Table): Partial<DatasetRoles> {
  // The customer roles, minus columns this table does not have (e.g. identifiers already dropped).
  const has = (c: string) => table.columns.includes(c);
  return {
    direct: CUSTOMER_ROLES.direct.filter(has),
    quasi: CUSTOMER_ROLES.quasi.filter(has),
    sensitive: CUSTOMER_ROLES.sensitive.filter(has),
    insensitive: CUSTOMER_ROLES.insensitive.filter(has),
  };
}

function requireLevels(levels: unknown, quasi: readonly string[]): Record<string, number> {
  if (levels === null || typeof levels !== "object" || Array.isArray(levels)) {
    throw new InputError("levels", "an object quasi-identifier → hierarchy level (0 = exact)", levels);
  }
  const out: Record<string, number> = {};
  for (const [column, level] of Object.entries(levels as Record<string, unknown>)) {
    if (!quasi.includes(column)) throw new InputError("levels", `quasi-identifiers only (${quasi.join(", ")})`, column);
    out[column] = requireNumber(`levels.${column}`, level, { min: 0, integer: true });
  }
  return out;
}

/**
 * The highest level the pipeline can use: a hierarchy's top for categories, one below it for
 * numbers (the top is "*", which has no midpoint to learn from).
 */
export function highestLevel(hierarchy: Hierarchy): number {
  const height = hierarchyHeight(hierarchy);
  return hierarchy.kind === "intervals" ? height - 1 : height;
}

function generaliseColumn(values: ArrayLike<Cell>, hierarchy: Hierarchy, level: number, column: string): Cell[] {
  const height = hierarchyHeight(hierarchy);
  if (hierarchy.kind === "intervals") {
    if (level > highestLevel(hierarchy)) throw new InputError(`levels.${column}`, `0 to ${height - 1} (level ${height} is "*", which leaves no number to learn)`, level);
    return Array.from(values, (value, i) => {
      if (typeof value !== "number") throw new InputError(`${column}[${i}]`, "a number (the column has an interval hierarchy)", value);
      requireCovered(hierarchy, value, `${column}[${i}]`);
      const middle = midpoint(cellLabel(intervalCell(hierarchy, level, value)));
      return middle ?? value;
    });
  }
  if (level > highestLevel(hierarchy)) throw new InputError(`levels.${column}`, `0 to ${height} (its hierarchy's height)`, level);
  const tree = compileTree(hierarchy, `hierarchies.${column}`);
  return Array.from(values, (value, i) => {
    // Already at this level (a released or synthetic row): generalising again changes nothing.
    const node = tree.nodeByLabel.get(String(value));
    if (level > 0 && node !== undefined && tree.depth[node] === tree.height - level) return tree.labels[node];
    const leaf = leafOf(tree, value, `${column}[${i}]`);
    return tree.labels[tree.ancestorAtLevel[level][leaf]];
  });
}

function levelMeaning(hierarchy: Hierarchy, level: number): string {
  if (level === 0) return "exact";
  if (hierarchy.kind === "intervals") return `${hierarchy.widths[level - 1]}-wide intervals, released as their midpoints`;
  const height = hierarchyHeight(hierarchy);
  if (level === height) return `"*" (suppressed)`;
  const example = hierarchy.rows[0];
  return `level ${level} of ${height} (e.g. ${example[0]} → ${example[level]})`;
}

function report(column: string, level: number, height: number, meaning: string, before: ArrayLike<Cell>, after: ArrayLike<Cell>): GeneralisedColumnReport {
  let cellsChanged = 0;
  for (let i = 0; i < before.length; i++) if (before[i] !== after[i]) cellsChanged++;
  return { column, level, height, meaning, distinctBefore: new Set(Array.from(before)).size, distinctAfter: new Set(Array.from(after)).size, cellsChanged };
}

function privacyNotes(settings: PipelineSettings): string[] {
  const notes = [
    "Generalisation is row by row: one person changes one released row, so the discriminator's (ε, δ) applies per person.",
  ];
  if (settings.groupSize > 1) {
    notes.push(
      `Grouping (k = ${settings.groupSize}) replaces values by group means and modes that depend on several people: one person can change the groups and the values of other rows, so ε is a guarantee per released row, not per person, while grouping is on. The k-anonymity of the released rows is a separate, non-DP protection.`,
    );
  }
  if (settings.targetEpsilon === Infinity) notes.push("No differential privacy: the generator may reproduce training rows; only the anonymisation and the negative-event checks protect them.");
  return notes;
}
