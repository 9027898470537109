/**
 * Columns that look like direct identifiers: email addresses, phone numbers (and other long
 * numeric identifiers), national ID numbers, full names, and free text in which nearly every
 * value is unique. A release must never keep one of these by accident, so `anonymizeTable`
 * refuses to keep a detected column unless it is declared a direct identifier (dropped) or
 * explicitly marked as not one (`notIdentifiers`). Detection is a safety net under the
 * declared roles, not a replacement for them: it finds what patterns can find.
 *
 * Full names are recognised by their shape (two to four capitalised words) together with
 * faker's English first- and last-name lists (the lists the course's own data is drawn from),
 * so "Los Angeles" is a place and "Maria Lopez" a person.
 */
import { en } from "@faker-js/faker";
import type { Cell } from "./table";

export const IDENTIFIER_KINDS = ["email", "phone", "national-id", "full-name", "unique-text"] as const;
export type IdentifierKind = (typeof IDENTIFIER_KINDS)[number];

export interface IdentifierFinding {
  column: string;
  kind: IdentifierKind;
  /** Cells (of the examined sample) that match the pattern, and the sample's non-empty cells. */
  matched: number;
  of: number;
  /** What the finding means, without quoting any value. */
  description: string;
}

/** At most this many cells per column are examined (evenly spaced), so a million rows cost little. */
export const DETECTION_SAMPLE = 5000;
/** A pattern must match at least this share of the non-empty cells. */
export const DETECTION_SHARE = 0.5;
/** Text in which this share of the values (or more) is unique singles people out... */
export const UNIQUE_TEXT_SHARE = 0.9;
/** ...once there are enough values for uniqueness to mean something. */
export const UNIQUE_TEXT_MIN_CELLS = 10;

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const PHONE_TEXT = /^\+?[\d\s().\-/]+$/;
const DATE_LIKE = /^\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}$/;
const SSN = /^\d{3}-\d{2}-\d{4}$/;
const UK_NATIONAL_INSURANCE = /^[A-CEGHJ-PR-TW-Z]{2}\s?\d{2}\s?\d{2}\s?\d{2}\s?[A-D]$/i;
const NAME_SHAPE = /^\p{Lu}[\p{L}'’.-]*(?:\s+\p{Lu}[\p{L}'’.-]*){1,3}$/u;

let names: { first: Set<string>; last: Set<string> } | undefined;
function nameLists(): { first: Set<string> } & { last: Set<string> } {
  if (!names) {
    const first = en.person?.first_name as { generic?: string[]; female?: string[]; male?: string[] } | undefined;
    const last = en.person?.last_name as { generic?: string[] } | undefined;
    names = {
      first: new Set([...(first?.generic ?? []), ...(first?.female ?? []), ...(first?.male ?? [])].map((n) => n.toLowerCase())),
      last: new Set((last?.generic ?? []).map((n) => n.toLowerCase())),
    };
  }
  return names;
}

function digits(text: string): number {
  let count = 0;
  for (const ch of text) if (ch >= "0" && ch <= "9") count++;
  return count;
}

function isPhone(cell: Cell): boolean {
  if (typeof cell === "number") return Number.isInteger(cell) && Math.abs(cell) >= 1e6 && Math.abs(cell) < 1e15;
  return PHONE_TEXT.test(cell) && !DATE_LIKE.test(cell) && digits(cell) >= 7 && digits(cell) <= 15;
}

function isFullName(cell: Cell): boolean {
  if (typeof cell !== "string" || !NAME_SHAPE.test(cell)) return false;
  const words = cell.split(/\s+/).map((w) => w.toLowerCase().replace(/[.'’]/g, ""));
  const { first, last } = nameLists();
  return first.has(words[0]) || last.has(words[words.length - 1]);
}

/** Evenly spaced non-empty cells, at most DETECTION_SAMPLE of them. */
function sample(values: ArrayLike<Cell>): Cell[] {
  const step = Math.max(1, values.length / DETECTION_SAMPLE);
  const out: Cell[] = [];
  for (let i = 0; i < values.length; i += step) {
    const cell = values[Math.floor(i)];
    if (cell !== "" && cell !== undefined && cell !== null) out.push(typeof cell === "string" ? cell.trim() : cell);
  }
  return out;
}

/** The most telling finding for one column, or null when it looks like no direct identifier. */
export function detectIdentifier(column: string, values: ArrayLike<Cell>): IdentifierFinding | null {
  const cells = sample(values);
  const of = cells.length;
  if (of === 0) return null;
  const count = (test: (cell: Cell) => boolean): number => {
    let matched = 0;
    for (const cell of cells) if (test(cell)) matched++;
    return matched;
  };
  const share = (matched: number) => matched / of >= DETECTION_SHARE;
  const finding = (kind: IdentifierKind, matched: number, what: string): IdentifierFinding => ({
    column,
    kind,
    matched,
    of,
    description: `${matched} of ${of} cells ${what}`,
  });

  const emails = count((c) => typeof c === "string" && EMAIL.test(c));
  if (share(emails)) return finding("email", emails, "are email addresses");
  const ids = count((c) => typeof c === "string" && (SSN.test(c) || UK_NATIONAL_INSURANCE.test(c)));
  if (share(ids)) return finding("national-id", ids, "look like national ID numbers (SSN, National Insurance)");
  const distinct = new Set(cells.map(String)).size;
  const phones = count(isPhone);
  // Long numbers that repeat are amounts or codes shared by many; phone numbers and account numbers are not shared.
  if (share(phones) && (cells.some((c) => typeof c === "string") || distinct / of >= UNIQUE_TEXT_SHARE)) {
    return finding("phone", phones, "look like phone numbers or other long numeric identifiers");
  }
  const fullNames = count(isFullName);
  if (share(fullNames)) return finding("full-name", fullNames, "look like full names");
  const text = count((c) => typeof c === "string");
  if (text === of && of >= UNIQUE_TEXT_MIN_CELLS && distinct / of >= UNIQUE_TEXT_SHARE) {
    return finding("unique-text", distinct, "are distinct values of free text, nearly one per row");
  }
  return null;
}

/**
 * Kinds that always point at one person: such a column may only be dropped. Unique free text
 * may also be generalised as a quasi-identifier (a date of birth, a rare job title).
 */
export function mustBeDropped(kind: IdentifierKind): boolean {
  return kind !== "unique-text";
}
