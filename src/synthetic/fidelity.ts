/**
 * Fidelity of synthetic tabular data: does it look like the real table, column by column and
 * pair by pair? Marginals: the two-sample Kolmogorov–Smirnov statistic for numeric columns and
 * the total variation distance for categorical ones. Pairs: the association between two columns
 * (Pearson r, Cramér's V or the correlation ratio η), computed the same way on both tables, so a
 * generator that gets every marginal right but breaks the relations between columns shows up.
 */
import { InputError } from "../validation/errors";
import { columnKind, columnValues, rowCount, type Cell, type ColumnKind, type Table } from "../anonymity/table";

// ---------------------------------------------------------------------------------------
// Checks shared by every measure of this folder.

export interface NamedTable {
  /** How errors name the table: "real", "synthetic", "train", … */
  name: string;
  table: Table;
}

/**
 * The columns every table will be measured on. With `columns`, each table must hold each of
 * them (other columns are ignored); without, every table must have exactly the reference's set
 * of columns (order aside). Every table needs a row, and every measured cell must be a string
 * or a finite number: a NaN would silently poison a mean or a distance.
 */
export function requireComparableTables(
  reference: NamedTable,
  others: readonly NamedTable[],
  columns?: readonly string[],
): string[] {
  for (const { name, table } of [reference, ...others]) {
    let rows: number;
    try {
      rows = rowCount(table);
    } catch (error) {
      if (error instanceof InputError) throw new InputError(`${name}${error.field.replace(/^table/, "")}`, error.allowed, error.got);
      throw error;
    }
    if (rows === 0) throw new InputError(name, "a table with at least one row", "0 rows");
  }
  let measured: string[];
  if (columns !== undefined) {
    if (!Array.isArray(columns as unknown) || columns.length === 0) {
      throw new InputError("columns", `a non-empty list of column names (of ${reference.table.columns.join(", ")})`, columns);
    }
    columns.forEach((c, i) => {
      if (columns.indexOf(c) !== i) throw new InputError("columns", "unique column names", `"${c}" twice`);
    });
    measured = [...columns];
    for (const column of measured) {
      columnValues(reference.table, column, "columns");
      for (const other of others) {
        if (!other.table.columns.includes(column)) {
          throw new InputError(`${other.name}.columns`, `every measured column (${measured.join(", ")})`, `no column "${column}"`);
        }
      }
    }
  } else {
    measured = [...reference.table.columns];
    for (const other of others) {
      const missing = measured.filter((c) => !other.table.columns.includes(c));
      const extra = other.table.columns.filter((c) => !measured.includes(c));
      if (missing.length + extra.length > 0) {
        const got = [missing.length > 0 ? `missing ${missing.join(", ")}` : "", extra.length > 0 ? `extra ${extra.join(", ")}` : ""].filter(Boolean).join("; ");
        throw new InputError(`${other.name}.columns`, `the same columns as ${reference.name} (${measured.join(", ")})`, got);
      }
    }
  }
  for (const { name, table } of [reference, ...others]) {
    for (const column of measured) {
      const values = table.data[column];
      for (let i = 0; i < values.length; i++) {
        const v = values[i];
        if (typeof v === "string" || (typeof v === "number" && Number.isFinite(v))) continue;
        throw new InputError(`${name}.${column}[${i}]`, "a string or a finite number", v);
      }
    }
  }
  return measured;
}

// ---------------------------------------------------------------------------------------
// Marginals.

export interface KolmogorovSmirnov {
  /** sup over x of |F_real(x) − F_synthetic(x)|, in [0, 1]. */
  statistic: number;
  /** Asymptotic two-sided p-value: Q_KS(√(nm/(n+m)) · statistic). */
  pValue: number;
}

/**
 * The two-sample Kolmogorov–Smirnov statistic, exactly: both samples sorted, and the gap between
 * the two empirical CDFs read only after EVERY copy of a value has been counted in both samples
 * (reading inside a run of tied values would measure a step the ECDFs never take).
 */
export function ksTwoSample(a: ArrayLike<number>, b: ArrayLike<number>): KolmogorovSmirnov {
  for (const [name, values] of [["a", a], ["b", b]] as const) {
    if (values.length === 0) throw new InputError(name, "at least one number", "none");
    for (let i = 0; i < values.length; i++) {
      if (typeof values[i] !== "number" || !Number.isFinite(values[i])) throw new InputError(`${name}[${i}]`, "a finite number", values[i]);
    }
  }
  const x = Float64Array.from(a).sort();
  const y = Float64Array.from(b).sort();
  const n = x.length;
  const m = y.length;
  let i = 0;
  let j = 0;
  // |i/n − j/m| as |i·m − j·n| / (n·m): integers, so equal ECDFs give exactly 0.
  let widest = 0;
  while (i < n || j < m) {
    const value = j >= m || (i < n && x[i] <= y[j]) ? x[i] : y[j];
    while (i < n && x[i] === value) i++;
    while (j < m && y[j] === value) j++;
    const gap = Math.abs(i * m - j * n);
    if (gap > widest) widest = gap;
  }
  const statistic = widest / (n * m);
  return { statistic, pValue: kolmogorovSurvival(Math.sqrt((n * m) / (n + m)) * statistic) };
}

/**
 * P(K > λ) for the Kolmogorov distribution, the limit of √n·D under the null hypothesis
 * (Kolmogorov 1933). Two series, each fast where the other is slow (as in Numerical Recipes
 * and Cephes): the theta-function form below λ = 1.18, the alternating series above.
 */
export function kolmogorovSurvival(lambda: number): number {
  if (!(lambda > 0)) return 1;
  if (lambda < 1.18) {
    const y = Math.exp(-(Math.PI * Math.PI) / (8 * lambda * lambda));
    let sum = 0;
    for (let k = 1; k <= 6; k++) sum += y ** ((2 * k - 1) ** 2);
    return clamp01(1 - (Math.sqrt(2 * Math.PI) / lambda) * sum);
  }
  const x = Math.exp(-2 * lambda * lambda);
  let sum = 0;
  for (let k = 1; k <= 6; k++) sum += (k % 2 === 1 ? 1 : -1) * x ** (k * k);
  return clamp01(2 * sum);
}

function clamp01(value: number): number {
  return Math.min(1, Math.max(0, value));
}

export interface CategoryShare {
  category: Cell;
  real: number;
  synthetic: number;
}

export interface TotalVariation {
  /** ½ Σ |p − q| over the union of categories, in [0, 1]. */
  distance: number;
  /** Every category of either sample with its share in each (real categories first, by real share). */
  categories: CategoryShare[];
  /** Categories the synthetic data has and the real data does not. */
  invented: Cell[];
  /** Categories of the real data the synthetic data never produces. */
  missed: Cell[];
}

export function totalVariation(real: ArrayLike<Cell>, synthetic: ArrayLike<Cell>): TotalVariation {
  if (real.length === 0) throw new InputError("real", "at least one value", "none");
  if (synthetic.length === 0) throw new InputError("synthetic", "at least one value", "none");
  const p = shares(real);
  const q = shares(synthetic);
  const order = [...p.keys()].sort((u, v) => (p.get(v) ?? 0) - (p.get(u) ?? 0));
  const invented = [...q.keys()].filter((c) => !p.has(c));
  const categories = [...order, ...invented].map((category) => ({ category, real: p.get(category) ?? 0, synthetic: q.get(category) ?? 0 }));
  const distance = categories.reduce((s, c) => s + Math.abs(c.real - c.synthetic), 0) / 2;
  return { distance, categories, invented, missed: order.filter((c) => !q.has(c)) };
}

function shares(values: ArrayLike<Cell>): Map<Cell, number> {
  const counts = new Map<Cell, number>();
  for (let i = 0; i < values.length; i++) counts.set(values[i], (counts.get(values[i]) ?? 0) + 1);
  for (const [c, k] of counts) counts.set(c, k / values.length);
  return counts;
}

// ---------------------------------------------------------------------------------------
// Associations between two columns.

/** Pearson's r in [−1, 1]; 0 when either column is constant (no linear relation can show). */
export function pearsonCorrelation(x: ArrayLike<number>, y: ArrayLike<number>): number {
  requirePaired(x, y);
  const n = x.length;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += x[i];
    my += y[i];
  }
  mx /= n;
  my /= n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = x[i] - mx;
    const dy = y[i] - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  if (!(sxx > 0 && syy > 0)) return 0;
  return Math.max(-1, Math.min(1, sxy / Math.sqrt(sxx * syy)));
}

/**
 * Cramér's V = √(χ² / (n · (min(r, c) − 1))) in [0, 1] (Cramér 1946), without bias correction;
 * 0 when either column has a single category.
 */
export function cramersV(x: ArrayLike<Cell>, y: ArrayLike<Cell>): number {
  requirePaired(x, y);
  const n = x.length;
  const rows = new Map<Cell, number>();
  const cols = new Map<Cell, number>();
  const cells = new Map<Cell, Map<Cell, number>>();
  for (let i = 0; i < n; i++) {
    rows.set(x[i], (rows.get(x[i]) ?? 0) + 1);
    cols.set(y[i], (cols.get(y[i]) ?? 0) + 1);
    let row = cells.get(x[i]);
    if (!row) cells.set(x[i], (row = new Map()));
    row.set(y[i], (row.get(y[i]) ?? 0) + 1);
  }
  const smaller = Math.min(rows.size, cols.size);
  if (smaller < 2) return 0;
  let chi2 = 0;
  for (const [r, nr] of rows) {
    for (const [c, nc] of cols) {
      const expected = (nr * nc) / n;
      const observed = cells.get(r)?.get(c) ?? 0;
      chi2 += (observed - expected) ** 2 / expected;
    }
  }
  return Math.min(1, Math.sqrt(chi2 / (n * (smaller - 1))));
}

/**
 * The correlation ratio η = √(between-category sum of squares / total sum of squares) of a
 * numeric column given a categorical one, in [0, 1]; 0 when the numeric column is constant.
 */
export function correlationRatio(categories: ArrayLike<Cell>, values: ArrayLike<number>): number {
  requirePaired(categories, values);
  const n = values.length;
  const groups = new Map<Cell, { count: number; sum: number }>();
  let total = 0;
  for (let i = 0; i < n; i++) {
    const g = groups.get(categories[i]) ?? { count: 0, sum: 0 };
    g.count++;
    g.sum += values[i];
    groups.set(categories[i], g);
    total += values[i];
  }
  const mean = total / n;
  let ssTotal = 0;
  for (let i = 0; i < n; i++) ssTotal += (values[i] - mean) ** 2;
  if (!(ssTotal > 0)) return 0;
  let ssBetween = 0;
  for (const g of groups.values()) ssBetween += g.count * (g.sum / g.count - mean) ** 2;
  return Math.min(1, Math.sqrt(ssBetween / ssTotal));
}

function requirePaired(x: ArrayLike<unknown>, y: ArrayLike<unknown>): void {
  if (x.length === 0) throw new InputError("x", "at least one value", "none");
  if (y.length !== x.length) throw new InputError("y", `${x.length} values (one per x)`, `${y.length} values`);
}

// ---------------------------------------------------------------------------------------
// The report.

export interface NumericColumnFidelity {
  column: string;
  kind: "numeric";
  ks: number;
  pValue: number;
}

export interface CategoricalColumnFidelity {
  column: string;
  kind: "categorical";
  tv: number;
  categories: CategoryShare[];
  invented: Cell[];
  missed: Cell[];
  /** Share of synthetic rows whose category the real data never has. */
  inventedShare: number;
}

export type ColumnFidelity = NumericColumnFidelity | CategoricalColumnFidelity;

export type AssociationMeasure = "pearson" | "cramersV" | "correlationRatio";

export interface PairFidelity {
  columns: [string, string];
  measure: AssociationMeasure;
  real: number;
  synthetic: number;
  /** |real − synthetic| (in [0, 2] for Pearson's r, [0, 1] for the others). */
  difference: number;
}

export interface FidelitySummary {
  /** Mean KS statistic over the numeric columns (null when there are none). */
  meanKs: number | null;
  /** Mean total variation distance over the categorical columns (null when there are none). */
  meanTv: number | null;
  /** Mean and largest association difference over the pairs (null with a single column). */
  meanAssociationDifference: number | null;
  maxAssociationDifference: number | null;
  /** The pair with the largest difference. */
  worstPair: [string, string] | null;
}

export interface FidelityReport {
  columns: ColumnFidelity[];
  pairs: PairFidelity[];
  summary: FidelitySummary;
}

export interface FidelityTrace {
  rows: { real: number; synthetic: number };
  columns: { name: string; kind: ColumnKind }[];
  /** Kinds come from the real table: numeric when every real cell is a number and the column is not listed as categorical. */
  kindRule: string;
  definitions: Record<"ks" | "pValue" | "tv" | "pearson" | "cramersV" | "correlationRatio" | "difference", string>;
  summary: string;
}

export interface FidelityOptions {
  /** Columns to compare (default: all of the real table's; both tables must then have the same columns). */
  columns?: readonly string[];
  /** Columns to treat as categorical even though every real cell is a number (e.g. a 0/1 outcome). */
  categorical?: readonly string[];
}

export function measureFidelity(real: Table, synthetic: Table, options: FidelityOptions = {}): { output: FidelityReport; trace: FidelityTrace } {
  const names = requireComparableTables({ name: "real", table: real }, [{ name: "synthetic", table: synthetic }], options.columns);
  const forced = options.categorical ?? [];
  if (!Array.isArray(forced as unknown)) throw new InputError("categorical", "a list of column names", forced);
  for (const name of forced) {
    if (!names.includes(name)) throw new InputError("categorical", `names among the measured columns (${names.join(", ")})`, name);
  }
  const kinds = new Map<string, ColumnKind>();
  for (const name of names) {
    const kind = forced.includes(name) ? "categorical" : columnKind(real.data[name]);
    kinds.set(name, kind);
    if (kind === "numeric") {
      const values = synthetic.data[name];
      for (let i = 0; i < values.length; i++) {
        if (typeof values[i] !== "number") throw new InputError(`synthetic.${name}[${i}]`, "a finite number (the column is numeric in the real table)", values[i]);
      }
    }
  }

  const columns: ColumnFidelity[] = names.map((column) => {
    const r = real.data[column];
    const s = synthetic.data[column];
    if (kinds.get(column) === "numeric") {
      const ks = ksTwoSample(r as ArrayLike<number>, s as ArrayLike<number>);
      return { column, kind: "numeric", ks: ks.statistic, pValue: ks.pValue };
    }
    const tv = totalVariation(r, s);
    const invented = new Set(tv.invented);
    let inventedRows = 0;
    for (let i = 0; i < s.length; i++) if (invented.has(s[i])) inventedRows++;
    return { column, kind: "categorical", tv: tv.distance, categories: tv.categories, invented: tv.invented, missed: tv.missed, inventedShare: inventedRows / s.length };
  });

  const pairs: PairFidelity[] = [];
  for (let a = 0; a < names.length; a++) {
    for (let b = a + 1; b < names.length; b++) {
      const pair: [string, string] = [names[a], names[b]];
      const measure = associationMeasure(kinds.get(names[a])!, kinds.get(names[b])!);
      const onReal = association(real, pair, measure, kinds);
      const onSynthetic = association(synthetic, pair, measure, kinds);
      pairs.push({ columns: pair, measure, real: onReal, synthetic: onSynthetic, difference: Math.abs(onReal - onSynthetic) });
    }
  }

  const ks = columns.flatMap((c) => (c.kind === "numeric" ? [c.ks] : []));
  const tv = columns.flatMap((c) => (c.kind === "categorical" ? [c.tv] : []));
  const differences = pairs.map((p) => p.difference);
  const worst = pairs.reduce<PairFidelity | null>((w, p) => (w === null || p.difference > w.difference ? p : w), null);
  const summary: FidelitySummary = {
    meanKs: mean(ks),
    meanTv: mean(tv),
    meanAssociationDifference: mean(differences),
    maxAssociationDifference: differences.length > 0 ? Math.max(...differences) : null,
    worstPair: worst ? worst.columns : null,
  };
  const show = (v: number | null) => (v === null ? "–" : v.toFixed(3));
  return {
    output: { columns, pairs, summary },
    trace: {
      rows: { real: rowCount(real), synthetic: rowCount(synthetic) },
      columns: names.map((name) => ({ name, kind: kinds.get(name)! })),
      kindRule: "a column is numeric when every real cell is a finite number and it is not listed in `categorical`; otherwise categorical",
      definitions: {
        ks: "two-sample Kolmogorov–Smirnov statistic: the largest gap between the real and synthetic empirical CDFs (0 = same sample distribution, 1 = disjoint ranges); tied values are counted all at once",
        pValue: "asymptotic two-sided p-value of the KS test, P(K > √(nm/(n+m))·D) under the Kolmogorov distribution (Kolmogorov 1933, Smirnov 1948); conservative when values tie (discrete columns)",
        tv: "total variation distance ½Σ|p − q| over the union of real and synthetic categories: the largest difference in probability the two tables give any set of categories",
        pearson: "numeric–numeric: Pearson's correlation r (0 when a column is constant)",
        cramersV: "categorical–categorical: Cramér's V = √(χ²/(n·(min(r, c) − 1))), no bias correction (Cramér 1946)",
        correlationRatio: "numeric–categorical: correlation ratio η = √(SS between categories / SS total) (Karl Pearson)",
        difference: "|association on the real table − association on the synthetic table|, each computed on its own table",
      },
      summary: `${names.length} columns, ${pairs.length} pairs: mean KS ${show(summary.meanKs)}, mean TV ${show(summary.meanTv)}, mean association difference ${show(summary.meanAssociationDifference)} (largest ${show(summary.maxAssociationDifference)}${worst ? ` for ${worst.columns.join("–")}` : ""})`,
    },
  };
}

function associationMeasure(a: ColumnKind, b: ColumnKind): AssociationMeasure {
  if (a === "numeric" && b === "numeric") return "pearson";
  if (a === "categorical" && b === "categorical") return "cramersV";
  return "correlationRatio";
}

function association(table: Table, [a, b]: [string, string], measure: AssociationMeasure, kinds: Map<string, ColumnKind>): number {
  const x = table.data[a];
  const y = table.data[b];
  if (measure === "pearson") return pearsonCorrelation(x as ArrayLike<number>, y as ArrayLike<number>);
  if (measure === "cramersV") return cramersV(x, y);
  return kinds.get(a) === "categorical" ? correlationRatio(x, y as ArrayLike<number>) : correlationRatio(y, x as ArrayLike<number>);
}

function mean(values: readonly number[]): number | null {
  return values.length === 0 ? null : values.reduce((s, v) => s + v, 0) / values.length;
}
