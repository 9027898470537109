/**
 * A privacy ledger: every release a notebook makes on the same data, recorded as its DpEvent,
 * and the total privacy spent. Pure-ε releases add up (basic composition, Dwork & Roth 2014,
 * Thm 3.16), so a ledger of them alone stays pure ε-DP (δ = 0); the other releases (Gaussian,
 * Poisson-sampled Gaussian) are composed as events by the chosen accountant (`accountant:
 * "rdp" | "pld"`, RDP by default), and the two parts add up again by basic composition. Post-
 * processing a release spends nothing, so it is recorded as a no-op. The ledger keeps the
 * events themselves, so any accountant can re-read its history later.
 *
 * Guarantees add up only when they are stated for the same neighbouring datasets. A ledger has
 * one relation (a person added or removed, by default), and `release` refuses a mechanism stated
 * for another (randomised response is DP only when one person's answer is replaced: its reports
 * show who answered). `charge` records a bare event and cannot check: its caller vouches for it.
 */
import { accountantFor, DEFAULT_ACCOUNTANT, requireAccountantChoice, type AccountantChoice } from "../accountant/factory";
import type { DpEvent } from "../accountant/events";
import type { Accountant, AccountantDescription } from "../accountant/interface";
import { InputError, requireNumber } from "../../validation/errors";
import { nextUp, requireEpsilon } from "./params";
import type { Mechanism, MechanismTrace, Release } from "./types";

type Neighbouring = MechanismTrace["neighbouring"];
const RELATIONS: readonly Neighbouring[] = ["add-remove one person", "replace one person's answer"];

export interface LedgerEntry {
  label: string;
  event: DpEvent;
}

export interface LedgerTotal {
  /** The total ε at `delta`, pure and Gaussian parts added. */
  epsilon: number;
  /** 0 when every release was pure ε-DP. */
  delta: number;
  /** Basic composition of the pure-ε releases. */
  pureEpsilon: number;
  /** The accountant's ε for the Gaussian releases at `delta` (0 when there are none). */
  gaussianEpsilon: number;
  /** The Rényi order at which the Gaussian part's conversion was best (null without one, or under PLD). */
  order: number | null;
  /** The accountant that composed the Gaussian part (null when every release was pure ε-DP). */
  accountant: AccountantDescription | null;
  /** The accountant's warnings about the Gaussian part's ε (an edge of the order grid, say). */
  warnings: readonly string[];
  releases: number;
  postProcessing: number;
}

export interface LedgerReport {
  entries: { label: string; kind: DpEvent["kind"]; epsilonAfter: number }[];
  total: LedgerTotal;
  budget: number | null;
  /** ε left under the budget (null without one). */
  remaining: number | null;
}

export interface LedgerBudget {
  epsilon: number;
  /** Needed once a Gaussian release is recorded: the δ at which its ε is reported. */
  delta?: number;
}

/** Thrown when a release would take the total past the ledger's budget; nothing is released. */
export class BudgetExceededError extends Error {
  constructor(
    readonly label: string,
    readonly spent: number,
    readonly wouldSpend: number,
    readonly budget: number,
  ) {
    super(`"${label}" would bring ε to ${wouldSpend.toFixed(4)} > the budget ${budget} (already spent ${spent.toFixed(4)}); it was not released`);
    this.name = "BudgetExceededError";
  }
}

export class PrivacyLedger {
  private readonly history: LedgerEntry[] = [];
  readonly budget: LedgerBudget | null;
  /** The accountant of the Gaussian releases ("rdp" unless the constructor was told otherwise). */
  readonly accountant: AccountantChoice;
  /** The neighbouring datasets every recorded guarantee is stated for. */
  readonly neighbouring: Neighbouring;

  constructor(options: { budget?: LedgerBudget; accountant?: AccountantChoice; neighbouring?: Neighbouring } = {}) {
    this.accountant = requireAccountantChoice(options.accountant) ?? DEFAULT_ACCOUNTANT;
    const neighbouring = options.neighbouring ?? RELATIONS[0]!;
    if (!RELATIONS.includes(neighbouring)) throw new InputError("neighbouring", RELATIONS.map((r) => `"${r}"`).join(" or "), options.neighbouring);
    this.neighbouring = neighbouring;
    if (options.budget === undefined) {
      this.budget = null;
    } else {
      const epsilon = requireEpsilon(options.budget.epsilon, "budget.epsilon");
      const delta = options.budget.delta === undefined ? undefined : requireNumber("budget.delta", options.budget.delta, { min: 0, max: 1, minExclusive: true, maxExclusive: true });
      this.budget = Object.freeze({ epsilon, delta });
    }
  }

  /** Runs the mechanism on the data and records it, unless that would exceed the budget. */
  release<I, O>(label: string, mechanism: Mechanism<I, O>, input: I): Release<O> {
    if (mechanism?.trace?.neighbouring !== this.neighbouring) {
      throw new InputError(
        "mechanism",
        `a mechanism whose guarantee is stated for this ledger's neighbours (${this.neighbouring}): guarantees for different neighbours do not add up; keep it in a ledger of its own`,
        `${mechanism?.trace?.mechanism} (stated for: ${mechanism?.trace?.neighbouring})`,
      );
    }
    this.charge(label, mechanism.event);
    return mechanism.release(input);
  }

  /** Records an event (a release made elsewhere), refusing it when it would exceed the budget. */
  charge(label: string, event: DpEvent): void {
    if (typeof label !== "string" || label === "") throw new InputError("label", "a non-empty string naming the release", label);
    const entry = { label, event };
    split([entry], accountantFor(this.accountant)); // an event the ledger cannot account for is refused before anything changes
    if (this.budget) {
      const spent = this.history.length === 0 ? 0 : this.total().epsilon;
      const after = totalOf([...this.history, entry], this.budget.delta, this.accountant).epsilon;
      if (after > this.budget.epsilon) throw new BudgetExceededError(label, spent, after, this.budget.epsilon);
    }
    this.history.push(entry);
  }

  /** Records computing on earlier releases only (an estimate, a chart): it spends nothing. */
  postProcess(label: string): void {
    this.charge(label, { kind: "noOp" });
  }

  get entries(): readonly LedgerEntry[] {
    return this.history.map((e) => ({ ...e }));
  }

  /** Every release, as one composed event for any accountant. */
  get event(): DpEvent {
    return { kind: "composed", events: this.history.map((e) => e.event) };
  }

  /** The total so far, at the budget's δ or the one given (needed when a Gaussian release is recorded). */
  total(delta?: number): LedgerTotal {
    return totalOf(this.history, delta ?? this.budget?.delta, this.accountant);
  }

  /** Every entry with the total after it, for a chart of the budget running out. */
  report(delta?: number): LedgerReport {
    const at = delta ?? this.budget?.delta;
    const total = totalOf(this.history, at, this.accountant);
    return {
      entries: this.history.map((entry, i) => ({
        label: entry.label,
        kind: entry.event.kind,
        epsilonAfter: totalOf(this.history.slice(0, i + 1), at, this.accountant).epsilon,
      })),
      total,
      budget: this.budget?.epsilon ?? null,
      remaining: this.budget ? this.left(total) : null,
    };
  }

  /** ε left under the budget (Infinity without one). */
  remaining(): number {
    return this.budget ? this.left(this.total()) : Infinity;
  }

  private left(total: LedgerTotal): number {
    return this.budget ? Math.max(0, this.budget.epsilon - total.epsilon) : Infinity;
  }

  /** Two ledgers over the same data compose into one with both histories (and this one's budget and accountant). */
  merge(other: PrivacyLedger): PrivacyLedger {
    const merged = new PrivacyLedger({ ...(this.budget ? { budget: { ...this.budget } } : {}), accountant: this.accountant });
    merged.history.push(...this.entries, ...other.entries);
    return merged;
  }

  toJSON(): { budget: LedgerBudget | null; accountant: AccountantChoice; entries: readonly LedgerEntry[] } {
    return { budget: this.budget, accountant: this.accountant, entries: this.entries };
  }
}

interface Split {
  /** Basic composition of the pure-ε releases (not yet rounded up). */
  pure: number;
  /** The other releases, as events for the accountant, with their counts. */
  accounted: { event: DpEvent; count: number }[];
  releases: number;
  postProcessing: number;
}

/**
 * Splits the events into pure ε (added up) and the events the accountant composes; an event
 * neither can account for is a named error, and nothing is composed here.
 */
function split(entries: readonly LedgerEntry[], accountant: Accountant): Split {
  let pure = 0;
  let releases = 0;
  let postProcessing = 0;
  const accounted: Split["accounted"] = [];
  const visit = (event: DpEvent, count: number, path: string): void => {
    switch (event?.kind) {
      case "pureDp":
        pure += count * requireEpsilon(event.epsilon, `${path}.epsilon`);
        return;
      case "laplace":
        pure += count * nextUp(1 / requireNumber(`${path}.noiseMultiplier`, event.noiseMultiplier, { min: 0, minExclusive: true }));
        return;
      case "gaussian":
        // σ = 0 would make ε infinite: refused here rather than reported as ∞.
        requireNumber(`${path}.noiseMultiplier`, event.noiseMultiplier, { min: 0, minExclusive: true });
        accounted.push({ event, count });
        return;
      case "poissonSampled":
        requireNumber(`${path}.sampleRate`, event.sampleRate, { min: 0, max: 1, minExclusive: true });
        if (event.event?.kind === "gaussian") requireNumber(`${path}.event.noiseMultiplier`, event.event.noiseMultiplier, { min: 0, minExclusive: true });
        if (!accountant.supports(event)) {
          throw new InputError(`${path}.event.kind`, `an event the ${accountant.kind.toUpperCase()} accountant supports under subsampling ("gaussian")`, event.event?.kind);
        }
        accounted.push({ event, count });
        return;
      case "selfComposed":
        visit(event.event, count * requireNumber(`${path}.count`, event.count, { min: 0, integer: true }), `${path}.event`);
        return;
      case "composed":
        if (!Array.isArray(event.events)) throw new InputError(`${path}.events`, "an array of DpEvents", event.events);
        event.events.forEach((e, i) => visit(e, count, `${path}.events[${i}]`));
        return;
      case "noOp":
        return;
      default:
        throw new InputError(`${path}.kind`, "one of pureDp, laplace, gaussian, poissonSampled, selfComposed, composed, noOp", (event as { kind?: unknown })?.kind);
    }
  };
  entries.forEach((entry, i) => {
    if (entry.event.kind === "noOp") postProcessing++;
    else releases++;
    visit(entry.event, 1, `entries[${i}].event`);
  });
  return { pure, accounted, releases, postProcessing };
}

/** Pure ε by basic composition; the other events through the chosen accountant at δ; the two added. */
function totalOf(entries: readonly LedgerEntry[], delta: number | undefined, choice: AccountantChoice): LedgerTotal {
  const accountant = accountantFor(choice);
  const { pure, accounted, releases, postProcessing } = split(entries, accountant);
  const pureEpsilon = pure === 0 ? 0 : nextUp(pure);
  if (accounted.length === 0) {
    return { epsilon: pureEpsilon, delta: 0, pureEpsilon, gaussianEpsilon: 0, order: null, accountant: null, warnings: [], releases, postProcessing };
  }
  if (delta === undefined) throw new InputError("delta", "given (in the budget or to total()) once a Gaussian release is recorded", delta);
  for (const { event, count } of accounted) accountant.compose(event, count);
  const spent = accountant.getEpsilon(delta);
  const order = "order" in spent && typeof spent.order === "number" ? spent.order : null;
  return {
    epsilon: nextUp(pureEpsilon + spent.epsilon),
    delta,
    pureEpsilon,
    gaussianEpsilon: spent.epsilon,
    order,
    accountant: accountant.describe(),
    warnings: spent.warnings,
    releases,
    postProcessing,
  };
}
