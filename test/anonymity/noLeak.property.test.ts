/**
 * The anonymiser cannot leak by default (issue 13's property): for random tables holding
 * names, emails and phone numbers, whatever roles are declared, `anonymize` either refuses or
 * releases a table in which no direct-identifier value of the input appears (exact and
 * case-folded scan of every cell), and no numeric interval bound equals an input value of a
 * column detected as an identifier. Checked on the library and on the command line.
 */
import fc from "fast-check";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { anonymizeTable, numericRange, parseCsvTable, ROLE_NAMES, type Cell, type Table } from "../../src/anonymity";
import { detectIdentifier } from "../../src/anonymity/identifiers";
import { InputError } from "../../src/validation/errors";
import { cliInProcess } from "../helpers/cliInProcess";

const FIRST = ["Maria", "John", "Ann", "Peter", "Linda", "James", "Susan", "Robert", "Karen", "David", "Emily", "Daniel"];
const LAST = ["Lopez", "Smith", "Lee", "Brown", "Green", "Johnson", "Garcia", "Miller", "Davis", "Wilson", "Moore", "Clark"];
const IDENTIFIERS = ["name", "email", "phone"] as const;
const COLUMNS = [...IDENTIFIERS, "age", "disease"];

const personArb = fc.record({
  first: fc.constantFrom(...FIRST),
  last: fc.constantFrom(...LAST),
  domain: fc.constantFrom("example.org", "mail.com", "uni.edu"),
  age: fc.integer({ min: 18, max: 90 }),
  disease: fc.constantFrom("flu", "cold", "asthma"),
});

/** Phone numbers as people write them: digits, formatted text, or with a leading zero (read as text). */
const phoneStyle = fc.constantFrom("digits", "formatted", "leading-zero");
const tableArb = fc.integer({ min: 4, max: 24 }).chain((n) =>
  fc.tuple(
    fc.array(personArb, { minLength: n, maxLength: n }),
    fc.uniqueArray(fc.integer({ min: 2_000_000_000, max: 9_999_999_999 }), { minLength: n, maxLength: n }),
    phoneStyle,
  ).map(([people, phones, style]): Table => ({
    columns: COLUMNS,
    data: {
      name: people.map((p) => `${p.first} ${p.last}`),
      email: people.map((p, i) => `${p.first}.${p.last}${i}@${p.domain}`.toLowerCase()),
      phone: phones.map((d) => (style === "digits" ? d : style === "formatted" ? `+1 ${String(d).slice(0, 3)}-${String(d).slice(3, 6)}-${String(d).slice(6)}` : `0${d}`)),
      age: people.map((p) => p.age),
      disease: people.map((p) => p.disease),
    },
  })),
);

/**
 * Each column's declared role, or none (then keepUnclassified decides). Half the draws drop
 * the three identifiers and vary only the other columns, so releases happen often enough to scan.
 */
const anyRole = fc.constantFrom(...ROLE_NAMES, "none" as const);
const rolesArb = fc.record({
  assignment: fc.oneof(
    fc.tuple(...COLUMNS.map(() => anyRole)),
    fc.tuple(fc.constant("direct"), fc.constant("direct"), fc.constant("direct"), anyRole, anyRole),
  ),
  keepUnclassified: fc.boolean(),
  algorithm: fc.constantFrom("mondrian" as const, "full-domain" as const),
});

function declaredRoles(assignment: readonly string[]): Record<string, string[]> {
  const roles: Record<string, string[]> = {};
  COLUMNS.forEach((column, i) => {
    if (assignment[i] !== "none") (roles[assignment[i]] ??= []).push(column);
  });
  return roles;
}

/** Identifier values of the input, as text, and the numbers among them. */
function identifierValues(table: Table): { texts: string[]; numbers: Set<number> } {
  const texts: string[] = [];
  const numbers = new Set<number>();
  for (const column of table.columns) {
    if (!detectIdentifier(column, table.data[column])) continue;
    for (const value of Array.from(table.data[column])) {
      texts.push(String(value).toLowerCase());
      if (typeof value === "number") numbers.add(value);
    }
  }
  return { texts, numbers };
}

/** Throws if a released cell contains an identifier value or a bound equal to one. */
function expectNoLeak(input: Table, cells: readonly Cell[]): void {
  const { texts, numbers } = identifierValues(input);
  // The generated identifier columns are always detected: the scan below is not vacuous.
  expect(texts.length).toBe(3 * input.data.name.length);
  for (const cell of cells) {
    const folded = String(cell).toLowerCase();
    for (const value of texts) {
      if (folded === value || folded.includes(value)) throw new Error(`released cell "${cell}" holds the identifier "${value}"`);
    }
    const range = numericRange(cell);
    if (range && range !== "any" && (numbers.has(range.low) || numbers.has(range.high))) {
      throw new Error(`released interval "${cell}" has an identifier's value as a bound`);
    }
  }
}

describe("no direct identifier is released, whatever the roles", () => {
  it("anonymizeTable refuses or releases no identifier value", () => {
    let released = 0;
    let refused = 0;
    fc.assert(
      fc.property(tableArb, rolesArb, (table, { assignment, keepUnclassified, algorithm }) => {
        let result;
        try {
          result = anonymizeTable(table, { roles: declaredRoles(assignment), keepUnclassified, k: 2, algorithm });
        } catch (error) {
          if (!(error instanceof InputError)) throw error;
          refused++;
          return;
        }
        released++;
        const out = result.output.table;
        expectNoLeak(table, out.columns.flatMap((c) => Array.from(out.data[c])));
      }),
      { seed: 13, numRuns: 400 },
    );
    // Both outcomes happen: roles that drop the identifiers release, the others are refused.
    expect(released).toBeGreaterThan(50);
    expect(refused).toBeGreaterThan(100);
  });

  it("the command line refuses or writes a file with no identifier value in it", async () => {
    const dir = mkdtempSync(join(tmpdir(), "pc-noleak-"));
    let written = 0;
    await fc.assert(
      fc.asyncProperty(tableArb, rolesArb, async (table, { assignment, keepUnclassified, algorithm }) => {
        const input = join(dir, `in-${written}-${Math.random().toString(36).slice(2)}.csv`);
        const out = `${input}.out.csv`;
        const csv = [COLUMNS.join(","), ...Array.from(table.data.name, (_, i) => COLUMNS.map((c) => String(table.data[c][i])).join(","))].join("\n") + "\n";
        writeFileSync(input, csv);
        const roles = declaredRoles(assignment);
        const flags = Object.entries(roles).flatMap(([role, columns]) => [`--${role}`, columns.join(",")]);
        const run = await cliInProcess(["anonymize", input, ...flags, ...(keepUnclassified ? ["--keep-unclassified"] : []), "--k", "2", "--algorithm", algorithm, "--out", out]);
        if (run.code !== 0) {
          expect(run.code).toBe(2);
          expect(() => readFileSync(out)).toThrow();
          return;
        }
        written++;
        const text = readFileSync(out, "utf8");
        for (const value of identifierValues(table).texts) expect(text.toLowerCase().includes(value), value).toBe(false);
        const release = parseCsvTable(text).output;
        expectNoLeak(table, release.columns.flatMap((c) => Array.from(release.data[c])));
      }),
      { seed: 31, numRuns: 60 },
    );
    expect(written).toBeGreaterThan(5);
  });
});
