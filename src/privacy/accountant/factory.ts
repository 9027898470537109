/**
 * One factory for every place a run is accounted: `accountant: "rdp" | "pld"` (or the same with
 * options) chooses the analysis; nothing else constructs a concrete accountant by hand.
 */
import { InputError } from "../../validation/errors";
import { RdpAccountant, type RdpAccountantOptions } from "./accountant";
import type { DpEvent } from "./events";
import { ACCOUNTANT_KINDS, type Accountant, type AccountantBaseOptions, type AccountantDescription, type AccountantKind, type LedgerEntry } from "./interface";
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

/**
 * The accountant a choice names (undefined: the default). `who` is set by the run, not the
 * caller (a federated run protects a user whatever the choice says), so it wins over the choice.
 */
export function accountantFor(choice: AccountantChoice | undefined, who: AccountantBaseOptions = {}): Accountant {
  if (choice === undefined) return createAccountant(DEFAULT_ACCOUNTANT, who);
  if (typeof choice === "string") return createAccountant(choice, who);
  if (choice === null || typeof choice !== "object") throw new InputError("accountant", `one of ${ACCOUNTANT_KINDS.join(", ")}, or { kind, ...options }`, choice);
  const { kind, ...options } = choice;
  return createAccountant(kind, { ...options, ...who });
}

/** The analysis a choice names ("rdp" or "pld"), the default when there is none. */
export function accountantKindOf(choice: AccountantChoice | undefined): AccountantKind {
  return choice === undefined ? DEFAULT_ACCOUNTANT : typeof choice === "string" ? choice : choice.kind;
}

/** Checks a choice without building anything heavy (it builds an empty accountant). */
export function requireAccountantChoice(choice: unknown): AccountantChoice | undefined {
  if (choice === undefined) return undefined;
  accountantFor(choice as AccountantChoice);
  return choice as AccountantChoice;
}

/**
 * One hook for recording training steps: a training loop calls the returned function once per
 * step (or with a count), instead of composing events by hand.
 */
export function stepRecorder(accountant: Accountant, event: DpEvent): (count?: number) => void {
  if (!accountant.supports(event)) accountant.compose(event, 0); // throws the accountant's own error
  return (count = 1) => accountant.compose(event, count);
}

/** A short name for traces and reports: the analysis, its source, and its grid or orders. */
export function accountantLabel(description: AccountantDescription): string {
  if (description.kind === "rdp") return "RDP (Mironov et al. 2019)";
  const grid = description.discretisation;
  const rounding = grid?.pessimistic === false ? "optimistic, NOT a guarantee" : "pessimistic";
  return `PLD (connect-the-dots, Doroshenko et al. 2022; loss grid h = ${grid?.interval}, ${rounding}; both add/remove directions)`;
}

/**
 * Replays ledgers into an accountant: two runs' ledgers compose into one (the ledger, not a
 * summary number, is the source of a reported ε). Every entry is checked before any is
 * composed, so an unsupported event leaves the accountant unchanged.
 */
export function composeLedgers(accountant: Accountant, ...ledgers: ReadonlyArray<readonly LedgerEntry[]>): void {
  const entries = ledgers.flat();
  for (const { event } of entries) {
    if (!accountant.supports(event)) accountant.compose(event, 0); // throws the accountant's own error
  }
  for (const { event, count } of entries) accountant.compose(event, count);
}
