/**
 * Everything `privacy-course anonymity` reports about a table, for any table: the k it
 * achieves, per sensitive column the distinct, entropy and recursive (c, l) l-diversity and
 * the t-closeness it achieves, and the three re-identification risks.
 */
import { checkKAnonymity } from "./kAnonymity";
import { checkLDiversity, DEFAULT_RECURSIVE_C } from "./lDiversity";
import { reidentificationRisk, type ReidentificationRisk, type RiskOptions } from "./risk";
import { checkTCloseness } from "./tCloseness";
import { columnKind, columnValues, type Table } from "./table";
import { requireNumber } from "../validation/errors";
import { resolveRoles } from "./roles";

export interface SensitiveMeasures {
  /** Smallest number of distinct values in a class. */
  distinctL: number;
  /** exp(smallest class entropy), natural log. */
  entropyL: number;
  /** Largest l for which every class meets recursive (c, l)-diversity with the given c. */
  recursiveCL: { c: number; l: number };
  /** Largest EMD between a class and the whole table. */
  t: number;
  distance: "ordered" | "equal";
}

export interface AnonymityMeasures {
  rows: number;
  quasi: string[];
  /** Size of the smallest equivalence class. */
  k: number;
  classes: number;
  sensitive: Record<string, SensitiveMeasures>;
  risk: ReidentificationRisk;
}

export function measureAnonymity(
  table: Table,
  options: { quasi: readonly string[]; sensitive?: readonly string[]; c?: number; threshold?: number } & Pick<RiskOptions, "population" | "hierarchies">,
): { output: AnonymityMeasures; trace: { definitions: Record<string, string>; risk: ReturnType<typeof reidentificationRisk>["trace"] } } {
  // The roles' one rule: known columns, one role each (a sensitive column cannot be a quasi-identifier too).
  resolveRoles(table, { quasi: [...(options.quasi ?? [])], sensitive: [...(options.sensitive ?? [])] }, "");
  const c = requireNumber("c", options.c ?? DEFAULT_RECURSIVE_C, { min: 1 });
  const k = checkKAnonymity(table, { quasi: options.quasi, k: 1 });
  const sensitive: Record<string, SensitiveMeasures> = {};
  for (const column of options.sensitive ?? []) {
    const numeric = columnKind(columnValues(table, column, "sensitive")) === "numeric";
    const base = { quasi: options.quasi, sensitive: column, l: 1 };
    sensitive[column] = {
      distinctL: checkLDiversity(table, { ...base, variant: "distinct" }).achieved,
      entropyL: checkLDiversity(table, { ...base, variant: "entropy" }).achieved,
      recursiveCL: { c, l: checkLDiversity(table, { ...base, variant: "recursive", c }).achieved },
      t: checkTCloseness(table, { quasi: options.quasi, sensitive: column, t: 1 }).achieved,
      distance: numeric ? "ordered" : "equal",
    };
  }
  const risk = reidentificationRisk(table, {
    quasi: options.quasi,
    threshold: options.threshold,
    population: options.population,
    hierarchies: options.hierarchies,
  });
  return {
    output: { rows: k.trace.rows, quasi: [...options.quasi], k: k.achieved, classes: k.trace.classes, sensitive, risk: risk.output },
    trace: {
      definitions: {
        k: k.trace.definition,
        distinctL: "smallest number of distinct sensitive values in a class (Machanavajjhala et al. 2007)",
        entropyL: "exp of the smallest class entropy, natural log (Machanavajjhala et al. 2007)",
        recursiveCL: `largest l with r₁ < c·(r_l + … + r_m) in every class, c = ${c}`,
        t: "largest Earth Mover's Distance between a class's sensitive distribution and the table's: ordered distance for numbers, equal distance for categories (Li, Li, Venkatasubramanian 2007)",
      },
      risk: risk.trace,
    },
  };
}
