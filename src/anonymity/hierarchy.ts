/**
 * Generalisation hierarchies (Samarati 2001; Sweeney 2002), as plain data:
 *
 * - intervals, for numbers: level 0 is the value, level i an interval of width widths[i-1]
 *   aligned on `origin` (age 5 → 10 → 20), the last level "*". Each width is a multiple of the
 *   one before, so the intervals nest and the levels form a hierarchy.
 * - tree, for categories: one row per leaf, [leaf, parent, …, top], every row the same length
 *   (the format of ARX's hierarchy files): town → category → "*".
 *
 * A hierarchy that does not cover a value is an InputError, never a silent "*".
 */
import { InputError, requireNumber } from "../validation/errors";
import { ANY_LABEL, type GeneralisedCell } from "./generalisedCell";
import { columnKind, type Cell } from "./table";

export interface IntervalHierarchy {
  kind: "intervals";
  /** The values the hierarchy covers: [min, max]. */
  min: number;
  max: number;
  /** Intervals are [origin + j·w, origin + (j+1)·w). */
  origin: number;
  /** Widths of levels 1…, increasing, each a multiple of the one before. */
  widths: number[];
}

export interface TreeHierarchy {
  kind: "tree";
  /** [leaf, parent, …, top] per leaf; all rows the same length and the same top. */
  rows: string[][];
}

export type Hierarchy = IntervalHierarchy | TreeHierarchy;

export function intervalHierarchy(options: { widths: number[]; origin?: number; min: number; max: number }): IntervalHierarchy {
  const hierarchy: IntervalHierarchy = {
    kind: "intervals",
    min: options.min,
    max: options.max,
    origin: options.origin ?? 0,
    widths: options.widths,
  };
  compileIntervals(hierarchy, "hierarchy");
  return hierarchy;
}

export function treeHierarchy(rows: string[][]): TreeHierarchy {
  const hierarchy: TreeHierarchy = { kind: "tree", rows };
  compileTree(hierarchy, "hierarchy");
  return hierarchy;
}

/** The automatic hierarchy for a categorical column without one: value → "*". */
export function flatHierarchy(values: ArrayLike<Cell>, field = "hierarchy"): TreeHierarchy {
  const distinct = [...new Set(Array.from(values, String))].sort();
  if (distinct.includes(ANY_LABEL)) {
    throw new InputError(field, `values other than "${ANY_LABEL}" (it means "any value" once generalised)`, ANY_LABEL);
  }
  return { kind: "tree", rows: distinct.map((v) => [v, ANY_LABEL]) };
}

/**
 * The automatic hierarchy for a numeric column without one: a "nice" base width (1, 2 or 5
 * × 10ⁿ) near a 32nd of the range, doubled level by level (at most 5 levels), then "*".
 * Levels that change nothing are left out: a width-1 interval of whole numbers is the number
 * itself, and once one interval would hold the whole range the next level is "*" anyway.
 */
export function autoIntervalHierarchy(values: ArrayLike<number>, field = "hierarchy"): IntervalHierarchy {
  let min = Infinity;
  let max = -Infinity;
  let integers = true;
  for (let i = 0; i < values.length; i++) {
    const v = requireNumber(`${field}[${i}]`, values[i]);
    if (v < min) min = v;
    if (v > max) max = v;
    if (integers && !Number.isInteger(v)) integers = false;
  }
  if (values.length === 0) throw new InputError(field, "at least one value", values);
  const { origin, width: base } = autoGrid(min, max, integers);
  const widths = [1, 2, 4, 8, 16]
    .map((f) => base * f)
    .filter((w) => !(integers && w <= 1))
    .filter((w) => Math.floor((max - origin) / w) > Math.floor((min - origin) / w));
  return { kind: "intervals", min, max, origin, widths };
}

/**
 * The finest cells of a numeric hierarchy: [origin + j·width, origin + (j+1)·width). Mondrian
 * builds its intervals from whole cells, so a published bound is a rounded grid point, never
 * a data value copied out (a phone number declared numeric used to leak through its class's
 * [min, max]).
 */
export interface NumericGrid {
  origin: number;
  width: number;
}

/** The automatic grid: a "nice" width (1, 2 or 5 × 10ⁿ, whole for whole numbers) near a 32nd of the range. */
export function autoGrid(min: number, max: number, integers: boolean): NumericGrid {
  let width = niceCeil((max - min) / 32);
  if (integers) width = Math.max(1, Math.round(width));
  if (!(width > 0)) width = 1;
  return { origin: Math.floor(min / width) * width, width };
}

/** The grid cell a value falls in (the same rounding as `intervalCell`). */
export function gridIndex(grid: NumericGrid, value: number): number {
  return Math.floor((value - grid.origin) / grid.width + 1e-9);
}

/** The interval covering grid cells first … last. */
export function gridInterval(grid: NumericGrid, first: number, last: number): GeneralisedCell {
  const low = Number((grid.origin + first * grid.width).toPrecision(12));
  const high = Number((grid.origin + (last + 1) * grid.width).toPrecision(12));
  return { kind: "interval", low, high, highInclusive: false };
}

function niceCeil(x: number): number {
  if (!(x > 0)) return 0;
  const power = 10 ** Math.floor(Math.log10(x));
  for (const step of [1, 2, 5, 10]) if (step * power >= x * (1 - 1e-12)) return step * power;
  return 10 * power;
}

/** The automatic hierarchy for a column: intervals for numbers, value → "*" otherwise. */
export function automaticHierarchy(values: ArrayLike<Cell>, field = "hierarchy"): Hierarchy {
  return columnKind(values) === "numeric"
    ? autoIntervalHierarchy(values as ArrayLike<number>, field)
    : flatHierarchy(values, field);
}

/**
 * Hierarchies from parsed JSON: { column: [[leaf, parent, …, top], …] } for a tree, or
 * { column: { widths: [5, 10, 20], origin?: 0, min, max } } for intervals.
 */
export function hierarchiesFromJson(json: unknown, field = "hierarchies"): Record<string, Hierarchy> {
  if (json === null || typeof json !== "object" || Array.isArray(json)) {
    throw new InputError(field, 'an object { "column": [[leaf, parent, …, "*"], …] or { "widths": [...], "min": n, "max": n } }', json);
  }
  const out: Record<string, Hierarchy> = {};
  for (const [column, spec] of Object.entries(json as Record<string, unknown>)) {
    const at = `${field}.${column}`;
    if (Array.isArray(spec)) {
      spec.forEach((row, i) => {
        if (!Array.isArray(row)) throw new InputError(`${at}[${i}]`, "an array [leaf, parent, …, top]", row);
      });
      const rows = (spec as unknown[][]).map((row) => row.map((cell) => String(cell)));
      out[column] = { kind: "tree", rows };
      compileTree(out[column] as TreeHierarchy, at);
    } else if (spec !== null && typeof spec === "object") {
      const s = spec as Record<string, unknown>;
      out[column] = {
        kind: "intervals",
        widths: s.widths as number[],
        origin: (s.origin ?? 0) as number,
        min: s.min as number,
        max: s.max as number,
      };
      compileIntervals(out[column] as IntervalHierarchy, at);
    } else {
      throw new InputError(at, "an array of rows or an object { widths, min, max }", spec);
    }
  }
  return out;
}

/** Levels 0 … height: 0 is the original value, height is "*". */
export function hierarchyHeight(hierarchy: Hierarchy): number {
  return hierarchy.kind === "intervals" ? hierarchy.widths.length + 1 : hierarchy.rows[0].length - 1;
}

// ---------------------------------------------------------------------------------------
// Compiled forms, for the algorithms.

export interface CompiledIntervals {
  kind: "intervals";
  source: IntervalHierarchy;
  height: number;
}

export function compileIntervals(hierarchy: IntervalHierarchy, field: string): CompiledIntervals {
  requireNumber(`${field}.min`, hierarchy.min);
  requireNumber(`${field}.max`, hierarchy.max, { min: hierarchy.min });
  requireNumber(`${field}.origin`, hierarchy.origin);
  if (!Array.isArray(hierarchy.widths)) {
    throw new InputError(`${field}.widths`, "an array of increasing interval widths (empty: value → *)", hierarchy.widths);
  }
  hierarchy.widths.forEach((w, i) => {
    requireNumber(`${field}.widths[${i}]`, w, { min: 0, minExclusive: true });
    if (i > 0) {
      const ratio = w / hierarchy.widths[i - 1];
      if (!(ratio > 1 && Math.abs(ratio - Math.round(ratio)) < 1e-9)) {
        throw new InputError(`${field}.widths[${i}]`, `a multiple (> 1) of ${hierarchy.widths[i - 1]}, so the intervals nest`, w);
      }
    }
  });
  return { kind: "intervals", source: hierarchy, height: hierarchy.widths.length + 1 };
}

/** The interval (or "*") a number falls in at a level ≥ 1. */
export function intervalCell(h: IntervalHierarchy, level: number, value: number): GeneralisedCell {
  if (level === 0) return { kind: "value", value };
  if (level > h.widths.length) return { kind: "any" };
  const w = h.widths[level - 1];
  const j = Math.floor((value - h.origin) / w + 1e-9);
  const low = h.origin + j * w;
  return { kind: "interval", low, high: low + w, highInclusive: false };
}

export function requireCovered(h: IntervalHierarchy, value: number, field: string): void {
  if (!(value >= h.min && value <= h.max)) {
    throw new InputError(field, `a value the hierarchy covers, in [${h.min}, ${h.max}]`, value);
  }
}

export interface CompiledTree {
  kind: "tree";
  source: TreeHierarchy;
  /** Levels above the leaves (a row's length − 1). */
  height: number;
  labels: string[];
  /** 0 at the root. */
  depth: number[];
  parent: number[];
  children: number[][];
  /** Position of each node among its parent's children. */
  childIndex: Int32Array;
  /** Leaves are numbered depth-first, so every node covers a contiguous range of them. */
  leafStart: number[];
  leafEnd: number[];
  /** Node id of each leaf, in depth-first order. */
  leafNodes: number[];
  leafIndex: Map<string, number>;
  /** The shallowest node carrying each label. */
  nodeByLabel: Map<string, number>;
  /** ancestorAtLevel[level][leaf] = node id (level 0 = the leaf, height = the root). */
  ancestorAtLevel: Int32Array[];
}

export function compileTree(hierarchy: TreeHierarchy, field: string): CompiledTree {
  const rows = hierarchy.rows;
  if (!Array.isArray(rows) || rows.length === 0) throw new InputError(`${field}.rows`, "a non-empty array of [leaf, …, top] rows", rows);
  const width = Array.isArray(rows[0]) ? rows[0].length : 0;
  if (width < 2) throw new InputError(`${field}.rows[0]`, "a row [leaf, …, top] of at least 2 labels", rows[0]);
  const top = rows[0][width - 1];
  const labels: string[] = [top];
  const depth: number[] = [0];
  const parent: number[] = [-1];
  const children: number[][] = [[]];
  const byDepthLabel = new Map<string, number>([[`0\u0000${top}`, 0]]);
  const leafIndexByLabel = new Map<string, number>();
  rows.forEach((row, r) => {
    if (!Array.isArray(row) || row.length !== width) {
      throw new InputError(`${field}.rows[${r}]`, `a row of ${width} labels like the first (leaf, …, top)`, row);
    }
    row.forEach((label, j) => {
      if (typeof label !== "string" || label === "") throw new InputError(`${field}.rows[${r}][${j}]`, "a non-empty label", label);
    });
    if (row[width - 1] !== top) throw new InputError(`${field}.rows[${r}]`, `the same top as the first row ("${top}")`, row[width - 1]);
    if (leafIndexByLabel.has(row[0])) throw new InputError(`${field}.rows[${r}]`, `one row per leaf ("${row[0]}" is listed twice)`, row[0]);
    leafIndexByLabel.set(row[0], r);
    let up = 0; // node id of the root
    for (let d = 1; d < width; d++) {
      const label = row[width - 1 - d];
      const key = `${d}\u0000${label}`;
      let id = byDepthLabel.get(key);
      if (id === undefined) {
        id = labels.length;
        labels.push(label);
        depth.push(d);
        parent.push(up);
        children.push([]);
        children[up].push(id);
        byDepthLabel.set(key, id);
      } else if (parent[id] !== up) {
        throw new InputError(
          `${field}.rows[${r}]`,
          `a tree: "${label}" has one parent ("${labels[parent[id]]}", not "${labels[up]}")`,
          row,
        );
      }
      up = id;
    }
  });

  // A label may repeat only down a chain of single children ("x" → "x"), where it means the same values.
  const nodeByLabel = new Map<string, number>();
  labels.forEach((label, id) => {
    const known = nodeByLabel.get(label);
    if (known === undefined) {
      nodeByLabel.set(label, id);
      return;
    }
    const [shallow, deep] = depth[known] <= depth[id] ? [known, id] : [id, known];
    let walk = deep;
    while (walk !== shallow && walk !== -1 && children[parent[walk]].length === 1) walk = parent[walk];
    if (walk !== shallow) {
      throw new InputError(`${field}`, `labels that name one node each ("${label}" appears in two places)`, label);
    }
    nodeByLabel.set(label, shallow);
  });

  const leafStart = new Array<number>(labels.length).fill(0);
  const leafEnd = new Array<number>(labels.length).fill(0);
  const leafNodes: number[] = [];
  const visit = (id: number) => {
    leafStart[id] = leafNodes.length;
    if (children[id].length === 0) leafNodes.push(id);
    for (const child of children[id]) visit(child);
    leafEnd[id] = leafNodes.length;
  };
  visit(0);
  const height = width - 1;
  const leafIndex = new Map<string, number>();
  leafNodes.forEach((id, i) => leafIndex.set(labels[id], i));
  const ancestorAtLevel: Int32Array[] = [];
  for (let level = 0; level <= height; level++) {
    const at = new Int32Array(leafNodes.length);
    leafNodes.forEach((leaf, i) => {
      let node = leaf;
      for (let k = 0; k < level; k++) node = parent[node];
      at[i] = node;
    });
    ancestorAtLevel.push(at);
  }
  const childIndex = new Int32Array(labels.length);
  children.forEach((list) => list.forEach((child, position) => (childIndex[child] = position)));
  return { kind: "tree", source: hierarchy, height, labels, depth, parent, children, childIndex, leafStart, leafEnd, leafNodes, leafIndex, nodeByLabel, ancestorAtLevel };
}

/** The cell of a node: the leaf value, an inner node, or "*" for the root. */
export function nodeCell(tree: CompiledTree, node: number): GeneralisedCell {
  if (tree.children[node].length === 0) return { kind: "value", value: tree.labels[node] };
  if (node === 0) return { kind: "any" };
  return { kind: "node", label: tree.labels[node], leaves: tree.leafEnd[node] - tree.leafStart[node] };
}

/** The lowest node covering the depth-first leaf range [low, high] (inclusive). */
export function lowestCommonAncestor(tree: CompiledTree, lowLeaf: number, highLeaf: number): number {
  let node = tree.leafNodes[lowLeaf];
  while (tree.leafEnd[node] <= highLeaf) node = tree.parent[node];
  return node;
}

/** Leaf index of a value; a value the tree does not list is an InputError. */
export function leafOf(tree: CompiledTree, value: Cell, field: string): number {
  const leaf = tree.leafIndex.get(String(value));
  if (leaf === undefined) {
    const sample = [...tree.leafIndex.keys()].slice(0, 6).join(", ");
    throw new InputError(field, `a value its hierarchy lists as a leaf (${sample}${tree.leafIndex.size > 6 ? ", …" : ""})`, value);
  }
  return leaf;
}

/**
 * Does a released cell cover an original value? Numbers match equal numbers and intervals
 * that contain them; "*" matches anything; a hierarchy node matches the leaves under it.
 * The attacker of a linkage attack matches exactly this way.
 */
export function coverMatcher(label: Cell, tree?: CompiledTree): (value: Cell) => boolean {
  if (label === ANY_LABEL) return () => true;
  const text = String(label);
  if (tree) {
    const node = tree.nodeByLabel.get(text);
    if (node !== undefined && tree.children[node].length > 0) {
      const start = tree.leafStart[node];
      const end = tree.leafEnd[node];
      return (value) => {
        const leaf = tree.leafIndex.get(String(value));
        return leaf !== undefined && leaf >= start && leaf < end;
      };
    }
  }
  const interval = /^\[/.test(text) ? parseInterval(text) : null;
  if (interval) {
    return (value) =>
      typeof value === "number" && value >= interval.low && (interval.highInclusive ? value <= interval.high : value < interval.high);
  }
  return (value) => String(value) === text;
}

function parseInterval(text: string): { low: number; high: number; highInclusive: boolean } | null {
  const match = /^\[\s*(-?[\d.eE+-]+)\s*,\s*(-?[\d.eE+-]+)\s*([\])])$/.exec(text);
  if (!match) return null;
  return { low: Number(match[1]), high: Number(match[2]), highInclusive: match[3] === "]" };
}
