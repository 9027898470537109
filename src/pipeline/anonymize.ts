/**
 * Stage 2 — anonymisation: the direct identifiers (name, email) are dropped, or replaced by
 * a keyed pseudonym; age can be generalised to bands. Then the output is *scanned* for the
 * identifiers it was meant to remove, and a leak is an error, never a warning.
 *
 * Location and age stay: they are quasi-identifiers, not identifiers. Linking them with
 * outside data can still single people out — which is why the model is trained with
 * differential privacy later, not on the strength of this stage alone.
 */
import { createHmac } from "node:crypto";
import {
  DEFAULT_AGE_BAND_EDGES,
  MAX_AGE,
  OUTCOME_COLUMN,
  ageBandIndex,
  ageBandLabels,
  type Customer,
  type LabelledCustomer,
  type Purchase,
  type RawColumn,
} from "../data/schema";
import { InputError, requireNumber, requireOneOf } from "../validation/errors";

export const IDENTIFIER_TREATMENTS = ["drop", "pseudonymize"] as const;
export type IdentifierTreatment = (typeof IDENTIFIER_TREATMENTS)[number];
export const MIN_KEY_LENGTH = 16;
export const PSEUDONYM_LENGTH = 16;

export interface AnonymizeOptions {
  identifiers?: IdentifierTreatment;
  /** Secret HMAC key, at least 16 characters; required for (and only for) "pseudonymize". */
  key?: string;
  /** true: the default bands (0–17, 18–24, 25–34, …, 65+); an array: custom band edges. */
  ageBands?: boolean | number[];
}

export interface AnonymizedCustomer {
  /** Present only when pseudonymising: HMAC-SHA256(key, email), 16 hex characters. */
  pseudonym?: string;
  /** Years, or a band label such as "25–34" when generalised. */
  age: number | string;
  location: string;
  purchaseHistory: Purchase[];
}

export interface AnonymizedLabelledCustomer extends AnonymizedCustomer {
  buysNextMonth: 0 | 1;
}

export type ColumnAction = "dropped" | "pseudonymised" | "generalised" | "kept";

export interface ColumnTreatment {
  column: RawColumn;
  action: ColumnAction;
  /** The output column it became, if any. */
  outputColumn: string | null;
  detail: string;
}

export interface LeakReport {
  outputRow: number;
  outputColumn: string;
  kind: "full name" | "email" | "name part" | "email local part";
  inputRow: number;
}

export interface AnonymizeTrace {
  stage: "anonymize";
  shape: { input: { rows: number; columns: number }; output: { rows: number; columns: number } };
  outputColumns: string[];
  columns: ColumnTreatment[];
  /** The label is carried through untouched (it is what the model learns). */
  outcome: { column: typeof OUTCOME_COLUMN; action: "kept" } | null;
  ageBands: { edges: number[]; labels: string[] } | null;
  pseudonym: { algorithm: "HMAC-SHA256"; input: string; hexCharacters: number } | null;
  scan: {
    scanned: number;
    searchedFor: { fullNames: number; emails: number; nameParts: number; emailLocalParts: number };
    rules: string[];
    leaks: LeakReport[];
  };
}

/** Thrown when the scan finds an identifier in the output; lists where, never the value. */
export class IdentifierLeakError extends Error {
  constructor(readonly leaks: LeakReport[]) {
    const first = leaks[0];
    super(
      `anonymize found ${leaks.length} identifier leak(s) in its output and returned nothing; first: ` +
        `the ${first.kind} of input row ${first.inputRow} in output row ${first.outputRow}, column ${first.outputColumn}`,
    );
    this.name = "IdentifierLeakError";
  }
}

export function anonymize(
  customers: readonly LabelledCustomer[],
  options?: AnonymizeOptions,
): { output: AnonymizedLabelledCustomer[]; trace: AnonymizeTrace };
export function anonymize(
  customers: readonly Customer[],
  options?: AnonymizeOptions,
): { output: AnonymizedCustomer[]; trace: AnonymizeTrace };
export function anonymize(
  customers: ReadonlyArray<Customer & { buysNextMonth?: 0 | 1 }>,
  options: AnonymizeOptions = {},
): { output: AnonymizedCustomer[]; trace: AnonymizeTrace } {
  if (!Array.isArray(customers as unknown)) throw new InputError("customers", "an array of customers", customers);
  const identifiers = requireOneOf("identifiers", options.identifiers ?? "drop", IDENTIFIER_TREATMENTS);
  const key = checkKey(identifiers, options.key);
  const edges = checkAgeBands(options.ageBands);
  const labels = edges && ageBandLabels(edges);
  const labelled = checkRows(customers);

  const output = customers.map((c) => ({
    ...(key !== undefined ? { pseudonym: pseudonym(c.email, key) } : {}),
    age: edges && labels ? labels[ageBandIndex(c.age, edges)] : c.age,
    location: c.location,
    purchaseHistory: c.purchaseHistory.map((p: Purchase) => ({ date: p.date, amount: p.amount })),
    ...(labelled ? { buysNextMonth: c.buysNextMonth } : {}),
  }));

  const scan = scanForIdentifiers(customers, output);
  if (scan.leaks.length > 0) throw new IdentifierLeakError(scan.leaks);

  const outputColumns = [...(key !== undefined ? ["pseudonym"] : []), "age", "location", "purchase_history"];
  return {
    output,
    trace: {
      stage: "anonymize",
      shape: {
        input: { rows: customers.length, columns: 5 },
        output: { rows: output.length, columns: outputColumns.length },
      },
      outputColumns,
      columns: treatments(key !== undefined, labels),
      outcome: labelled ? { column: OUTCOME_COLUMN, action: "kept" } : null,
      ageBands: edges && labels ? { edges: [...edges], labels } : null,
      pseudonym:
        key !== undefined
          ? { algorithm: "HMAC-SHA256", input: "email, trimmed and lower-cased", hexCharacters: PSEUDONYM_LENGTH }
          : null,
      scan,
    },
  };
}

/**
 * Keyed, so nobody without the key can recompute it from a known email (a plain hash of an
 * email is re-identified by hashing a list of emails). Keyed on the email, not the name,
 * because two customers can share a name.
 */
export function pseudonym(email: string, key: string): string {
  return createHmac("sha256", key).update(email.trim().toLowerCase()).digest("hex").slice(0, PSEUDONYM_LENGTH);
}

function checkKey(identifiers: IdentifierTreatment, key: unknown): string | undefined {
  if (identifiers === "drop") {
    if (key !== undefined) {
      throw new InputError("key", 'absent unless identifiers is "pseudonymize" (a key would be unused)', "a key");
    }
    return undefined;
  }
  if (typeof key !== "string" || key.length < MIN_KEY_LENGTH) {
    // Describe the key, never echo it: error messages end up in logs and notebooks.
    const got = typeof key === "string" ? `a string of ${key.length} characters` : typeof key;
    throw new InputError("key", `a secret string of at least ${MIN_KEY_LENGTH} characters`, got);
  }
  return key;
}

function checkAgeBands(ageBands: unknown): readonly number[] | undefined {
  if (ageBands === undefined || ageBands === false) return undefined;
  if (ageBands === true) return DEFAULT_AGE_BAND_EDGES;
  if (!Array.isArray(ageBands) || ageBands.length === 0) {
    throw new InputError("ageBands", "true, false or a non-empty array of increasing band edges", ageBands);
  }
  ageBands.forEach((edge, k) => {
    const min = k === 0 ? 1 : ageBands[k - 1] + 1;
    requireNumber(`ageBands[${k}]`, edge, { min, max: MAX_AGE, integer: true });
  });
  return ageBands;
}

/** Returns whether the rows carry the outcome (all of them, or none). */
function checkRows(customers: ReadonlyArray<Customer & { buysNextMonth?: unknown }>): boolean {
  const withOutcome = customers.filter((c) => c?.buysNextMonth !== undefined).length;
  customers.forEach((c, i) => {
    const at = `customers[${i}]`;
    if (c === null || typeof c !== "object") throw new InputError(at, "a customer object", c);
    for (const field of ["name", "email", "location"] as const) {
      if (typeof c[field] !== "string" || c[field].trim() === "") {
        throw new InputError(`${at}.${field}`, "a non-empty string", c[field]);
      }
    }
    requireNumber(`${at}.age`, c.age, { min: 0, max: MAX_AGE, integer: true });
    if (!Array.isArray(c.purchaseHistory as unknown)) {
      throw new InputError(`${at}.purchaseHistory`, "an array of purchases", c.purchaseHistory);
    }
    if (withOutcome > 0 && c.buysNextMonth !== 0 && c.buysNextMonth !== 1) {
      throw new InputError(`${at}.buysNextMonth`, "0 or 1 (present on every row, or on none)", c.buysNextMonth);
    }
  });
  return withOutcome > 0;
}

function treatments(pseudonymised: boolean, labels: string[] | undefined): ColumnTreatment[] {
  return [
    {
      column: "name",
      action: "dropped",
      outputColumn: null,
      detail: "direct identifier; removed",
    },
    {
      column: "age",
      action: labels ? "generalised" : "kept",
      outputColumn: "age",
      detail: labels ? `generalised to bands ${labels.join(", ")}` : "kept as years (quasi-identifier)",
    },
    { column: "location", action: "kept", outputColumn: "location", detail: "kept as town (quasi-identifier)" },
    {
      column: "purchase_history",
      action: "kept",
      outputColumn: "purchase_history",
      detail: "kept; stage 3 reduces it to counts, averages and a recency",
    },
    pseudonymised
      ? {
          column: "email",
          action: "pseudonymised",
          outputColumn: "pseudonym",
          detail: `replaced by HMAC-SHA256(key, email) truncated to ${PSEUDONYM_LENGTH} hex characters`,
        }
      : { column: "email", action: "dropped", outputColumn: null, detail: "direct identifier; removed" },
  ];
}

// ---------------------------------------------------------------------------------------
// The scan. Every needle is matched case-insensitively as a whole word (not inside a longer
// run of letters or digits), so "Cade" does not match inside a hex digest "…3cade9…" nor
// "Smith" inside "Smithfield". Name parts and email local parts are not searched in the
// location column: the example's town names are built from given names and surnames
// ("East Audrey", "Johnsonstad"), and a town sharing a word with a customer's name is not a
// leak of that customer. Full names and emails are searched everywhere.

const SCAN_RULES = [
  "full names and email addresses: whole-word, case-insensitive, in every output value",
  "name parts (first/last names over 3 characters) and email local parts: whole-word, case-insensitive, in every output value except location (town names are built from names)",
];

interface Needle {
  text: string;
  kind: LeakReport["kind"];
  inputRow: number;
  everywhere: boolean;
}

function scanForIdentifiers(
  customers: readonly Customer[],
  output: readonly AnonymizedCustomer[],
): AnonymizeTrace["scan"] {
  const needles = collectNeedles(customers);
  const columns: Array<[string, (r: AnonymizedCustomer) => string | undefined]> = [
    ["pseudonym", (r) => r.pseudonym],
    ["age", (r) => String(r.age)],
    ["location", (r) => r.location],
    ["purchase_history", (r) => r.purchaseHistory.map((p) => `${p.date}:${p.amount}`).join(";")],
  ];
  let scanned = 0;
  const leaks: LeakReport[] = [];
  for (const [column, read] of columns) {
    const values = output.map(read);
    if (values.every((v) => v === undefined)) continue;
    scanned += values.length;
    // One lower-cased text per column, values separated by a newline (a word boundary).
    const starts: number[] = [];
    let text = "";
    for (const value of values) {
      starts.push(text.length);
      text += (value ?? "").toLowerCase() + "\n";
    }
    for (const needle of needles) {
      if (!needle.everywhere && column === "location") continue;
      for (const at of wholeWordMatches(text, needle.text)) {
        leaks.push({ outputRow: rowAt(starts, at), outputColumn: column, kind: needle.kind, inputRow: needle.inputRow });
      }
    }
  }
  const count = (kind: Needle["kind"]) => needles.filter((n) => n.kind === kind).length;
  return {
    scanned,
    searchedFor: {
      fullNames: count("full name"),
      emails: count("email"),
      nameParts: count("name part"),
      emailLocalParts: count("email local part"),
    },
    rules: SCAN_RULES,
    leaks,
  };
}

/** One needle per distinct text (reported with the first input row that has it). */
function collectNeedles(customers: readonly Customer[]): Needle[] {
  const needles = new Map<string, Needle>();
  const add = (needle: Needle) => {
    const existing = needles.get(needle.text);
    if (!existing) needles.set(needle.text, needle);
    else if (needle.everywhere && !existing.everywhere) needles.set(needle.text, needle);
  };
  const hasLetter = /\p{L}/u;
  customers.forEach((c, inputRow) => {
    const name = c.name.trim().toLowerCase();
    const email = c.email.trim().toLowerCase();
    add({ text: name, kind: "full name", inputRow, everywhere: true });
    add({ text: email, kind: "email", inputRow, everywhere: true });
    for (const part of name.split(/[\s-]+/)) {
      if (part.length > 3) add({ text: part, kind: "name part", inputRow, everywhere: false });
    }
    const local = email.split("@")[0];
    // A short or digits-only local part would match ordinary numbers and words.
    if (local.length > 3 && hasLetter.test(local)) {
      add({ text: local, kind: "email local part", inputRow, everywhere: false });
    }
  });
  return [...needles.values()];
}

const WORD_CHAR = /[\p{L}\p{N}]/u;

function wholeWordMatches(text: string, needle: string): number[] {
  const found: number[] = [];
  for (let at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + 1)) {
    const before = at > 0 ? text[at - 1] : "";
    const after = text[at + needle.length] ?? "";
    const boundedBefore = !WORD_CHAR.test(before) || !WORD_CHAR.test(needle[0]);
    const boundedAfter = !WORD_CHAR.test(after) || !WORD_CHAR.test(needle[needle.length - 1]);
    if (boundedBefore && boundedAfter) found.push(at);
  }
  return found;
}

function rowAt(starts: readonly number[], offset: number): number {
  let low = 0;
  let high = starts.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if (starts[mid] <= offset) low = mid;
    else high = mid - 1;
  }
  return low;
}
