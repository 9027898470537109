/**
 * Anonymisation that can be measured: column roles, generalisation hierarchies, privacy
 * models (k-anonymity, l-diversity, t-closeness), algorithms (Mondrian, full-domain search,
 * MDAV), re-identification risk, the linkage attack and the utility cost.
 */
export { parseCsvTable, requireCleanColumns, tableToCsv, tableFromRecords, tableToRecords, selectRows, dropColumns, rowCount, columnKind } from "./table";
export type { Cell, Table, ColumnKind, CsvTrace } from "./table";
export { resolveRoles, resolveReleaseRoles, roleOf, ROLE_NAMES, type DatasetRoles, type Role, type ReleaseRoleOptions, type ReleaseRoles } from "./roles";
export { detectIdentifier, IDENTIFIER_KINDS, type IdentifierFinding, type IdentifierKind } from "./identifiers";
export {
  intervalHierarchy,
  treeHierarchy,
  flatHierarchy,
  autoIntervalHierarchy,
  automaticHierarchy,
  hierarchiesFromJson,
  hierarchyHeight,
  type Hierarchy,
  type IntervalHierarchy,
  type TreeHierarchy,
} from "./hierarchy";
export { cellLabel, midpoint, numericRange, type GeneralisedCell } from "./generalisedCell";
export { equivalenceClasses, type EquivalenceClass, type EquivalenceClasses } from "./classes";
export type { ModelCheck, ClassCheck } from "./modelCheck";
export { checkKAnonymity } from "./kAnonymity";
export { checkLDiversity, distinctL, entropy, entropyL, recursiveL, DEFAULT_RECURSIVE_C, DIVERSITY_VARIANTS, type DiversityVariant } from "./lDiversity";
export { checkTCloseness, equalDistanceEmd, orderedDistanceEmd, GROUND_DISTANCES, type GroundDistance } from "./tCloseness";
export { mondrian, type Partitioning, type MondrianTrace } from "./mondrian";
export { fullDomainGeneralisation, type FullDomainTrace } from "./fullDomain";
export { mdav, type MdavTrace } from "./mdav";
export { anonymizeTable, ALGORITHMS, type Algorithm, type AnonymizedTable, type AnonymizeTableTrace } from "./anonymizeTable";
export { reidentificationRisk, riskFromClassSizes, DEFAULT_RISK_THRESHOLD, type ReidentificationRisk, type RiskSummary } from "./risk";
export { linkageAttack, type LinkageAttempt, type LinkageSummary } from "./linkage";
export { informationLoss, type InformationLoss } from "./informationLoss";
export { measureAnonymity, type AnonymityMeasures, type SensitiveMeasures } from "./measure";
export { trainOnAnonymised } from "./training";
export { anonymitySweep, type KPoint } from "./sweep";
export { CUSTOMER_ROLES, SPEND_BANDS, customerTable, customerHierarchies, publicRegister, spendBand, type PublicRegister } from "./customers";
export { syntheticPeopleTable, syntheticHierarchies, SYNTHETIC_ROLES } from "./synthetic";
export { loadCpsWages, attackerKnowledge, CPS_ROLES, CPS_WAGES_CSV } from "./cps";
