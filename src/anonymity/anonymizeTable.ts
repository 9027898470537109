/**
 * One entry point from a table and its roles to a release: direct identifiers dropped,
 * quasi-identifiers generalised (Mondrian by default, the full-domain search or MDAV), rows
 * suppressed where the algorithm had to, sensitive and insensitive columns kept. The release
 * is then checked again from scratch — grouping its published cells as an attacker would —
 * and a release that fails the requested model is an error, never a warning.
 */
import { InputError, requireNumber, requireOneOf } from "../validation/errors";
import { checkKAnonymity } from "./kAnonymity";
import { checkLDiversity, DEFAULT_RECURSIVE_C } from "./lDiversity";
import { checkTCloseness } from "./tCloseness";
import { cellLabel } from "./generalisedCell";
import { fullDomainGeneralisation, type FullDomainTrace } from "./fullDomain";
import type { Hierarchy } from "./hierarchy";
import { informationLoss, type InformationLoss } from "./informationLoss";
import { mdav, type MdavTrace } from "./mdav";
import { mondrian, type MondrianTrace, type Partitioning } from "./mondrian";
import type { PrivacyRequirementsInput } from "./requirements";
import type { IdentifierFinding } from "./identifiers";
import { resolveReleaseRoles, type DatasetRoles, type ReleaseRoleOptions } from "./roles";
import { rowCount, type Cell, type Table } from "./table";

export const ALGORITHMS = ["mondrian", "full-domain", "mdav"] as const;
export type Algorithm = (typeof ALGORITHMS)[number];

export interface AnonymizeTableOptions extends PrivacyRequirementsInput, ReleaseRoleOptions {
  /**
   * Every column needs a role (direct, quasi, sensitive, insensitive): a column left out is
   * refused unless `keepUnclassified`, and one that looks like a direct identifier must be
   * declared direct (see resolveReleaseRoles).
   */
  roles: Partial<DatasetRoles>;
  algorithm?: Algorithm;
  hierarchies?: Readonly<Record<string, Hierarchy>>;
  /** Full-domain only: the largest share of rows that may be suppressed. Default 0. */
  maxSuppression?: number;
}

export interface AnonymizedTable {
  /** The release: no direct identifiers, generalised quasi-identifiers, suppressed rows removed. */
  table: Table;
  /** The input row each released row came from (suppressed rows are absent). */
  sourceRows: number[];
  /** Equivalence class of each released row, into `classes`. */
  classOf: Int32Array;
  classes: Partitioning["classes"];
}

export interface ColumnReport {
  column: string;
  role: "direct" | "quasi" | "sensitive" | "insensitive";
  action: "dropped" | "generalised" | "microaggregated" | "kept";
  detail: string;
}

export interface AnonymizeTableTrace {
  algorithm: Algorithm;
  roles: DatasetRoles;
  /** Columns kept without a declared role (only with keepUnclassified). */
  unclassified: string[];
  /** Columns that look like direct identifiers, and what gave them away (no values quoted). */
  identifiers: IdentifierFinding[];
  /** Columns kept although unclassified or flagged: a person should look at each. */
  warnings: string[];
  columns: ColumnReport[];
  rows: { input: number; output: number; suppressed: number };
  classes: { count: number; smallest: number; largest: number; mean: number };
  informationLoss: InformationLoss;
  /** The requested models, re-checked on the released table. */
  verified: { k: number; l?: { variant: string; achieved: number }[]; t?: { achieved: number }[] };
  details: MondrianTrace | FullDomainTrace | MdavTrace;
}

export function anonymizeTable(table: Table, options: AnonymizeTableOptions): { output: AnonymizedTable; trace: AnonymizeTableTrace } {
  const n = rowCount(table);
  const { roles, unclassified, identifiers, warnings } = resolveReleaseRoles(table, options.roles, options);
  const algorithm = requireOneOf("algorithm", options.algorithm ?? "mondrian", ALGORITHMS);
  if (options.maxSuppression !== undefined) {
    requireNumber("maxSuppression", options.maxSuppression, { min: 0, max: 1, maxExclusive: true });
  }
  const common = {
    quasi: roles.quasi,
    sensitive: roles.sensitive,
    k: options.k,
    l: options.l,
    lVariant: options.lVariant,
    c: options.c,
    t: options.t,
    hierarchies: options.hierarchies,
  };
  let result: { output: Partitioning; trace: MondrianTrace | FullDomainTrace | MdavTrace };
  if (algorithm === "mondrian") {
    result = mondrian(table, common);
  } else if (algorithm === "full-domain") {
    result = fullDomainGeneralisation(table, { ...common, maxSuppression: options.maxSuppression });
  } else {
    if (options.l !== undefined || options.t !== undefined) {
      throw new InputError(options.l !== undefined ? "l" : "t", "absent for MDAV (it guarantees k-anonymity only; use Mondrian or full-domain)", options.l ?? options.t);
    }
    if (options.hierarchies && Object.keys(options.hierarchies).length > 0) {
      throw new InputError("hierarchies", "absent for MDAV (it averages numbers; it uses no hierarchy)", Object.keys(options.hierarchies).join(", "));
    }
    result = mdav(table, { quasi: roles.quasi, k: options.k });
  }
  const partitioning = result.output;

  // The release: kept rows in input order, quasi-identifiers replaced by their class's cells.
  const sourceRows: number[] = [];
  for (let i = 0; i < n; i++) if (partitioning.classOf[i] >= 0) sourceRows.push(i);
  const columns = table.columns.filter((c) => !roles.direct.includes(c));
  const data: Record<string, Cell[]> = {};
  const labels = partitioning.classes.map((c) => c.cells.map(cellLabel));
  const classOf = new Int32Array(sourceRows.length);
  sourceRows.forEach((row, j) => (classOf[j] = partitioning.classOf[row]));
  for (const column of columns) {
    const q = roles.quasi.indexOf(column);
    const source = table.data[column];
    data[column] = sourceRows.map((row, j) => (q >= 0 ? labels[classOf[j]][q] : source[row]));
  }
  const released: Table = { columns, data };

  const verified = verify(released, roles, options);
  const loss = informationLoss(table, partitioning, { quasi: roles.quasi, hierarchies: options.hierarchies, k: options.k });
  let smallest = Infinity;
  let largest = 0;
  for (const c of partitioning.classes) {
    smallest = Math.min(smallest, c.size);
    largest = Math.max(largest, c.size);
  }
  return {
    output: { table: released, sourceRows, classOf, classes: partitioning.classes },
    trace: {
      algorithm,
      roles,
      unclassified,
      identifiers,
      warnings,
      columns: table.columns.map((column) => columnReport(column, roles, result.trace, loss, options, unclassified)),
      rows: { input: n, output: sourceRows.length, suppressed: n - sourceRows.length },
      classes: { count: partitioning.classes.length, smallest, largest, mean: sourceRows.length / partitioning.classes.length },
      informationLoss: loss,
      verified,
      details: result.trace,
    },
  };
}

function verify(released: Table, roles: DatasetRoles, options: AnonymizeTableOptions): AnonymizeTableTrace["verified"] {
  const k = checkKAnonymity(released, { quasi: roles.quasi, k: options.k });
  const failures: string[] = [];
  if (!k.satisfied) failures.push(`k-anonymity (smallest class ${k.achieved})`);
  const verified: AnonymizeTableTrace["verified"] = { k: k.achieved };
  if (options.l !== undefined) {
    verified.l = roles.sensitive.map((sensitive) => {
      const check = checkLDiversity(released, {
        quasi: roles.quasi,
        sensitive,
        l: options.l as number,
        variant: options.lVariant,
        c: options.c ?? DEFAULT_RECURSIVE_C,
      });
      if (!check.satisfied) failures.push(`${check.model} of ${sensitive} (achieved ${check.achieved})`);
      return { variant: check.model, achieved: check.achieved };
    });
  }
  if (options.t !== undefined) {
    verified.t = roles.sensitive.map((sensitive) => {
      const check = checkTCloseness(released, { quasi: roles.quasi, sensitive, t: options.t as number });
      if (!check.satisfied) failures.push(`${check.model} of ${sensitive} (achieved ${check.achieved})`);
      return { achieved: check.achieved };
    });
  }
  if (failures.length > 0) {
    // A bug, not bad input: the algorithms only return partitions that meet the model.
    throw new Error(`anonymizeTable produced a release that fails ${failures.join(", ")}; nothing was returned`);
  }
  return verified;
}

function columnReport(
  column: string,
  roles: DatasetRoles,
  details: MondrianTrace | FullDomainTrace | MdavTrace,
  loss: InformationLoss,
  options: AnonymizeTableOptions,
  unclassified: readonly string[],
): ColumnReport {
  if (roles.direct.includes(column)) return { column, role: "direct", action: "dropped", detail: "direct identifier; removed" };
  if (roles.quasi.includes(column)) {
    const intensity = `generalisation intensity ${loss.perQuasiIdentifier[column].toFixed(3)}`;
    if (details.algorithm === "full-domain") {
      const chosen = details.chosen.levels[column];
      return { column, role: "quasi", action: "generalised", detail: `level ${chosen.level} of ${chosen.of} (${chosen.meaning}); ${intensity}` };
    }
    if (details.algorithm === "mdav") {
      return { column, role: "quasi", action: "microaggregated", detail: `replaced by the mean of its group of ≥ ${options.k}; ${intensity}` };
    }
    return {
      column,
      role: "quasi",
      action: "generalised",
      detail: `per class: ${details.splitsPerDimension[column]} cuts; numbers become the class's interval on the column's hierarchy grid (rounded bounds, not data values), categories their lowest common hierarchy node; ${intensity}`,
    };
  }
  if (roles.sensitive.includes(column)) {
    const protections = [
      options.l !== undefined ? `${options.lVariant ?? "distinct"} l = ${options.l}` : null,
      options.t !== undefined ? `t = ${options.t}` : null,
    ].filter(Boolean);
    return {
      column,
      role: "sensitive",
      action: "kept",
      detail: protections.length > 0 ? `kept; every class meets ${protections.join(" and ")}` : "kept (no l-diversity or t-closeness asked for)",
    };
  }
  if (unclassified.includes(column)) return { column, role: "insensitive", action: "kept", detail: "WARNING: no declared role; kept as it is (keepUnclassified)" };
  return { column, role: "insensitive", action: "kept", detail: "kept as it is" };
}
