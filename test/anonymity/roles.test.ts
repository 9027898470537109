import { describe, expect, it } from "vitest";
import {
  anonymizeTable,
  CUSTOMER_ROLES,
  customerTable,
  loadCpsWages,
  CPS_ROLES,
  measureAnonymity,
  numericRange,
  parseCsvTable,
  tableFromRecords,
} from "../../src/anonymity";
import { autoGrid } from "../../src/anonymity/hierarchy";
import { detectIdentifier } from "../../src/anonymity/identifiers";
import { resolveReleaseRoles } from "../../src/anonymity/roles";
import { loadCustomerDataset } from "../../src/data/datasets";
import { InputError } from "../../src/validation/errors";

const people = tableFromRecords([
  { name: "Maria Lopez", email: "maria@example.org", phone: "+1 555-123-4567", age: 34, disease: "flu" },
  { name: "John Smith", email: "john@example.com", phone: "+1 555-987-6543", age: 36, disease: "cold" },
  { name: "Ann Lee", email: "ann@example.net", phone: "(555) 000-1111", age: 41, disease: "flu" },
  { name: "Peter Brown", email: "peter@example.org", phone: "555 222 3333", age: 45, disease: "asthma" },
]);

describe("direct identifiers are detected", () => {
  it("emails, phones, full names, national IDs; not towns, codes or amounts", () => {
    expect(detectIdentifier("email", people.data.email)?.kind).toBe("email");
    expect(detectIdentifier("phone", people.data.phone)?.kind).toBe("phone");
    expect(detectIdentifier("name", people.data.name)?.kind).toBe("full-name");
    expect(detectIdentifier("ssn", ["123-45-6789", "987-65-4321"])?.kind).toBe("national-id");
    expect(detectIdentifier("nino", ["QQ123456C", "AB 12 34 56 D"])?.kind).toBe("national-id");
    expect(detectIdentifier("mobile", [5551234567, 5559876543, 4155550000])?.kind).toBe("phone");
    const notes = Array.from({ length: 12 }, (_, i) => `visit note ${i} about the knee`);
    expect(detectIdentifier("notes", notes)?.kind).toBe("unique-text");
    // Not identifiers: places with two capitalised words, repeated amounts, dates, ages, categories.
    expect(detectIdentifier("town", ["Los Angeles", "San Diego", "El Paso", "New York"])).toBeNull();
    expect(detectIdentifier("income", [2_000_000, 2_000_000, 3_500_000, 2_000_000])).toBeNull();
    expect(detectIdentifier("visit", ["2024-01-03", "2024-02-11"])).toBeNull();
    expect(detectIdentifier("age", [34, 36, 41])).toBeNull();
    expect(detectIdentifier("disease", Array.from({ length: 30 }, (_, i) => ["flu", "cold", "asthma"][i % 3]))).toBeNull();
  });

  it("the course's own tables: only the declared direct identifiers are flagged", () => {
    const customers = customerTable(loadCustomerDataset().customers);
    const flagged = resolveReleaseRoles(customers, CUSTOMER_ROLES).identifiers.map((f) => [f.column, f.kind]);
    expect(flagged).toEqual([
      ["name", "full-name"],
      ["email", "email"],
    ]);
    expect(resolveReleaseRoles(loadCpsWages().output, CPS_ROLES).identifiers).toEqual([]);
  });
});

describe("a release needs a role for every column (ARX's rule)", () => {
  it("refuses unclassified columns, listing them and what they look like", () => {
    expect(() => anonymizeTable(people, { roles: { quasi: ["age"], sensitive: ["disease"] }, k: 2 })).toThrow(
      /every column of the table must be given a role .*got "no role for name \(looks like full-name\), email \(looks like email\), phone \(looks like phone\)"/,
    );
  });

  it("keeps unclassified columns only when asked, with a warning; never one that looks like an identifier", () => {
    const table = tableFromRecords([
      { age: 30, note: "a", disease: "flu" },
      { age: 31, note: "b", disease: "cold" },
      { age: 40, note: "a", disease: "flu" },
      { age: 41, note: "b", disease: "cold" },
    ]);
    const kept = anonymizeTable(table, { roles: { quasi: ["age"], sensitive: ["disease"] }, keepUnclassified: true, k: 2 });
    expect(kept.output.table.columns).toContain("note");
    expect(kept.trace.unclassified).toEqual(["note"]);
    expect(kept.trace.warnings).toEqual([expect.stringMatching(/^note has no declared role; kept as it is/)]);
    expect(kept.trace.columns.find((c) => c.column === "note")?.detail).toMatch(/WARNING/);
    expect(() => anonymizeTable(people, { roles: { quasi: ["age"], sensitive: ["disease"] }, keepUnclassified: true, k: 2 })).toThrow(
      /column name must be declared, not kept unclassified: it looks like a direct identifier \(full-name/,
    );
  });

  it("refuses an identifier declared as anything but direct, unless declared not to be one", () => {
    const roles = { direct: ["name", "phone"], quasi: ["age"], sensitive: ["disease"] };
    for (const role of ["insensitive", "sensitive", "quasi"] as const) {
      const declared = { ...roles, [role]: [...((roles as Record<string, string[]>)[role] ?? []), "email"] };
      expect(() => anonymizeTable(people, { roles: declared, k: 2 })).toThrow(new RegExp(`roles.${role} must be free of columns that look like direct identifiers \\(email, email`));
    }
    const released = anonymizeTable(people, { roles: { ...roles, direct: [...roles.direct, "email"] }, k: 2 });
    expect(released.output.table.columns).toEqual(["age", "disease"]);
    const overridden = anonymizeTable(people, { roles: { ...roles, insensitive: ["email"] }, notIdentifiers: ["email"], k: 2 });
    expect(overridden.trace.warnings).toEqual([expect.stringMatching(/^email looks like a direct identifier \(email: 4 of 4 cells are email addresses\) but was declared not to be one/)]);
  });
});

describe("numbers and codes in CSV", () => {
  it("reads only decimal numbers; leading zeros and declared codes stay text", () => {
    const { output, trace } = parseCsvTable("zip,n,acct\n02138,0x10,123\n02139,1e3,456\n10001,-0.5,789\n");
    expect(output.data.zip).toEqual(["02138", "02139", "10001"]);
    expect(trace.columns[1].firstProblem).toEqual({ row: 1, value: "0x10", problem: "text in a numeric column" });
    expect(output.data.n).toEqual(["0x10", 1000, -0.5]);
    expect(parseCsvTable("zip,acct\n1,123\n2,456\n", "f.csv", { textColumns: ["acct"] }).output.data.acct).toEqual(["123", "456"]);
    expect(() => parseCsvTable("a\n1\n", "f.csv", { textColumns: ["b"] })).toThrow(/textColumns must be columns of f.csv \(a\); got "b"/);
  });
});

describe("measureAnonymity", () => {
  it("refuses a sensitive column that is also a quasi-identifier (the roles' one rule)", () => {
    const table = tableFromRecords([
      { age: 30, disease: "flu" },
      { age: 31, disease: "cold" },
    ]);
    expect(() => measureAnonymity(table, { quasi: ["age"], sensitive: ["age"] })).toThrow(InputError);
    expect(() => measureAnonymity(table, { quasi: ["age"], sensitive: ["age"] })).toThrow(/sensitive must be columns with one role each \("age" is already quasi\)/);
    expect(() => measureAnonymity(table, { quasi: ["age"], sensitive: ["zip"] })).toThrow(/sensitive must be column names of the table/);
  });
});

describe("numeric quasi-identifiers are published on rounded bounds", () => {
  it("a phone column forced through as a quasi-identifier leaks none of its 20 values through interval labels", () => {
    // The case: 20 phone numbers; the class's [min, max] used to publish 16 of them.
    // (A value that happens to sit on a grid point, such as 5550000000, would coincide with a bound:
    // the bound is the grid's, the same whether or not that value is in the data.)
    const phones = Array.from({ length: 20 }, (_, i) => 5_550_001_234 + ((i * 7_919_113) % 9_999_991));
    const table = tableFromRecords(phones.map((phone, i) => ({ phone, disease: ["flu", "cold"][i % 2] })));
    const released = anonymizeTable(table, { roles: { quasi: ["phone"], sensitive: ["disease"] }, notIdentifiers: ["phone"], k: 2 });
    expect(released.trace.warnings).toEqual([expect.stringMatching(/^phone looks like a direct identifier \(phone:/)]);
    const bounds = Array.from(released.output.table.data.phone).flatMap((label) => {
      const range = numericRange(label);
      return range && range !== "any" ? [range.low, range.high] : [];
    });
    expect(bounds.length).toBe(40);
    expect(bounds.filter((b) => phones.includes(b))).toEqual([]);
    // The bounds sit on the column's grid: multiples of one "nice" width.
    const grid = autoGrid(Math.min(...phones), Math.max(...phones), true);
    expect(grid.width).toBe(500_000); // a "nice" width near a 32nd of the range
    for (const b of bounds) expect(Number.isInteger((b - grid.origin) / grid.width)).toBe(true);
  });
});
