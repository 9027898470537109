/**
 * l-diversity (Machanavajjhala, Kifer, Gehrke, Venkitasubramaniam 2007): k-anonymity hides
 * who a row belongs to, but if everyone in a class shares one diagnosis the attacker learns
 * it anyway (the homogeneity attack). l-diversity asks each class to have "well-represented"
 * sensitive values, in one of three senses:
 *
 * - distinct: at least l distinct values;
 * - entropy: entropy ≥ ln l (natural log), i.e. exp(entropy) ≥ l;
 * - recursive (c, l): the most frequent value is rarer than c times the l-th and all rarer
 *   ones together: r₁ < c · (r_l + r_{l+1} + … + r_m), counts sorted in decreasing order.
 */
import { requireNumber, requireOneOf } from "../validation/errors";
import { equivalenceClasses } from "./classes";
import { encodeSensitive } from "./encode";
import { modelCheck, type ModelCheck } from "./modelCheck";
import type { Table } from "./table";

export const DIVERSITY_VARIANTS = ["distinct", "entropy", "recursive"] as const;
export type DiversityVariant = (typeof DIVERSITY_VARIANTS)[number];

/**
 * The c of recursive (c, l)-diversity when none is given: 3, the value of the worked examples
 * in Machanavajjhala et al. 2007 and of ARX's examples.
 */
export const DEFAULT_RECURSIVE_C = 3;

/** Relative slack for floating-point comparisons (exp(ln 2) is not always exactly 2). */
const TOLERANCE = 1e-9;

/** Number of distinct values with a non-zero count. */
export function distinctL(counts: ArrayLike<number>): number {
  let distinct = 0;
  for (let i = 0; i < counts.length; i++) if (counts[i] > 0) distinct++;
  return distinct;
}

/** Shannon entropy (natural log) of the distribution the counts describe. */
export function entropy(counts: ArrayLike<number>): number {
  let total = 0;
  for (let i = 0; i < counts.length; i++) total += counts[i];
  let h = 0;
  for (let i = 0; i < counts.length; i++) {
    if (counts[i] > 0) {
      const p = counts[i] / total;
      h -= p * Math.log(p);
    }
  }
  return h;
}

/** exp(entropy): the l a class satisfies entropy l-diversity for (1 when all values agree). */
export function entropyL(counts: ArrayLike<number>): number {
  return Math.exp(entropy(counts));
}

/** The largest l for which the counts satisfy recursive (c, l)-diversity; 0 if none. */
export function recursiveL(counts: ArrayLike<number>, c: number): number {
  const sorted = Array.from(counts).filter((r) => r > 0).sort((a, b) => b - a);
  let tail = sorted.reduce((s, r) => s + r, 0); // r_l + … + r_m, starting at l = 1
  let best = 0;
  for (let l = 1; l <= sorted.length; l++) {
    if (sorted[0] < c * tail) best = l;
    else break;
    tail -= sorted[l - 1];
  }
  return best;
}

/** The l a class achieves in the given sense. */
export function diversityOf(counts: ArrayLike<number>, variant: DiversityVariant, c = DEFAULT_RECURSIVE_C): number {
  switch (variant) {
    case "distinct":
      return distinctL(counts);
    case "entropy":
      return entropyL(counts);
    case "recursive":
      return recursiveL(counts, c);
  }
}

export function meetsDiversity(value: number, l: number): boolean {
  return value >= l * (1 - TOLERANCE);
}

export interface LDiversityOptions {
  quasi: readonly string[];
  sensitive: string;
  l: number;
  variant?: DiversityVariant;
  /** For the recursive variant; default DEFAULT_RECURSIVE_C. */
  c?: number;
}

export function checkLDiversity(table: Table, options: LDiversityOptions): ModelCheck {
  const variant = requireOneOf("variant", options.variant ?? "distinct", DIVERSITY_VARIANTS);
  const l = requireNumber("l", options.l, { min: 1 });
  const c = requireNumber("c", options.c ?? DEFAULT_RECURSIVE_C, { min: 1 });
  const { output: classes } = equivalenceClasses(table, options.quasi);
  const sensitive = encodeSensitive(table, options.sensitive);
  const values = classes.classes.map((cls) => {
    const counts = new Float64Array(sensitive.domain.length);
    for (const row of cls.rows) counts[sensitive.codes[row]]++;
    return diversityOf(counts, variant, c);
  });
  const definitions: Record<DiversityVariant, string> = {
    distinct: "every class has at least l distinct sensitive values",
    entropy: "every class's sensitive values have entropy ≥ ln l (natural log)",
    recursive: `in every class r₁ < c·(r_l + … + r_m) with c = ${c} (counts sorted in decreasing order)`,
  };
  return modelCheck(classes, values, (v) => meetsDiversity(v, l), (a, b) => a < b, {
    model: `${variant} l-diversity`,
    parameter: variant === "recursive" ? { name: "l", required: l, c } : { name: "l", required: l },
    trace: {
      sensitive: options.sensitive,
      definition: definitions[variant],
      source: "Machanavajjhala, Kifer, Gehrke, Venkitasubramaniam 2007",
    },
  });
}
