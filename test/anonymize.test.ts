import { createHash, createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { loadCustomerDataset } from "../src/data/datasets";
import { TOWNS, type LabelledCustomer } from "../src/data/schema";
import { IdentifierLeakError, anonymize, pseudonym } from "../src/pipeline/anonymize";
import { InputError } from "../src/validation/errors";
import { expectInputError } from "./helpers/expectInputError";

const { customers } = loadCustomerDataset();
const KEY = "course-secret-key-0001";


/** An independent check: no name or email of any input row anywhere in the serialised output. */
function assertNoIdentifiers(output: unknown, input: readonly LabelledCustomer[]): void {
  const text = JSON.stringify(output).toLowerCase();
  for (const c of input) {
    expect(text.includes(c.name.toLowerCase())).toBe(false);
    expect(text.includes(c.email.toLowerCase())).toBe(false);
    expect(text.includes(c.email.split("@")[0].toLowerCase())).toBe(false);
  }
}

function person(overrides: Partial<LabelledCustomer> = {}): LabelledCustomer {
  return {
    name: "Audrey Kessler",
    age: 41,
    location: TOWNS[0].name,
    purchaseHistory: [{ date: "2026-10-01", amount: 12.5 }],
    email: "audrey.kessler@example.com",
    buysNextMonth: 1,
    ...overrides,
  };
}

describe("anonymize: dropping identifiers (default)", () => {
  const { output, trace } = anonymize(customers);

  it("keeps only age, location and purchase history (plus the label)", () => {
    expect(output).toHaveLength(1000);
    for (const row of output) {
      expect(Object.keys(row).sort()).toEqual(["age", "buysNextMonth", "location", "purchaseHistory"]);
    }
    expect(output[0].age).toBe(customers[0].age);
    expect(output[0].purchaseHistory).toEqual(customers[0].purchaseHistory);
    expect(trace.shape).toEqual({ input: { rows: 1000, columns: 5 }, output: { rows: 1000, columns: 3 } });
    expect(trace.outputColumns).toEqual(["age", "location", "purchase_history"]);
  });

  it("contains no name or email", () => {
    assertNoIdentifiers(output, customers);
    expect(trace.scan.leaks).toEqual([]);
    expect(trace.scan.scanned).toBe(3000);
    expect(trace.scan.searchedFor.emails).toBe(1000);
  });

  it("records what happened to each column", () => {
    expect(Object.fromEntries(trace.columns.map((c) => [c.column, c.action]))).toEqual({
      name: "dropped",
      age: "kept",
      location: "kept",
      purchase_history: "kept",
      email: "dropped",
    });
    expect(trace.outcome).toEqual({ column: "buys_next_month", action: "kept" });
    expect(trace.pseudonym).toBeNull();
    expect(JSON.parse(JSON.stringify(trace))).toEqual(trace);
  });

  it("is pure: the input is untouched and shares no objects with the output", () => {
    const input = [person()];
    const before = JSON.stringify(input);
    const result = anonymize(input).output;
    expect(JSON.stringify(input)).toBe(before);
    expect(result[0].purchaseHistory).not.toBe(input[0].purchaseHistory);
    expect(result[0].purchaseHistory[0]).not.toBe(input[0].purchaseHistory[0]);
  });

  it("works on rows without an outcome (prediction inputs)", () => {
    const { buysNextMonth: _unknown, ...row } = person();
    const result = anonymize([row]);
    expect(result.output[0]).not.toHaveProperty("buysNextMonth");
    expect(result.trace.outcome).toBeNull();
  });
});

describe("anonymize: pseudonymising", () => {
  const { output, trace } = anonymize(customers, { identifiers: "pseudonymize", key: KEY });

  it("adds a 16-hex-character pseudonym column and nothing identifying", () => {
    expect(trace.shape.output).toEqual({ rows: 1000, columns: 4 });
    expect(trace.outputColumns).toEqual(["pseudonym", "age", "location", "purchase_history"]);
    for (const row of output) expect(row.pseudonym).toMatch(/^[0-9a-f]{16}$/);
    assertNoIdentifiers(output, customers);
    expect(trace.scan.scanned).toBe(4000);
    expect(trace.columns.find((c) => c.column === "email")).toMatchObject({
      action: "pseudonymised",
      outputColumn: "pseudonym",
    });
    expect(trace.columns.find((c) => c.column === "name")?.action).toBe("dropped");
    expect(JSON.stringify(trace)).not.toContain(KEY);
  });

  it("is keyed: stable under one key, different under another, and not a plain hash", () => {
    const again = anonymize(customers, { identifiers: "pseudonymize", key: KEY }).output;
    const other = anonymize(customers, { identifiers: "pseudonymize", key: `${KEY}-other` }).output;
    expect(again.map((r) => r.pseudonym)).toEqual(output.map((r) => r.pseudonym));
    const differing = other.filter((r, i) => r.pseudonym !== output[i].pseudonym).length;
    expect(differing).toBe(1000);

    const c = customers[0];
    const sha = (s: string) => createHash("sha256").update(s).digest("hex");
    for (const plain of [sha(c.name), sha(c.email), sha(c.name.toLowerCase()), sha(c.email.toLowerCase())]) {
      expect(output[0].pseudonym).not.toBe(plain.slice(0, 16));
    }
    const hmac = createHmac("sha256", KEY).update(c.email.toLowerCase()).digest("hex").slice(0, 16);
    expect(output[0].pseudonym).toBe(hmac);
    expect(pseudonym(`  ${c.email.toUpperCase()} `, KEY)).toBe(hmac);
  });

  it("gives distinct customers distinct pseudonyms", () => {
    expect(new Set(output.map((r) => r.pseudonym)).size).toBe(1000);
  });

  it("requires a key of at least 16 characters, and never echoes it", () => {
    expectInputError(() => anonymize(customers, { identifiers: "pseudonymize" }), "key", /at least 16/);
    const error = expectInputError(
      () => anonymize(customers, { identifiers: "pseudonymize", key: "short-secret" }),
      "key",
      /at least 16/,
    );
    expect(error.message).not.toContain("short-secret");
    expectInputError(() => anonymize(customers, { key: KEY }), "key", /pseudonymize/);
    expectInputError(
      () => anonymize(customers, { identifiers: "hash" as "drop" }),
      "identifiers",
      /drop, pseudonymize/,
    );
  });
});

describe("anonymize: age bands", () => {
  it("generalises ages to the default bands", () => {
    const input = [person({ age: 17 }), person({ age: 18 }), person({ age: 34 }), person({ age: 65 }), person({ age: 90 })];
    const { output, trace } = anonymize(input, { ageBands: true });
    expect(output.map((r) => r.age)).toEqual(["0–17", "18–24", "25–34", "65+", "65+"]);
    expect(trace.columns.find((c) => c.column === "age")?.action).toBe("generalised");
    expect(trace.ageBands?.edges).toEqual([18, 25, 35, 45, 55, 65]);
  });

  it("accepts custom edges and rejects bad ones", () => {
    const { output } = anonymize([person({ age: 29 }), person({ age: 30 }), person({ age: 60 })], {
      ageBands: [30, 60],
    });
    expect(output.map((r) => r.age)).toEqual(["0–29", "30–59", "60+"]);
    expect(anonymize([person()], { ageBands: false }).output[0].age).toBe(41);
    expectInputError(() => anonymize([person()], { ageBands: [30, 20] }), "ageBands[1]");
    expectInputError(() => anonymize([person()], { ageBands: [0] }), "ageBands[0]");
    expectInputError(() => anonymize([person()], { ageBands: [30, 121] }), "ageBands[1]");
    expectInputError(() => anonymize([person()], { ageBands: [] }), "ageBands");
  });
});

describe("anonymize: the leak scan", () => {
  it("throws when a kept column carries a full name or an email", () => {
    const other = person({ name: "Zelda Quigley", email: "zq@example.com" });
    for (const location of ["Home of Audrey Kessler", "c/o audrey.kessler@example.com", "AUDREY KESSLER"]) {
      expect(() => anonymize([person({ location }), other])).toThrow(IdentifierLeakError);
    }
    // Someone else's email counts too, and the error says where without repeating it.
    try {
      anonymize([person(), person({ name: "Zelda Quigley", email: "zq@example.com", location: "zq@example.com" })]);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(IdentifierLeakError);
      const leak = (error as IdentifierLeakError).leaks[0];
      expect(leak).toEqual({ outputRow: 1, outputColumn: "location", kind: "email", inputRow: 1 });
      expect((error as Error).message).not.toContain("zq@example.com");
    }
  });

  it("searches name parts and email local parts in every column but location", () => {
    const smuggled = person({ purchaseHistory: [{ date: "2026-10-01 (for Kessler)", amount: 1 }] });
    try {
      anonymize([smuggled]);
      expect.unreachable();
    } catch (error) {
      expect((error as IdentifierLeakError).leaks).toEqual([
        { outputRow: 0, outputColumn: "purchase_history", kind: "name part", inputRow: 0 },
      ]);
    }
    const local = person({ email: "aud_k77@example.com", purchaseHistory: [{ date: "aud_k77", amount: 1 }] });
    expect(() => anonymize([local])).toThrow(/the email local part of input row 0/);
  });

  it("does not flag a town that shares a word with someone's name", () => {
    // faker builds towns from names ("East Audrey"); a surname inside a town is not a leak.
    const rows = [person({ location: "East Audrey" }), person({ name: "Kim Smith", location: "Smithfield", email: "k@x.io" })];
    expect(anonymize(rows).trace.scan.leaks).toEqual([]);
  });

  it("does not flag a name part that happens to appear inside a hex pseudonym", () => {
    // A name part made of the digest's own first characters: a chance match, not a leak.
    const part = pseudonym("audrey.kessler@example.com", KEY).slice(0, 6);
    const rows = [person({ name: `Al ${part}` })];
    const { output, trace } = anonymize(rows, { identifiers: "pseudonymize", key: KEY });
    expect(output[0].pseudonym?.startsWith(part)).toBe(true);
    expect(trace.scan.leaks).toEqual([]);
  });

  it("validates the rows it scans", () => {
    expectInputError(() => anonymize("x" as unknown as LabelledCustomer[]), "customers");
    expectInputError(() => anonymize([person({ name: "" })]), "customers[0].name");
    expectInputError(() => anonymize([person({ email: 5 as unknown as string })]), "customers[0].email");
    expectInputError(() => anonymize([person({ age: 130 })]), "customers[0].age", /\[0, 120\]/);
    expectInputError(() => anonymize([person(), person({ buysNextMonth: 2 as 1 })]), "customers[1].buysNextMonth");
  });
});
