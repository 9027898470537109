/**
 * Full-domain generalisation (Samarati 2001; LeFevre, DeWitt, Ramakrishnan 2005 "Incognito";
 * Kohlmayer et al. 2012 "Flash" and El Emam et al. 2009 "OLA", the searches inside ARX):
 * every value of a quasi-identifier is generalised to the same level of its hierarchy, so a
 * solution is a node of the lattice of level vectors, e.g. (age: 10-year bands, town: category).
 * Classes still smaller than k — or not l-diverse / t-close — are suppressed (removed), up to
 * a limit on the suppressed share. Among the nodes that satisfy the model within the limit
 * the search returns the one with the least information loss (generalisation intensity, NCP).
 *
 * The search is exact branch-and-bound. A node's loss without suppression, Σ per-column
 * intensities, is known before evaluating it and is a lower bound of its loss with
 * suppression (a suppressed cell costs 1, the most any cell can). Nodes are visited in order
 * of that bound and the search stops once the bound reaches the best loss found. Monotonicity
 * prunes too (LeFevre et al. 2005): if a node breaks k-anonymity within the suppression limit,
 * so does every more specific node below it.
 */
import { InputError, requireNumber } from "../validation/errors";
import { encodeQuasi, type EncodedDimension, type EncodedQuasi } from "./encode";
import type { GeneralisedCell } from "./generalisedCell";
import { intervalCell, nodeCell, type Hierarchy, type IntervalHierarchy } from "./hierarchy";
import type { Partitioning } from "./mondrian";
import {
  FAILS_L,
  FAILS_T,
  classVerdict,
  describeRequirements,
  needsSensitiveCounts,
  resolveRequirements,
  type PrivacyRequirementsInput,
  type Requirements,
} from "./requirements";
import type { Table } from "./table";

export interface FullDomainOptions extends PrivacyRequirementsInput {
  quasi: readonly string[];
  sensitive?: readonly string[];
  /** Per quasi-identifier; default intervals (numbers) or value → "*" (text). */
  hierarchies?: Readonly<Record<string, Hierarchy>>;
  /** Largest share of rows that may be suppressed, in [0, 1). Default 0. */
  maxSuppression?: number;
}

export interface LatticeNodeReport {
  levels: number[];
  /** Lower bound (loss before suppression). */
  bound: number;
  suppressed: number;
  loss: number;
  satisfies: boolean;
}

export interface FullDomainTrace {
  algorithm: "full-domain";
  requirements: string;
  rows: number;
  lattice: {
    dimensions: Array<{ column: string; height: number; levels: string[]; hierarchy: "given" | "automatic" }>;
    nodes: number;
    evaluated: number;
    prunedByMonotonicity: number;
    prunedByBound: number;
  };
  chosen: { levels: Record<string, { level: number; of: number; meaning: string }>; loss: number };
  classes: { count: number; smallest: number; largest: number; mean: number };
  suppressed: { rows: number; limit: number; becauseOfK: number; becauseOfL: number; becauseOfT: number; why: string };
  /** Every evaluated node, in the order visited (at most the first 200). */
  evaluatedNodes: LatticeNodeReport[];
  source: string;
}

export function fullDomainGeneralisation(table: Table, options: FullDomainOptions): { output: Partitioning; trace: FullDomainTrace } {
  const req = resolveRequirements(table, options.sensitive ?? [], options);
  const maxSuppression = requireNumber("maxSuppression", options.maxSuppression ?? 0, { min: 0, max: 1, maxExclusive: true });
  const encoded = encodeQuasi(table, options.quasi, options.hierarchies, { intervals: "auto" });
  return fullDomainEncoded(encoded, req, maxSuppression);
}

interface LevelGroups {
  /** Group of each base code (distinct value or leaf). */
  groupOfBase: Int32Array;
  groups: number;
  cells: GeneralisedCell[];
  widths: Float64Array;
  /** Σ over rows of the group's width. */
  intensitySum: number;
}

interface Dimension {
  name: string;
  base: Int32Array;
  levels: LevelGroups[];
  meanings: string[];
  hierarchy: "given" | "automatic";
}

const DENSE_LIMIT = 1 << 22;

export function fullDomainEncoded(
  encoded: EncodedQuasi,
  req: Requirements,
  maxSuppression: number,
): { output: Partitioning; trace: FullDomainTrace } {
  const { n } = encoded;
  const dims = encoded.dims.map(buildDimension);
  const D = dims.length;
  const limit = Math.floor(maxSuppression * n + 1e-9);
  const heights = dims.map((d) => d.levels.length - 1);

  // All nodes, by lower bound then by total level (more specific first on ties).
  const nodes: number[][] = [];
  const walk = (prefix: number[]) => {
    if (prefix.length === D) nodes.push(prefix);
    else for (let l = 0; l <= heights[prefix.length]; l++) walk([...prefix, l]);
  };
  walk([]);
  const boundOf = (levels: number[]) => levels.reduce((s, l, d) => s + dims[d].levels[l].intensitySum, 0) / (n * D);
  const bounds = new Map(nodes.map((node) => [node.join(","), boundOf(node)]));
  nodes.sort((a, b) => {
    const diff = (bounds.get(a.join(",")) as number) - (bounds.get(b.join(",")) as number);
    return diff !== 0 ? diff : a.reduce((s, x) => s + x, 0) - b.reduce((s, x) => s + x, 0);
  });

  const evaluator = new NodeEvaluator(dims, n, req);
  const failedK: number[][] = [];
  const reports: LatticeNodeReport[] = [];
  let best: { levels: number[]; loss: number; evaluation: NodeEvaluation } | null = null;
  let evaluated = 0;
  let prunedByMonotonicity = 0;
  let prunedByBound = 0;
  for (let index = 0; index < nodes.length; index++) {
    const levels = nodes[index];
    const bound = bounds.get(levels.join(",")) as number;
    if (best && bound >= best.loss - 1e-12) {
      prunedByBound = nodes.length - index;
      break;
    }
    if (failedK.some((f) => levels.every((l, d) => l <= f[d]))) {
      prunedByMonotonicity++;
      continue;
    }
    const evaluation = evaluator.evaluate(levels);
    evaluated++;
    const suppressed = evaluation.suppressedK + evaluation.suppressedL + evaluation.suppressedT;
    const satisfies = suppressed <= limit;
    if (evaluation.suppressedK > limit) failedK.push(levels);
    if (reports.length < 200) reports.push({ levels, bound, suppressed, loss: evaluation.loss, satisfies });
    if (satisfies && (!best || evaluation.loss < best.loss)) best = { levels, loss: evaluation.loss, evaluation };
  }
  if (!best) {
    // Unreachable: the top node (everything "*") is one class of all n ≥ k rows, and
    // resolveRequirements has checked that the whole table is l-diverse (t is 0 there).
    throw new InputError("requirements", "requirements the fully generalised table meets", describeRequirements(req));
  }

  const { evaluation } = best;
  const classOf = new Int32Array(n).fill(-1);
  const keptClass = new Int32Array(evaluation.classes).fill(-1);
  const classes: Partitioning["classes"] = [];
  for (let c = 0; c < evaluation.classes; c++) {
    if (evaluation.verdict[c] !== 0) continue;
    keptClass[c] = classes.length;
    const row = evaluation.representative[c];
    classes.push({
      size: evaluation.sizes[c],
      cells: dims.map((dim, d) => dim.levels[best!.levels[d]].cells[dim.levels[best!.levels[d]].groupOfBase[dim.base[row]]]),
    });
  }
  for (let i = 0; i < n; i++) classOf[i] = keptClass[evaluation.classOf[i]];
  const suppressedRows = evaluation.suppressedK + evaluation.suppressedL + evaluation.suppressedT;
  let smallest = Infinity;
  let largest = 0;
  for (const c of classes) {
    smallest = Math.min(smallest, c.size);
    largest = Math.max(largest, c.size);
  }
  const chosen: FullDomainTrace["chosen"]["levels"] = {};
  dims.forEach((dim, d) => {
    chosen[dim.name] = { level: best!.levels[d], of: heights[d], meaning: dim.meanings[best!.levels[d]] };
  });
  return {
    output: { classOf, classes, suppressed: suppressedRows },
    trace: {
      algorithm: "full-domain",
      requirements: describeRequirements(req),
      rows: n,
      lattice: {
        dimensions: dims.map((dim, d) => ({ column: dim.name, height: heights[d], levels: dim.meanings, hierarchy: dim.hierarchy })),
        nodes: nodes.length,
        evaluated,
        prunedByMonotonicity,
        prunedByBound,
      },
      chosen: { levels: chosen, loss: best.loss },
      classes: { count: classes.length, smallest, largest, mean: (n - suppressedRows) / classes.length },
      suppressed: {
        rows: suppressedRows,
        limit,
        becauseOfK: evaluation.suppressedK,
        becauseOfL: evaluation.suppressedL,
        becauseOfT: evaluation.suppressedT,
        why:
          suppressedRows === 0
            ? "no row needed suppressing at the chosen levels"
            : `rows of classes that stay smaller than k${req.l ? " or not l-diverse" : ""}${req.t !== null ? " or not t-close" : ""} at the chosen levels are removed (at most ${limit} = ${maxSuppression} × ${n} allowed)`,
      },
      evaluatedNodes: reports,
      source: "Samarati 2001; LeFevre et al. 2005 (Incognito); as in ARX (Kohlmayer et al. 2012)",
    },
  };
}

function buildDimension(dim: EncodedDimension): Dimension {
  if (dim.kind === "categorical") {
    const tree = dim.tree;
    const leafCount = tree.leafNodes.length;
    const perLeaf = new Float64Array(leafCount);
    for (let i = 0; i < dim.leaves.length; i++) perLeaf[dim.leaves[i]]++;
    const levels: LevelGroups[] = [];
    const meanings: string[] = [];
    for (let level = 0; level <= tree.height; level++) {
      const ancestor = tree.ancestorAtLevel[level];
      const groupOfNode = new Map<number, number>();
      const groupOfBase = new Int32Array(leafCount);
      const cells: GeneralisedCell[] = [];
      const widths: number[] = [];
      let intensitySum = 0;
      for (let leaf = 0; leaf < leafCount; leaf++) {
        const node = ancestor[leaf];
        let g = groupOfNode.get(node);
        if (g === undefined) {
          g = cells.length;
          groupOfNode.set(node, g);
          cells.push(nodeCell(tree, node));
          widths.push(leafCount > 1 ? (tree.leafEnd[node] - tree.leafStart[node] - 1) / (leafCount - 1) : 0);
        }
        groupOfBase[leaf] = g;
        intensitySum += perLeaf[leaf] * widths[g];
      }
      levels.push({ groupOfBase, groups: cells.length, cells, widths: Float64Array.from(widths), intensitySum });
      meanings.push(
        level === 0
          ? "value"
          : level === tree.height
            ? "*"
            : `${level} step${level > 1 ? "s" : ""} up the hierarchy (e.g. "${tree.labels[ancestor[0]]}")`,
      );
    }
    return { name: dim.name, base: dim.leaves, levels, meanings, hierarchy: dim.hierarchySource };
  }
  const hierarchy = dim.intervals as IntervalHierarchy;
  const distinct = Float64Array.from(new Set(dim.values)).sort();
  const index = new Map<number, number>();
  distinct.forEach((v, i) => index.set(v, i));
  const base = new Int32Array(dim.values.length);
  const perValue = new Float64Array(distinct.length);
  for (let i = 0; i < base.length; i++) {
    base[i] = index.get(dim.values[i]) as number;
    perValue[base[i]]++;
  }
  const range = dim.max - dim.min;
  const widthOf = (cell: GeneralisedCell): number => {
    if (cell.kind === "any") return 1;
    if (cell.kind !== "interval" || range === 0) return 0;
    return Math.max(0, Math.min(cell.high, dim.max) - Math.max(cell.low, dim.min)) / range;
  };
  const levels: LevelGroups[] = [];
  const meanings: string[] = ["value"];
  for (let level = 0; level <= hierarchy.widths.length + 1; level++) {
    const groupOfBase = new Int32Array(distinct.length);
    const cells: GeneralisedCell[] = [];
    const widths: number[] = [];
    const byLabel = new Map<string, number>();
    let intensitySum = 0;
    distinct.forEach((value, v) => {
      const cell = intervalCell(hierarchy, level, value);
      const key = cell.kind === "interval" ? String(cell.low) : cell.kind === "value" ? String(value) : "*";
      let g = byLabel.get(key);
      if (g === undefined) {
        g = cells.length;
        byLabel.set(key, g);
        cells.push(cell);
        widths.push(widthOf(cell));
      }
      groupOfBase[v] = g;
      intensitySum += perValue[v] * widths[g];
    });
    levels.push({ groupOfBase, groups: cells.length, cells, widths: Float64Array.from(widths), intensitySum });
    if (level > 0) meanings.push(level <= hierarchy.widths.length ? `intervals of ${hierarchy.widths[level - 1]}` : "*");
  }
  return { name: dim.name, base, levels, meanings, hierarchy: dim.hierarchySource === "given" ? "given" : "automatic" };
}

interface NodeEvaluation {
  classOf: Int32Array;
  classes: number;
  sizes: Int32Array;
  representative: Int32Array;
  /** 0 kept, 1 too small, 2 not l-diverse, 3 not t-close. */
  verdict: Uint8Array;
  suppressedK: number;
  suppressedL: number;
  suppressedT: number;
  loss: number;
}

/** Evaluates lattice nodes with reusable buffers: class ids by iterated dense re-numbering. */
class NodeEvaluator {
  private readonly ids: Int32Array;
  /** Grown on demand (filled with −1), up to DENSE_LIMIT entries. */
  private dense = new Int32Array(0);
  constructor(
    private readonly dims: Dimension[],
    private readonly n: number,
    private readonly req: Requirements,
  ) {
    this.ids = new Int32Array(n);
  }

  private hashKeys = new Float64Array(0);
  private hashIds = new Int32Array(0);

  /**
   * ids[i] ← dense number of (ids[i], group) when the pair space is too big for a flat table:
   * open addressing with linear probing in typed arrays (several times faster than a Map).
   */
  private renumberHashed(ids: Int32Array, g: number, groupOfBase: Int32Array, base: Int32Array): number {
    const n = this.n;
    let capacity = 2;
    let bits = 1;
    while (capacity < 2 * n) {
      capacity *= 2;
      bits++;
    }
    const shift = 32 - bits;
    if (this.hashKeys.length !== capacity) {
      this.hashKeys = new Float64Array(capacity);
      this.hashIds = new Int32Array(capacity);
    }
    const keys = this.hashKeys.fill(-1);
    const values = this.hashIds;
    const mask = capacity - 1;
    let next = 0;
    for (let i = 0; i < n; i++) {
      const key = ids[i] * g + groupOfBase[base[i]];
      const high = Math.floor(key / 4294967296);
      // Fibonacci hashing: the top bits of key × 2³²/φ.
      let slot = Math.imul(((key - high * 4294967296) | 0) ^ Math.imul(high, 0x85ebca77), 0x9e3779b1) >>> shift;
      for (;;) {
        const found = keys[slot];
        if (found === key) {
          ids[i] = values[slot];
          break;
        }
        if (found === -1) {
          keys[slot] = key;
          values[slot] = next;
          ids[i] = next++;
          break;
        }
        slot = (slot + 1) & mask;
      }
    }
    return next;
  }

  evaluate(levels: number[]): NodeEvaluation {
    const { dims, n, req } = this;
    const ids = this.ids;
    const first = dims[0].levels[levels[0]];
    const base0 = dims[0].base;
    for (let i = 0; i < n; i++) ids[i] = first.groupOfBase[base0[i]];
    let cardinality = first.groups;
    for (let d = 1; d < dims.length; d++) {
      const level = dims[d].levels[levels[d]];
      const base = dims[d].base;
      const groupOfBase = level.groupOfBase;
      const g = level.groups;
      let next = 0;
      if (cardinality * g <= DENSE_LIMIT) {
        if (this.dense.length < cardinality * g) {
          this.dense = new Int32Array(Math.min(DENSE_LIMIT, Math.max(cardinality * g, 2 * this.dense.length))).fill(-1);
        }
        const dense = this.dense;
        for (let i = 0; i < n; i++) {
          const key = ids[i] * g + groupOfBase[base[i]];
          let id = dense[key];
          if (id < 0) {
            id = next++;
            dense[key] = id;
          }
          ids[i] = id;
        }
        dense.fill(-1, 0, cardinality * g);
      } else {
        next = this.renumberHashed(ids, g, groupOfBase, base);
      }
      cardinality = next;
    }
    const classes = cardinality;
    const sizes = new Int32Array(classes);
    const representative = new Int32Array(classes).fill(-1);
    for (let i = 0; i < n; i++) {
      const c = ids[i];
      if (sizes[c]++ === 0) representative[c] = i;
    }
    const verdict = new Uint8Array(classes);
    let suppressedK = 0;
    for (let c = 0; c < classes; c++) {
      if (sizes[c] < req.k) {
        verdict[c] = 1;
        suppressedK += sizes[c];
      }
    }
    let suppressedL = 0;
    let suppressedT = 0;
    if (needsSensitiveCounts(req)) {
      // Rows grouped by class (counting sort), then one pass per class with reused count arrays.
      const offsets = new Int32Array(classes + 1);
      for (let c = 0; c < classes; c++) offsets[c + 1] = offsets[c] + sizes[c];
      const cursor = offsets.slice(0, classes);
      const rows = new Int32Array(n);
      for (let i = 0; i < n; i++) rows[cursor[ids[i]]++] = i;
      const counts = req.sensitive.map((s) => new Float64Array(s.domain.length));
      for (let c = 0; c < classes; c++) {
        if (verdict[c] !== 0) continue;
        for (let s = 0; s < counts.length; s++) {
          counts[s].fill(0);
          const codes = req.sensitive[s].codes;
          for (let j = offsets[c]; j < offsets[c + 1]; j++) counts[s][codes[rows[j]]]++;
        }
        const v = classVerdict(req, counts);
        if (v === FAILS_L) {
          verdict[c] = 2;
          suppressedL += sizes[c];
        } else if (v === FAILS_T) {
          verdict[c] = 3;
          suppressedT += sizes[c];
        }
      }
    }
    // Loss: Σ cell intensities of kept rows + 1 per suppressed cell, over n·D cells.
    const D = dims.length;
    let loss = 0;
    for (let d = 0; d < D; d++) loss += dims[d].levels[levels[d]].intensitySum;
    for (let c = 0; c < classes; c++) {
      if (verdict[c] === 0) continue;
      const row = representative[c];
      let widths = 0;
      for (let d = 0; d < D; d++) {
        const level = dims[d].levels[levels[d]];
        widths += level.widths[level.groupOfBase[dims[d].base[row]]];
      }
      loss += sizes[c] * (D - widths);
    }
    return {
      classOf: ids.slice(),
      classes,
      sizes,
      representative,
      verdict,
      suppressedK,
      suppressedL,
      suppressedT,
      loss: loss / (n * D),
    };
  }
}
