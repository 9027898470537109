/**
 * Mondrian multidimensional partitioning (LeFevre, DeWitt, Ramakrishnan 2006, "Mondrian
 * Multidimensional K-Anonymity"), strict version: split the table in two at the median of
 * the quasi-identifier with the widest normalised range (numbers on their hierarchy's grid, so
 * a class's interval has rounded bounds rather than its smallest and largest values), and keep splitting each half while
 * both halves keep at least k rows (and, when asked, stay l-diverse and t-close: Machanavajjhala
 * et al. 2007 and Li et al. 2007 both note their models can be checked at each split).
 * Categorical quasi-identifiers split along their hierarchy: a class covering the node
 * "city" splits into one part per child of "city" (every non-empty part needs k rows).
 *
 * Built for a million rows: the rows are an Int32Array of indices permuted in place
 * (three-way quickselect around the median, counting sort for categories), the values are
 * typed arrays, and nothing per row is allocated while splitting.
 */
import { encodeQuasi, type EncodedDimension, type EncodedQuasi } from "./encode";
import type { GeneralisedCell } from "./generalisedCell";
import { gridIndex, gridInterval, lowestCommonAncestor, nodeCell, type Hierarchy } from "./hierarchy";
import {
  FAILS_L,
  FAILS_T,
  PASSES,
  classVerdict,
  describeRequirements,
  needsSensitiveCounts,
  resolveRequirements,
  type PrivacyRequirementsInput,
  type Requirements,
} from "./requirements";
import type { Table } from "./table";

export interface Partitioning {
  /** Class of every input row; -1 for a suppressed row. */
  classOf: Int32Array;
  classes: Array<{ size: number; cells: GeneralisedCell[] }>;
  /** Input rows removed from the release (never by Mondrian: every part has ≥ k rows). */
  suppressed: number;
}

export interface MondrianOptions extends PrivacyRequirementsInput {
  quasi: readonly string[];
  sensitive?: readonly string[];
  /** Tree hierarchies for categorical quasi-identifiers (default: value → "*"). */
  hierarchies?: Readonly<Record<string, Hierarchy>>;
}

export interface MondrianTrace {
  algorithm: "mondrian";
  variant: "strict, median split, widest normalised dimension first";
  requirements: string;
  rows: number;
  classes: { count: number; smallest: number; largest: number; mean: number };
  /** Cuts made on each quasi-identifier. */
  splitsPerDimension: Record<string, number>;
  /** Why partitions stopped splitting. */
  stopped: {
    /** Fewer than 2k rows: no cut can leave k on both sides. */
    tooSmallToSplit: number;
    /** Every quasi-identifier is constant in the partition. */
    nothingToSplit: number;
    /** Some cut existed but every one left a side with fewer than k rows. */
    blockedByK: number;
    blockedByL: number;
    blockedByT: number;
  };
  suppressed: { rows: 0; why: string };
  source: string;
}

export function mondrian(table: Table, options: MondrianOptions): { output: Partitioning; trace: MondrianTrace } {
  const req = resolveRequirements(table, options.sensitive ?? [], options);
  const encoded = encodeQuasi(table, options.quasi, options.hierarchies);
  return mondrianEncoded(encoded, req);
}

/** Mondrian on already-encoded quasi-identifiers (what the public function and the bench call). */
export function mondrianEncoded(encoded: EncodedQuasi, req: Requirements): { output: Partitioning; trace: MondrianTrace } {
  const n = encoded.n;
  // Numbers are cut along their hierarchy's grid: each value becomes the index of its grid cell.
  const dims = encoded.dims.map((dim): EncodedDimension => (dim.kind === "numeric" ? onGrid(dim) : dim));
  const D = dims.length;
  const k = req.k;
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  const scratch = new Int32Array(n);
  const lows = new Float64Array(D);
  const highs = new Float64Array(D);
  const widths = new Float64Array(D);
  const byWidth = new Int32Array(D);
  const ranges = dims.map((d) => (d.kind === "numeric" ? d.max - d.min : d.tree.leafNodes.length - 1));
  const withCounts = needsSensitiveCounts(req);
  const counter = withCounts ? new SensitiveCounter(req) : null;

  const classStart: number[] = [];
  const classEnd: number[] = [];
  const classCells: GeneralisedCell[][] = [];
  const splitsPerDimension: Record<string, number> = {};
  for (const d of dims) splitsPerDimension[d.name] = 0;
  const stopped = { tooSmallToSplit: 0, nothingToSplit: 0, blockedByK: 0, blockedByL: 0, blockedByT: 0 };

  const stack: number[] = [0, n];
  while (stack.length > 0) {
    const end = stack.pop() as number;
    const start = stack.pop() as number;
    const size = end - start;

    for (let d = 0; d < D; d++) {
      const dim = dims[d];
      let lo = Infinity;
      let hi = -Infinity;
      const values = dim.kind === "numeric" ? dim.values : dim.leaves;
      for (let i = start; i < end; i++) {
        const v = values[order[i]];
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
      lows[d] = lo;
      highs[d] = hi;
      if (dim.kind === "numeric") {
        widths[d] = ranges[d] > 0 ? (hi - lo) / ranges[d] : 0;
      } else {
        const node = lowestCommonAncestor(dim.tree, lo, hi);
        widths[d] = ranges[d] > 0 ? (dim.tree.leafEnd[node] - dim.tree.leafStart[node] - 1) / ranges[d] : 0;
      }
      byWidth[d] = d;
    }

    let split = false;
    let blocked = 0; // the strongest reason a cut was refused: 1 k, 2 l, 3 t
    if (size >= 2 * k) {
      // Widest normalised dimension first (insertion sort: D is small).
      for (let a = 1; a < D; a++) {
        const x = byWidth[a];
        let b = a - 1;
        while (b >= 0 && widths[byWidth[b]] < widths[x]) {
          byWidth[b + 1] = byWidth[b];
          b--;
        }
        byWidth[b + 1] = x;
      }
      for (let r = 0; r < D && !split; r++) {
        const d = byWidth[r];
        if (widths[d] <= 0) break;
        const dim = dims[d];
        const outcome =
          dim.kind === "numeric"
            ? splitNumeric(dim.values, order, start, end, k, counter, stack)
            : splitCategorical(dim, order, scratch, start, end, lows[d], highs[d], k, counter, stack);
        if (outcome === 0) {
          split = true;
          splitsPerDimension[dim.name]++;
        } else blocked = Math.max(blocked, outcome);
      }
    }
    if (split) continue;

    if (size < 2 * k) stopped.tooSmallToSplit++;
    else if (blocked === 0) stopped.nothingToSplit++;
    else if (blocked === 1) stopped.blockedByK++;
    else if (blocked === 2) stopped.blockedByL++;
    else stopped.blockedByT++;
    classStart.push(start);
    classEnd.push(end);
    classCells.push(dims.map((dim, d) => finalCell(dim, lows[d], highs[d])));
  }

  const classOf = new Int32Array(n);
  const classes = classCells.map((cells, c) => {
    for (let i = classStart[c]; i < classEnd[c]; i++) classOf[order[i]] = c;
    return { size: classEnd[c] - classStart[c], cells };
  });
  let smallest = Infinity;
  let largest = 0;
  for (const c of classes) {
    if (c.size < smallest) smallest = c.size;
    if (c.size > largest) largest = c.size;
  }
  return {
    output: { classOf, classes, suppressed: 0 },
    trace: {
      algorithm: "mondrian",
      variant: "strict, median split, widest normalised dimension first",
      requirements: describeRequirements(req),
      rows: n,
      classes: { count: classes.length, smallest, largest, mean: n / classes.length },
      splitsPerDimension,
      stopped,
      suppressed: { rows: 0, why: "Mondrian only cuts where both sides keep k rows, so no row needs suppressing" },
      source: "LeFevre, DeWitt, Ramakrishnan 2006",
    },
  };
}

type NumericDimension = Extract<EncodedDimension, { kind: "numeric" }>;

function onGrid(dim: NumericDimension): NumericDimension {
  const grid = dim.grid;
  const values = new Float64Array(dim.values.length);
  if (grid) for (let i = 0; i < values.length; i++) values[i] = gridIndex(grid, dim.values[i]);
  const min = grid ? gridIndex(grid, dim.min) : 0;
  const max = grid ? gridIndex(grid, dim.max) : 0;
  return { ...dim, values, min, max };
}

/** lo and hi are grid cells for numbers (see onGrid), leaves for categories. */
function finalCell(dim: EncodedDimension, lo: number, hi: number): GeneralisedCell {
  if (dim.kind === "numeric") return dim.grid ? gridInterval(dim.grid, lo, hi) : { kind: "any" };
  return nodeCell(dim.tree, lowestCommonAncestor(dim.tree, lo, hi));
}

/** Sensitive counts of a range of `order`, one count array per sensitive column, reused. */
class SensitiveCounter {
  private readonly counts: Float64Array[];
  constructor(private readonly req: Requirements) {
    this.counts = req.sensitive.map((s) => new Float64Array(s.domain.length));
  }
  /** PASSES, FAILS_L or FAILS_T for the rows order[start..end). */
  verdict(order: Int32Array, start: number, end: number): number {
    for (let s = 0; s < this.counts.length; s++) {
      const counts = this.counts[s];
      counts.fill(0);
      const codes = this.req.sensitive[s].codes;
      for (let i = start; i < end; i++) counts[codes[order[i]]]++;
    }
    return classVerdict(this.req, this.counts);
  }
}

/** 0 when split (children pushed); else 1 (k), 2 (l) or 3 (t): why no cut was allowed. */
function splitNumeric(
  values: Float64Array,
  order: Int32Array,
  start: number,
  end: number,
  k: number,
  counter: SensitiveCounter | null,
  stack: number[],
): number {
  const mid = start + ((end - start) >> 1);
  const [lt, gt] = selectMedian(values, order, start, end, mid);
  // Rows < median are order[start..lt), = median order[lt..gt), > median order[gt..end).
  // Strict partitioning: the median's rows go wholly left or wholly right; try the more balanced first.
  const cuts = Math.abs(2 * gt - start - end) <= Math.abs(2 * lt - start - end) ? [gt, lt] : [lt, gt];
  let blocked = 1;
  for (const cut of cuts) {
    if (cut - start < k || end - cut < k) continue;
    if (counter) {
      const verdict = counter.verdict(order, start, cut) || counter.verdict(order, cut, end);
      if (verdict !== PASSES) {
        blocked = Math.max(blocked, verdict === FAILS_L ? 2 : 3);
        continue;
      }
    }
    stack.push(start, cut, cut, end);
    return 0;
  }
  return blocked;
}

/**
 * Three-way quickselect (Hoare's FIND with a Dijkstra "Dutch flag" partition, so runs of equal
 * values cost nothing extra): afterwards order[start..lt) < m, order[lt..gt) = m and
 * order[gt..end) > m, where m is the value of rank `mid`.
 */
function selectMedian(values: Float64Array, order: Int32Array, start: number, end: number, mid: number): [number, number] {
  let lo = start;
  let hi = end;
  for (;;) {
    if (hi - lo <= 1) return [lo, lo + 1];
    const a = values[order[lo]];
    const b = values[order[(lo + hi) >> 1]];
    const c = values[order[hi - 1]];
    const pivot = a < b ? (b < c ? b : a < c ? c : a) : a < c ? a : b < c ? c : b;
    let lt = lo;
    let gt = hi;
    let i = lo;
    while (i < gt) {
      const v = values[order[i]];
      if (v < pivot) {
        const tmp = order[lt];
        order[lt++] = order[i];
        order[i++] = tmp;
      } else if (v > pivot) {
        const tmp = order[--gt];
        order[gt] = order[i];
        order[i] = tmp;
      } else i++;
    }
    if (mid < lt) hi = lt;
    else if (mid >= gt) lo = gt;
    else return [lt, gt];
  }
}

function splitCategorical(
  dim: Extract<EncodedDimension, { kind: "categorical" }>,
  order: Int32Array,
  scratch: Int32Array,
  start: number,
  end: number,
  lowLeaf: number,
  highLeaf: number,
  k: number,
  counter: SensitiveCounter | null,
  stack: number[],
): number {
  const tree = dim.tree;
  const node = lowestCommonAncestor(tree, lowLeaf, highLeaf);
  const children = tree.children[node];
  const childLevel = tree.height - (tree.depth[node] + 1);
  const ancestor = tree.ancestorAtLevel[childLevel];
  const childIndex = tree.childIndex;
  const counts = new Int32Array(children.length);
  const leaves = dim.leaves;
  for (let i = start; i < end; i++) counts[childIndex[ancestor[leaves[order[i]]]]]++;
  for (let c = 0; c < counts.length; c++) if (counts[c] > 0 && counts[c] < k) return 1;
  // Counting sort of the range by child, through the scratch buffer.
  const offsets = new Int32Array(children.length + 1);
  for (let c = 0; c < counts.length; c++) offsets[c + 1] = offsets[c] + counts[c];
  const cursor = offsets.slice(0, children.length);
  for (let i = start; i < end; i++) {
    const row = order[i];
    scratch[start + cursor[childIndex[ancestor[leaves[row]]]]++] = row;
  }
  order.set(scratch.subarray(start, end), start);
  if (counter) {
    for (let c = 0; c < counts.length; c++) {
      if (counts[c] === 0) continue;
      const verdict = counter.verdict(order, start + offsets[c], start + offsets[c + 1]);
      if (verdict === FAILS_L) return 2;
      if (verdict === FAILS_T) return 3;
    }
  }
  for (let c = 0; c < counts.length; c++) {
    if (counts[c] > 0) stack.push(start + offsets[c], start + offsets[c + 1]);
  }
  return 0;
}
