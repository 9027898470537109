/**
 * Re-identification risk under the three attacker models of El Emam (2010, "Guide to the
 * De-Identification of Personal Health Information"; El Emam & Dankar 2008), computed as ARX
 * computes them (RiskModelSampleSummary). A record in a class of f rows (F in the population)
 * is re-identified with probability 1/f by a prosecutor — who knows the person is in the
 * table — and 1/F by a journalist, who only knows the person is in the population.
 *
 * - prosecutor: highest = 1/min f; average = classes / records (the share an attacker
 *   re-identifies matching every record); at risk = share of records with 1/f > threshold.
 * - journalist: the same with F; average = max(classes / Σ F, Σ (f/F) / records).
 * - marketer: who wants to re-identify as many as possible, not one person: only an average,
 *   Σ (f/F) / records (= classes / records when the table is the population).
 *
 * Without a population table, F = f: journalist risk equals prosecutor risk (its upper bound).
 */
import { InputError, requireNumber } from "../validation/errors";
import { equivalenceClasses } from "./classes";
import { compileTree, coverMatcher, type Hierarchy } from "./hierarchy";
import { columnValues, rowCount, type Table } from "./table";

/**
 * The default threshold for "records at risk": 0.2, i.e. classes smaller than 5 — the value
 * El Emam (2010) cites for data released to the public (0.33 and 0.5 for trusted recipients).
 */
export const DEFAULT_RISK_THRESHOLD = 0.2;

export interface RiskSummary {
  /** The largest probability of re-identification of any record. */
  highest: number;
  /** The share of records re-identified on average ("success rate" in ARX). */
  average: number;
  /** The share of records whose probability is above the threshold. */
  recordsAtRisk: number;
}

export interface ReidentificationRisk {
  threshold: number;
  records: number;
  classes: number;
  prosecutor: RiskSummary;
  journalist: RiskSummary;
  /** Only an average: a marketer does not target one person. */
  marketer: { average: number };
}

export interface RiskTrace {
  quasi: string[];
  population: { kind: "sample"; note: string } | { kind: "given"; rows: number };
  smallestClass: number;
  smallestPopulationClass: number;
  source: string;
}

/** The risks from class sizes in the sample and (optionally) in the population. */
export function riskFromClassSizes(
  sampleSizes: ArrayLike<number>,
  populationSizes: ArrayLike<number> = sampleSizes,
  threshold = DEFAULT_RISK_THRESHOLD,
): ReidentificationRisk {
  requireNumber("threshold", threshold, { min: 0, max: 1 });
  if (populationSizes.length !== sampleSizes.length) {
    throw new InputError("populationSizes", `${sampleSizes.length} class sizes (one per sample class)`, populationSizes.length);
  }
  let records = 0;
  let populationRecords = 0;
  let minSample = Infinity;
  let minPopulation = Infinity;
  let prosecutorAtRisk = 0;
  let journalistAtRisk = 0;
  let sampleOverPopulation = 0;
  for (let j = 0; j < sampleSizes.length; j++) {
    const f = requireNumber(`sampleSizes[${j}]`, sampleSizes[j], { min: 1, integer: true });
    const F = requireNumber(`populationSizes[${j}]`, populationSizes[j], { min: f, integer: true });
    records += f;
    populationRecords += F;
    minSample = Math.min(minSample, f);
    minPopulation = Math.min(minPopulation, F);
    if (1 / f > threshold) prosecutorAtRisk += f;
    if (1 / F > threshold) journalistAtRisk += f;
    sampleOverPopulation += f / F;
  }
  const classes = sampleSizes.length;
  if (classes === 0) throw new InputError("sampleSizes", "at least one class", sampleSizes);
  return {
    threshold,
    records,
    classes,
    prosecutor: { highest: 1 / minSample, average: classes / records, recordsAtRisk: prosecutorAtRisk / records },
    journalist: {
      highest: 1 / minPopulation,
      average: Math.max(classes / populationRecords, sampleOverPopulation / records),
      recordsAtRisk: journalistAtRisk / records,
    },
    marketer: { average: sampleOverPopulation / records },
  };
}

export interface RiskOptions {
  quasi: readonly string[];
  threshold?: number;
  /**
   * The population the table was drawn from (a superset with the same quasi-identifier
   * columns, not generalised). A population row counts for a class when every released cell
   * covers its value: equal, inside the interval, under the hierarchy node, or "*".
   */
  population?: Table;
  /** Tree hierarchies for matching generalised categories (e.g. "city") against the population. */
  hierarchies?: Readonly<Record<string, Hierarchy>>;
}

export function reidentificationRisk(table: Table, options: RiskOptions): { output: ReidentificationRisk; trace: RiskTrace } {
  const threshold = requireNumber("threshold", options.threshold ?? DEFAULT_RISK_THRESHOLD, { min: 0, max: 1 });
  const { output: classes } = equivalenceClasses(table, options.quasi);
  const sample = classes.classes.map((c) => c.size);
  let population = sample;
  if (options.population) {
    const pop = options.population;
    const popRows = rowCount(pop);
    const popColumns = options.quasi.map((q) => columnValues(pop, q, "population column"));
    const trees = options.quasi.map((q) => {
      const h = options.hierarchies?.[q];
      return h?.kind === "tree" ? compileTree(h, `hierarchies.${q}`) : undefined;
    });
    population = classes.classes.map((cls, j) => {
      const matchers = cls.key.map((label, d) => coverMatcher(label, trees[d]));
      let F = 0;
      for (let i = 0; i < popRows; i++) {
        let all = true;
        for (let d = 0; d < matchers.length && all; d++) all = matchers[d](popColumns[d][i]);
        if (all) F++;
      }
      if (F < cls.size) {
        throw new InputError(
          "population",
          `a superset of the table (class ${j + 1} has ${cls.size} rows in the table but ${F} in the population)`,
          `${popRows} rows`,
        );
      }
      return F;
    });
  }
  const output = riskFromClassSizes(sample, population, threshold);
  return {
    output,
    trace: {
      quasi: [...options.quasi],
      population: options.population
        ? { kind: "given", rows: rowCount(options.population) }
        : { kind: "sample", note: "no population given: F = f, so journalist risk equals prosecutor risk (its upper bound)" },
      smallestClass: Math.round(1 / output.prosecutor.highest),
      smallestPopulationClass: Math.round(1 / output.journalist.highest),
      source: "El Emam 2010; El Emam & Dankar 2008; as in ARX's RiskModelSampleSummary",
    },
  };
}
