/**
 * The linkage attack (Sweeney 2002: the Governor of Massachusetts re-identified in "anonymous"
 * hospital data by joining it with a voter list on ZIP code, birth date and sex). The attacker
 * holds a public table with names and quasi-identifiers and, for each person in it, looks for
 * released rows whose quasi-identifier cells cover that person's values. One candidate: the
 * person is re-identified and the row's sensitive value is theirs. Several candidates that all
 * share one sensitive value: the value leaks anyway (the homogeneity attack that
 * l-diversity prevents; Machanavajjhala et al. 2007).
 */
import { InputError } from "../validation/errors";
import { equivalenceClasses } from "./classes";
import { compileTree, coverMatcher, type Hierarchy } from "./hierarchy";
import { columnValues, rowCount, type Cell, type Table } from "./table";

export interface LinkageOptions {
  /** The released table. */
  released: Table;
  /** The attacker's table: quasi-identifiers (and names) of known people. */
  register: Table;
  /** Columns present in both. */
  quasi: readonly string[];
  /** A released column the attacker wants to learn. */
  sensitive?: string;
  /** Tree hierarchies, to read generalised categories ("city" covers every city). */
  hierarchies?: Readonly<Record<string, Hierarchy>>;
  /** A register column to name people by in the report (e.g. "name"). */
  nameColumn?: string;
  /**
   * Ground truth for scoring (the attacker never sees it): the source row of each released
   * row, and of each register person (null: not in the data).
   */
  truth?: { releasedSource: ArrayLike<number>; registerSource: ArrayLike<number | null> };
}

export interface LinkageAttempt {
  registerRow: number;
  name?: Cell;
  /** Released rows compatible with the person's quasi-identifiers. */
  candidates: number;
  /** The released row when there is exactly one candidate. */
  reidentifiedRow: number | null;
  /** With truth: is the single candidate really this person? */
  correct: boolean | null;
  /** The sensitive value all candidates share, if they share one. */
  learnedSensitive: Cell | null;
}

export interface LinkageSummary {
  registerPeople: number;
  /** With truth: register people whose row is in the release. */
  inRelease: number | null;
  /** People with at least one candidate. */
  matched: number;
  /** People with exactly one candidate. */
  uniquelyMatched: number;
  /** With truth: uniquely matched to their own row — re-identified. */
  reidentified: number | null;
  /** With truth: uniquely matched to someone else's row. */
  wronglyMatched: number | null;
  /** People whose candidates all share one sensitive value. */
  sensitiveLearned: number | null;
  /** With truth: ...and that value is theirs. */
  sensitiveLearnedCorrectly: number | null;
  /** Mean number of candidates over matched people. */
  meanCandidates: number;
}

export function linkageAttack(options: LinkageOptions): {
  output: { attempts: LinkageAttempt[]; summary: LinkageSummary };
  trace: { quasi: string[]; releasedRows: number; releasedClasses: number; registerRows: number; rule: string; source: string };
} {
  const releasedRows = rowCount(options.released);
  const registerRows = rowCount(options.register);
  const { output: classes } = equivalenceClasses(options.released, options.quasi);
  const registerColumns = options.quasi.map((q) => columnValues(options.register, q, "register column"));
  const trees = options.quasi.map((q) => {
    const h = options.hierarchies?.[q];
    return h?.kind === "tree" ? compileTree(h, `hierarchies.${q}`) : undefined;
  });
  const sensitive = options.sensitive === undefined ? undefined : columnValues(options.released, options.sensitive, "sensitive");
  const names = options.nameColumn === undefined ? undefined : columnValues(options.register, options.nameColumn, "nameColumn");
  const truth = options.truth;
  if (truth) {
    if (truth.releasedSource.length !== releasedRows) {
      throw new InputError("truth.releasedSource", `${releasedRows} source rows (one per released row)`, truth.releasedSource.length);
    }
    if (truth.registerSource.length !== registerRows) {
      throw new InputError("truth.registerSource", `${registerRows} entries (one per register row)`, truth.registerSource.length);
    }
  }
  const releasedRowOfSource = new Map<number, number>();
  if (truth) for (let j = 0; j < releasedRows; j++) releasedRowOfSource.set(truth.releasedSource[j], j);

  const matchers = classes.classes.map((cls) => cls.key.map((label, d) => coverMatcher(label, trees[d])));
  const sharedSensitive = classes.classes.map((cls) => {
    if (!sensitive) return null;
    const first = String(sensitive[cls.rows[0]]);
    return cls.rows.every((r) => String(sensitive[r]) === first) ? sensitive[cls.rows[0]] : null;
  });

  const attempts: LinkageAttempt[] = [];
  for (let p = 0; p < registerRows; p++) {
    let candidates = 0;
    const hitClasses: number[] = [];
    for (let c = 0; c < matchers.length; c++) {
      let all = true;
      for (let d = 0; d < matchers[c].length && all; d++) all = matchers[c][d](registerColumns[d][p]);
      if (all) {
        candidates += classes.classes[c].size;
        hitClasses.push(c);
      }
    }
    const reidentifiedRow = candidates === 1 ? classes.classes[hitClasses[0]].rows[0] : null;
    let learnedSensitive: Cell | null = null;
    if (sensitive && hitClasses.length > 0) {
      const values = hitClasses.map((c) => sharedSensitive[c]);
      if (values.every((v) => v !== null && String(v) === String(values[0]))) learnedSensitive = values[0];
    }
    let correct: boolean | null = null;
    if (truth && reidentifiedRow !== null) correct = truth.releasedSource[reidentifiedRow] === truth.registerSource[p];
    attempts.push({
      registerRow: p,
      ...(names ? { name: names[p] } : {}),
      candidates,
      reidentifiedRow,
      correct,
      learnedSensitive,
    });
  }

  const matched = attempts.filter((a) => a.candidates > 0);
  const learnedCorrectly = (a: LinkageAttempt): boolean => {
    if (!truth || !sensitive || a.learnedSensitive === null) return false;
    const source = truth.registerSource[a.registerRow];
    const row = source === null ? undefined : releasedRowOfSource.get(source);
    return row !== undefined && String(sensitive[row]) === String(a.learnedSensitive);
  };
  const summary: LinkageSummary = {
    registerPeople: registerRows,
    inRelease: truth
      ? Array.from(truth.registerSource).filter((s) => s !== null && releasedRowOfSource.has(s)).length
      : null,
    matched: matched.length,
    uniquelyMatched: attempts.filter((a) => a.candidates === 1).length,
    reidentified: truth ? attempts.filter((a) => a.correct === true).length : null,
    wronglyMatched: truth ? attempts.filter((a) => a.correct === false).length : null,
    sensitiveLearned: sensitive ? attempts.filter((a) => a.learnedSensitive !== null).length : null,
    sensitiveLearnedCorrectly: truth && sensitive ? attempts.filter(learnedCorrectly).length : null,
    meanCandidates: matched.length > 0 ? matched.reduce((s, a) => s + a.candidates, 0) / matched.length : 0,
  };
  return {
    output: { attempts, summary },
    trace: {
      quasi: [...options.quasi],
      releasedRows,
      releasedClasses: classes.classes.length,
      registerRows,
      rule: "a released row is a candidate for a person when each of its quasi-identifier cells covers the person's value (equal, inside the interval, under the hierarchy node, or *)",
      source: "Sweeney 2002; Machanavajjhala et al. 2007 (homogeneity attack)",
    },
  };
}
