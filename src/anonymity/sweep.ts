/**
 * Risk and accuracy against k on the customer table: for each k, anonymise all customers,
 * measure the prosecutor risk, run the linkage attack with the public register, and train
 * the course model on the released training rows (tested on the exact test customers).
 * k = 1 means "direct identifiers dropped, nothing generalised": the starting point.
 */
import type { LabelledCustomer } from "../data/schema";
import type { Split } from "../data/split";
import { InputError, requireNumber } from "../validation/errors";
import { anonymizeTable, type Algorithm } from "./anonymizeTable";
import { CUSTOMER_ROLES, customerHierarchies, customerTable, type PublicRegister } from "./customers";
import { informationLoss } from "./informationLoss";
import type { DiversityVariant } from "./lDiversity";
import { linkageAttack } from "./linkage";
import { reidentificationRisk } from "./risk";
import { dropColumns, selectRows, type Table } from "./table";
import { trainOnAnonymised } from "./training";

export interface KPoint {
  k: number;
  classes: number;
  suppressed: number;
  generalisationIntensity: number;
  highestRisk: number;
  averageRisk: number;
  recordsAtRisk: number;
  /** Register people uniquely and correctly matched to their row. */
  reidentified: number;
  /** Register people whose spend band the attacker learns correctly. */
  sensitiveLearned: number;
  accuracy: number;
}

export interface AnonymitySweepOptions {
  customers: readonly LabelledCustomer[];
  split: Split;
  register: PublicRegister;
  ks: readonly number[];
  l?: number;
  lVariant?: DiversityVariant;
  algorithm?: Algorithm;
  epochs?: number;
  seed?: number;
}

export async function anonymitySweep(options: AnonymitySweepOptions): Promise<{ output: KPoint[]; trace: { register: number; trainRows: number; testRows: number; algorithm: Algorithm; l: number | null; notes: string[] } }> {
  if (!Array.isArray(options.ks) || options.ks.length === 0) throw new InputError("ks", "a non-empty array of k values (1 = no generalisation)", options.ks);
  const full = customerTable(options.customers);
  const hierarchies = customerHierarchies();
  const test = selectRows(full, options.split.test);
  const trainSet = new Set(options.split.train);
  const algorithm = options.algorithm ?? "mondrian";
  const points: KPoint[] = [];
  for (const [index, k] of options.ks.entries()) {
    requireNumber(`ks[${index}]`, k, { min: 1, max: options.customers.length, integer: true });
    let released: Table;
    let sourceRows: number[];
    let classes: number;
    let suppressed = 0;
    let intensity = 0;
    if (k === 1) {
      released = dropColumns(full, CUSTOMER_ROLES.direct);
      sourceRows = options.customers.map((_, i) => i);
      classes = reidentificationRisk(released, { quasi: CUSTOMER_ROLES.quasi }).output.classes;
    } else {
      const result = anonymizeTable(full, { roles: CUSTOMER_ROLES, k, l: options.l, lVariant: options.l === undefined ? undefined : options.lVariant, algorithm, hierarchies });
      released = result.output.table;
      sourceRows = result.output.sourceRows;
      classes = result.trace.classes.count;
      suppressed = result.trace.rows.suppressed;
      intensity = informationLoss(full, { classes: result.output.classes, suppressed }, { quasi: CUSTOMER_ROLES.quasi, hierarchies }).generalisationIntensity;
    }
    const risk = reidentificationRisk(released, { quasi: CUSTOMER_ROLES.quasi }).output;
    const attack = linkageAttack({
      released,
      register: options.register.table,
      quasi: CUSTOMER_ROLES.quasi,
      sensitive: "spendBand",
      hierarchies,
      truth: { releasedSource: sourceRows, registerSource: options.register.customerIndex },
    }).output.summary;
    const trainRows = sourceRows.map((source, row) => (trainSet.has(source) ? row : -1)).filter((row) => row >= 0);
    const trained = await trainOnAnonymised({ train: selectRows(released, trainRows), test, epochs: options.epochs, seed: options.seed });
    points.push({
      k,
      classes,
      suppressed,
      generalisationIntensity: intensity,
      highestRisk: risk.prosecutor.highest,
      averageRisk: risk.prosecutor.average,
      recordsAtRisk: risk.prosecutor.recordsAtRisk,
      reidentified: attack.reidentified ?? 0,
      sensitiveLearned: attack.sensitiveLearnedCorrectly ?? 0,
      accuracy: trained.output.accuracy,
    });
  }
  return {
    output: points,
    trace: {
      register: options.register.customerIndex.length,
      trainRows: options.split.train.length,
      testRows: options.split.test.length,
      algorithm,
      l: options.l ?? null,
      notes: [
        "risk and attack on the release of all customers; accuracy of the plain model (ε = ∞) trained on the released training rows, tested on exact test customers",
      ],
    },
  };
}
