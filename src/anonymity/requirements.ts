/**
 * The privacy requirements an algorithm must meet, checked once: k, and optionally
 * l-diversity and t-closeness on every sensitive column. The class test works on counts, so
 * Mondrian can ask it of a candidate split and the full-domain search of a lattice node.
 */
import { InputError, requireNumber, requireOneOf } from "../validation/errors";
import { encodeSensitive, type EncodedSensitive } from "./encode";
import { DEFAULT_RECURSIVE_C, DIVERSITY_VARIANTS, diversityOf, meetsDiversity, type DiversityVariant } from "./lDiversity";
import { emd, meetsCloseness, type GroundDistance } from "./tCloseness";
import { rowCount, type Table } from "./table";

export interface PrivacyRequirementsInput {
  k: number;
  /** l-diversity of every sensitive column (omit for none). */
  l?: number;
  lVariant?: DiversityVariant;
  /** c of recursive (c, l)-diversity. */
  c?: number;
  /** t-closeness of every sensitive column (omit for none). */
  t?: number;
}

export interface Requirements {
  k: number;
  l: { value: number; variant: DiversityVariant; c: number } | null;
  t: number | null;
  sensitive: Array<EncodedSensitive & { distance: GroundDistance }>;
}

/** Why a class fails: 0 it passes, else the first requirement it breaks. */
export const PASSES = 0;
export const FAILS_L = 1;
export const FAILS_T = 2;

export function resolveRequirements(table: Table, sensitive: readonly string[], input: PrivacyRequirementsInput): Requirements {
  const n = rowCount(table);
  if (n < 2) throw new InputError("table", "at least 2 rows (k-anonymity needs k ≥ 2)", `${n} row(s)`);
  const k = requireNumber("k", input.k, { min: 2, max: n, integer: true });
  const wantsL = input.l !== undefined;
  const wantsT = input.t !== undefined;
  if ((wantsL || wantsT) && sensitive.length === 0) {
    throw new InputError(wantsL ? "l" : "t", "given only with at least one sensitive column", wantsL ? input.l : input.t);
  }
  const l = wantsL
    ? {
        value: requireNumber("l", input.l, { min: 1 }),
        variant: requireOneOf("lVariant", input.lVariant ?? "distinct", DIVERSITY_VARIANTS),
        c: requireNumber("c", input.c ?? DEFAULT_RECURSIVE_C, { min: 1 }),
      }
    : null;
  if (!wantsL && input.lVariant !== undefined) throw new InputError("lVariant", "given only together with l", input.lVariant);
  const t = wantsT ? requireNumber("t", input.t, { min: 0, max: 1 }) : null;
  const encoded = sensitive.map((column) => {
    const e = encodeSensitive(table, column);
    return { ...e, distance: (e.numeric ? "ordered" : "equal") as GroundDistance };
  });
  if (l) {
    for (const s of encoded) {
      const whole = diversityOf(s.counts, l.variant, l.c);
      if (!meetsDiversity(whole, l.value)) {
        throw new InputError(
          "l",
          `at most ${formatL(whole)}: the whole table's ${s.name} column only reaches ${l.variant} l = ${formatL(whole)}, and no class can do better`,
          l.value,
        );
      }
    }
  }
  return { k, l, t, sensitive: encoded };
}

function formatL(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(3);
}

/** Tests a class from its sensitive counts (one count array per sensitive column). */
export function classVerdict(req: Requirements, counts: readonly Float64Array[]): number {
  for (let s = 0; s < req.sensitive.length; s++) {
    if (req.l && !meetsDiversity(diversityOf(counts[s], req.l.variant, req.l.c), req.l.value)) return FAILS_L;
    if (req.t !== null && !meetsCloseness(emd(counts[s], req.sensitive[s].counts, req.sensitive[s].distance), req.t)) return FAILS_T;
  }
  return PASSES;
}

export function needsSensitiveCounts(req: Requirements): boolean {
  return req.l !== null || req.t !== null;
}

/** A one-line statement of the requirements, for traces. */
export function describeRequirements(req: Requirements): string {
  const parts = [`${req.k}-anonymity`];
  if (req.l) parts.push(`${req.l.variant} ${req.l.variant === "recursive" ? `(c = ${req.l.c}, l = ${req.l.value})` : `l = ${req.l.value}`}-diversity`);
  if (req.t !== null) parts.push(`t = ${req.t} closeness`);
  const columns = req.sensitive.map((s) => s.name).join(", ");
  return parts.join(" + ") + (columns && (req.l || req.t !== null) ? ` of ${columns}` : "");
}
