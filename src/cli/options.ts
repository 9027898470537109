/** Turning command-line strings into checked numbers, with errors that name the flag. */
import { InputError, requireOneOf } from "../validation/errors";
import { ACCOUNTANT_KINDS, requireAccountantChoice, type AccountantChoice } from "../privacy/accountant";

export function parseNumberFlag(flag: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const trimmed = text.trim().toLowerCase();
  if (trimmed === "inf" || trimmed === "infinity" || trimmed === "∞") return Infinity;
  const value = Number(trimmed);
  if (trimmed === "" || Number.isNaN(value)) throw new InputError(`--${flag}`, "a number", text);
  return value;
}

export function parseNumberListFlag(flag: string, text: string | undefined, fallback: number[]): number[] {
  if (text === undefined) return fallback;
  const parts = text.split(",").filter((part) => part.trim() !== "");
  if (parts.length === 0) throw new InputError(`--${flag}`, "a comma-separated list of numbers", text);
  return parts.map((part) => parseNumberFlag(flag, part, Number.NaN));
}

/** `--accountant rdp|pld` and `--discretisation H` (PLD's loss grid), shared by the commands that account. */
export const ACCOUNTANT_FLAGS = {
  accountant: { type: "string" },
  discretisation: { type: "string" },
} as const;

export function parseAccountantFlags(values: { accountant?: string; discretisation?: string }): AccountantChoice | undefined {
  const kind = values.accountant === undefined ? undefined : requireOneOf("--accountant", values.accountant, ACCOUNTANT_KINDS);
  if (values.discretisation === undefined) return kind;
  if (kind !== "pld") throw new InputError("--discretisation", "given only with --accountant pld", values.discretisation);
  const discretisation = values.discretisation.trim() === "auto" ? "auto" : parseNumberFlag("discretisation", values.discretisation, Number.NaN);
  return requireAccountantChoice({ kind: "pld", discretisation });
}
