/**
 * The three datasets of the attack and audit lessons, each as members (the rows a model is
 * trained on) and non-members (rows from the same population it never sees): what a
 * membership-inference attack tries to tell apart. Features are scaled with statistics of
 * the members only.
 */
import { anonymize } from "../pipeline/anonymize";
import { engineerFeatures } from "../pipeline/features";
import { requireNumber, requireOneOf } from "../validation/errors";
import type { LabelledRows } from "../attacks/membershipInference";
import { loadCustomerDataset } from "./datasets";
import { diabetesFeatures, halves, loadDiabetes } from "./diabetes";
import { loadPatients, patientFeatures, PATIENT_FEATURE_NAMES } from "./patients";
import { DIABETES_FEATURES } from "./diabetes";
import { FEATURE_NAMES } from "../pipeline/features";

export type MembershipDatasetName = "patients" | "customers" | "diabetes";
export const MEMBERSHIP_DATASETS: readonly MembershipDatasetName[] = ["patients", "customers", "diabetes"];

export interface MembershipData {
  name: MembershipDatasetName;
  description: string;
  featureNames: readonly string[];
  members: LabelledRows;
  nonMembers: LabelledRows;
}

/**
 * patients: the first `rows` (default all 2000) of datasets/patients.csv, split in half by
 * the seed. customers: the committed 800/200 split. diabetes: the 442 patients in half.
 */
export function loadMembershipData(
  name: MembershipDatasetName,
  { seed = 7, rows }: { seed?: number; rows?: number } = {},
): MembershipData {
  requireOneOf("dataset", name, MEMBERSHIP_DATASETS);
  requireNumber("seed", seed, { integer: true });
  if (name === "patients") {
    const all = loadPatients();
    const used = all.slice(0, requireNumber("rows", rows ?? all.length, { min: 4, max: all.length, integer: true }));
    const { first, second } = halves(used.length, seed);
    const members = first.map((i) => used[i]);
    const nonMembers = second.map((i) => used[i]);
    const m = patientFeatures(members);
    const n = patientFeatures(nonMembers, members);
    return {
      name,
      description: `${used.length} fictional patients (datasets/patients.csv), half members, half non-members; outcome: cardiovascular event within 10 years`,
      featureNames: PATIENT_FEATURE_NAMES,
      members: { x: m.x, y: m.y },
      nonMembers: { x: n.x, y: n.y },
    };
  }
  if (name === "diabetes") {
    const all = loadDiabetes();
    const { first, second } = halves(all.length, seed);
    const members = first.map((i) => all[i]);
    const nonMembers = second.map((i) => all[i]);
    return {
      name,
      description: "442 diabetes patients (Efron et al. 2004), half members, half non-members; outcome: progression above the median",
      featureNames: DIABETES_FEATURES,
      members: diabetesFeatures(members),
      nonMembers: diabetesFeatures(nonMembers, members),
    };
  }
  const { customers, split } = loadCustomerDataset();
  const features = engineerFeatures(anonymize(customers).output, { trainIndices: split.train });
  const { matrix, labels } = features.output;
  const pick = (indices: number[]) => ({ x: indices.map((i) => matrix[i]), y: indices.map((i) => labels[i]) });
  return {
    name,
    description: "1000 fictional shop customers (datasets/customers.csv): the 800 training rows are members, the 200 test rows non-members",
    featureNames: FEATURE_NAMES,
    members: pick(split.train),
    nonMembers: pick(split.test),
  };
}
