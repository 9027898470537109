/**
 * CSV in and out for customer rows. One set of cell parsers does the checking in both
 * directions: `customersToCsv` formats each cell and then parses it back, so it can never
 * write a file that `parseCustomersCsv` would reject (or silently round an amount).
 *
 * purchase_history is one cell: `YYYY-MM-DD:amount` entries joined by `;`, amounts with two
 * decimals, e.g. `2026-03-14:23.50;2026-05-02:8.99`.
 */
import Papa from "papaparse";
import { InputError } from "../validation/errors";
import {
  MAX_AGE,
  OUTCOME_COLUMN,
  RAW_COLUMNS,
  dayNumber,
  type Customer,
  type LabelledCustomer,
  type Purchase,
} from "./schema";

export const CSV_COLUMNS = [...RAW_COLUMNS, OUTCOME_COLUMN] as const;

export interface ParseOptions {
  /**
   * true (default): the buys_next_month column is required (training data).
   * false: it may be absent (rows to predict); when present it is still checked and kept.
   */
  requireOutcome?: boolean;
}

/** Serialises rows with a header; the outcome column is written when every row has one. */
export function customersToCsv(rows: ReadonlyArray<Customer | LabelledCustomer>): string {
  if (!Array.isArray(rows as unknown)) throw new InputError("rows", "an array of customers", rows);
  rows.forEach((r, i) => {
    if (r === null || typeof r !== "object") throw new InputError(`rows[${i}]`, "a customer object", r);
  });
  const labelled = rows.filter((r) => "buysNextMonth" in r).length;
  if (labelled !== 0 && labelled !== rows.length) {
    throw new InputError(
      "rows",
      "customers that all have buysNextMonth, or none of them",
      `${labelled} of ${rows.length} with buysNextMonth`,
    );
  }
  const columns: string[] = labelled > 0 ? [...CSV_COLUMNS] : [...RAW_COLUMNS];
  const records = rows.map((row, i) => {
    const cells: Record<string, string> = {
      name: asText(row.name, "name", i + 1),
      age: formatAge(row.age, i + 1),
      location: asText(row.location, "location", i + 1),
      purchase_history: formatHistory(row.purchaseHistory, i + 1),
      email: asText(row.email, "email", i + 1),
    };
    if (labelled > 0) {
      const outcome: unknown = (row as LabelledCustomer).buysNextMonth;
      if (outcome !== 0 && outcome !== 1) throw new InputError(`buysNextMonth (row ${i + 1})`, "0 or 1", outcome);
      cells[OUTCOME_COLUMN] = String(outcome);
    }
    parseRecord(cells, i + 1, labelled > 0); // same checks as reading
    return columns.map((c) => cells[c]);
  });
  return Papa.unparse({ fields: columns, data: records }, { newline: "\n" }) + "\n";
}

export function parseCustomersCsv(text: string): LabelledCustomer[];
export function parseCustomersCsv(text: string, options: { requireOutcome: true }): LabelledCustomer[];
export function parseCustomersCsv(text: string, options: ParseOptions): Customer[];
export function parseCustomersCsv(text: string, options: ParseOptions = {}): Customer[] {
  if (typeof text !== "string") throw new InputError("csv", "CSV text (a string)", text);
  const requireOutcome = options.requireOutcome ?? true;
  // A leading byte-order mark (spreadsheet exports) is encoding, not part of the first column name.
  const body = text.startsWith("\uFEFF") ? text.slice(1) : text;
  const parsed = Papa.parse<string[]>(body, { delimiter: ",", skipEmptyLines: true });
  if (parsed.errors.length > 0) {
    const error = parsed.errors[0];
    // With header: false, papaparse's row index counts the header as row 0.
    const where = error.row === undefined ? "" : ` (row ${error.row})`;
    throw new InputError(`csv${where}`, `well-formed CSV (papaparse: ${error.message})`, error.code);
  }
  const [header = [], ...records] = parsed.data;
  const hasOutcome = checkHeader(header, requireOutcome);
  return records.map((cells, k) => {
    const row = k + 1;
    if (cells.length !== header.length) {
      throw new InputError(`csv (row ${row})`, `${header.length} fields like the header`, cells.length);
    }
    const record: Record<string, string> = {};
    header.forEach((column, j) => (record[column] = cells[j]));
    return parseRecord(record, row, hasOutcome);
  });
}

/** Returns whether the outcome column is present; throws on missing, unknown or repeated columns. */
function checkHeader(header: readonly string[], requireOutcome: boolean): boolean {
  const required: string[] = requireOutcome ? [...CSV_COLUMNS] : [...RAW_COLUMNS];
  const allowed = `the columns ${required.join(", ")}${requireOutcome ? "" : ` (and optionally ${OUTCOME_COLUMN})`}`;
  const seen = new Set<string>();
  for (const column of header) {
    if (!(CSV_COLUMNS as readonly string[]).includes(column)) {
      throw new InputError("columns", `${allowed}; unknown column`, column);
    }
    if (seen.has(column)) throw new InputError("columns", `${allowed}, each once; repeated column`, column);
    seen.add(column);
  }
  const missing = required.filter((c) => !seen.has(c));
  if (missing.length > 0) {
    throw new InputError("columns", `${allowed}; missing ${missing.join(", ")}`, header.join(","));
  }
  return seen.has(OUTCOME_COLUMN);
}

function parseRecord(record: Record<string, string>, row: number, hasOutcome: boolean): Customer {
  const customer: Customer = {
    name: requireText(record.name, "name", row),
    age: parseAge(record.age, row),
    location: requireText(record.location, "location", row),
    purchaseHistory: parseHistory(record.purchase_history, row),
    email: parseEmail(record.email, row),
  };
  if (!hasOutcome) return customer;
  const outcome = record[OUTCOME_COLUMN];
  if (outcome !== "0" && outcome !== "1") {
    throw new InputError(`${OUTCOME_COLUMN} (row ${row})`, "0 or 1", outcome);
  }
  const labelled: LabelledCustomer = { ...customer, buysNextMonth: outcome === "1" ? 1 : 0 };
  return labelled;
}

function requireText(value: string, column: string, row: number): string {
  if (value.trim() === "") throw new InputError(`${column} (row ${row})`, "a non-empty text", value);
  return value;
}

const AGE_RANGE = `a whole number of years in [0, ${MAX_AGE}]`;

function parseAge(value: string, row: number): number {
  const age = /^\d{1,3}$/.test(value) ? Number(value) : NaN;
  if (!(age >= 0 && age <= MAX_AGE)) throw new InputError(`age (row ${row})`, AGE_RANGE, value);
  return age;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function parseEmail(value: string, row: number): string {
  if (!EMAIL.test(value)) throw new InputError(`email (row ${row})`, "an address like name@example.com", value);
  return value;
}

const ENTRY = /^(\d{4}-\d{2}-\d{2}):(\d+\.\d{2})$/;
const ENTRY_FORMAT = "YYYY-MM-DD:amount with a real date and a positive amount with 2 decimals";

function parseHistory(value: string, row: number): Purchase[] {
  if (value === "") {
    throw new InputError(`purchase_history (row ${row})`, `at least one purchase (${ENTRY_FORMAT}, joined by ;)`, value);
  }
  return value.split(";").map((entry, k) => {
    const match = ENTRY.exec(entry);
    const amount = match ? Number(match[2]) : NaN;
    if (!match || dayNumber(match[1]) === undefined || !(amount > 0)) {
      throw new InputError(`purchase_history (row ${row}, entry ${k + 1})`, ENTRY_FORMAT, entry);
    }
    return { date: match[1], amount };
  });
}

function formatAge(age: unknown, row: number): string {
  if (typeof age !== "number") throw new InputError(`age (row ${row})`, AGE_RANGE, age);
  return String(age);
}

/** Only strings are written as text; a number or object would be converted silently. */
function asText(value: unknown, column: string, row: number): string {
  if (typeof value !== "string") throw new InputError(`${column} (row ${row})`, "a string", value);
  return value;
}

function formatHistory(history: readonly Purchase[], row: number): string {
  if (!Array.isArray(history as unknown)) throw new InputError(`purchaseHistory (row ${row})`, "an array of purchases", history);
  return history
    .map((p, k) => {
      const cents = Math.round(p?.amount * 100);
      // Only whole cents are written; anything finer would be rounded away silently.
      if (!Number.isFinite(p?.amount) || Math.abs(cents - p.amount * 100) > 1e-6) {
        throw new InputError(
          `purchaseHistory (row ${row}, entry ${k + 1}).amount`,
          "a positive amount in whole cents",
          p?.amount,
        );
      }
      return `${p.date}:${(cents / 100).toFixed(2)}`;
    })
    .join(";");
}
