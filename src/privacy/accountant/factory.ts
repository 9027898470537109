/**
 * One factory for every place a run is accounted: `accountant: "rdp" | "pld"` (or the same with
 * options) chooses the analysis; nothing else constructs a concrete accountant by hand.
 */
import { InputError } from "../../validation/errors";
import { RdpAccountant, type RdpAccountantOptions } from "./accountant";
import { ACCOUNTANT_KINDS, type Accountant, type AccountantKind } from "./interface";
import { PldAccountant, type PldAccountantOptions } from "./pld/accountant";

/** RDP stays the default: see README ("Which accountant"). */
export const DEFAULT_ACCOUNTANT: AccountantKind = "rdp";

/** An accountant by name, or by name with its options. */
export type AccountantChoice =
  | AccountantKind
  | ({ kind: "rdp" } & RdpAccountantOptions)
  | ({ kind: "pld" } & PldAccountantOptions);

export function createAccountant(kind: "rdp", options?: RdpAccountantOptions): RdpAccountant;
export function createAccountant(kind: "pld", options?: PldAccountantOptions): PldAccountant;
export function createAccountant(kind: AccountantKind, options?: RdpAccountantOptions & PldAccountantOptions): Accountant;
export function createAccountant(kind: AccountantKind, options: RdpAccountantOptions & PldAccountantOptions = {}): Accountant {
  if (kind === "rdp") {
    const { orders, neighbouring, unit } = options;
    return new RdpAccountant({ orders, neighbouring, unit });
  }
  if (kind === "pld") {
    const { discretisation, pessimistic, tailMass, neighbouring, unit } = options;
    return new PldAccountant({ discretisation, pessimistic, tailMass, neighbouring, unit });
  }
  throw new InputError("accountant", `one of ${ACCOUNTANT_KINDS.join(", ")}`, kind);
}

/** The accountant a choice names (undefined: the default). */
export function accountantFor(choice: AccountantChoice | undefined): Accountant {
  if (choice === undefined) return createAccountant(DEFAULT_ACCOUNTANT);
  if (typeof choice === "string") return createAccountant(choice);
  if (choice === null || typeof choice !== "object") throw new InputError("accountant", `one of ${ACCOUNTANT_KINDS.join(", ")}, or { kind, ...options }`, choice);
  const { kind, ...options } = choice;
  return createAccountant(kind, options);
}

/** Checks a choice without building anything heavy (it builds an empty accountant). */
export function requireAccountantChoice(choice: unknown): AccountantChoice | undefined {
  if (choice === undefined) return undefined;
  accountantFor(choice as AccountantChoice);
  return choice as AccountantChoice;
}
