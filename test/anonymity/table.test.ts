import { describe, expect, it } from "vitest";
import { parseCsvTable, requireCleanColumns, tableFromRecords, tableToCsv, tableToRecords, resolveRoles } from "../../src/anonymity";
import { InputError } from "../../src/validation/errors";

describe("CSV tables", () => {
  it("detects numeric columns and round-trips generalised cells", () => {
    const { output, trace } = parseCsvTable("age,zip,city\n34,02138,Boston\n\"[20, 29]\",02139,*\n41,02140,Austin\n");
    expect(trace.columns.map((c) => c.kind)).toEqual(["numeric", "categorical", "categorical"]);
    expect(output.data.age).toEqual([34, "[20, 29]", 41]);
    // A leading zero makes a code, read as text: "02138" keeps its zero.
    expect(output.data.zip).toEqual(["02138", "02139", "02140"]);
    const again = parseCsvTable(tableToCsv(output)).output;
    expect(again.data).toEqual(output.data);
  });

  it("reports text in a numeric column, and role columns must be clean", () => {
    const { trace } = parseCsvTable("age,city\n34,a\n4O,b\n41,c\n");
    expect(trace.columns[0].firstProblem).toEqual({ row: 2, value: "4O", problem: "text in a numeric column" });
    expect(() => requireCleanColumns(trace, ["city"])).not.toThrow();
    expect(() => requireCleanColumns(trace, ["age"])).toThrow(/column age, data row 2 must be a number .*got "4O"/);
    const empty = parseCsvTable("age,city\n34,\n35,b\n").trace;
    expect(() => requireCleanColumns(empty, ["city"])).toThrow(/empty cell/);
  });

  it("rejects malformed CSV with the line", () => {
    expect(() => parseCsvTable("a,b\n1,2\n3\n")).toThrow(/line 3 must be 2 fields like the header; got "1 fields"/);
    expect(() => parseCsvTable('a,b\n"1,2\n')).toThrow(/must be well-formed CSV/);
    expect(() => parseCsvTable("")).toThrow(InputError);
    expect(() => parseCsvTable("a,a\n1,2\n")).toThrow(/unique column names/);
    expect(() => parseCsvTable("a,b\n")).toThrow(/at least one data row/);
  });

  it("converts to and from records", () => {
    const table = tableFromRecords([{ a: 1, b: "x" }, { a: 2, b: "y" }]);
    expect(tableToRecords(table)).toEqual([{ a: 1, b: "x" }, { a: 2, b: "y" }]);
    expect(() => tableFromRecords([{ a: 1 }, { a: null as unknown as number }])).toThrow(/records\[1\].a/);
  });
});

describe("roles", () => {
  const table = tableFromRecords([{ name: "A", age: 1, city: "x", disease: "flu", note: "n" }]);
  it("leave unmentioned columns insensitive", () => {
    expect(resolveRoles(table, { direct: ["name"], quasi: ["age", "city"], sensitive: ["disease"] })).toEqual({
      direct: ["name"],
      quasi: ["age", "city"],
      sensitive: ["disease"],
      insensitive: ["note"],
    });
  });
  it("reject unknown columns, double roles and no quasi-identifier", () => {
    expect(() => resolveRoles(table, { quasi: ["zip"] })).toThrow(/roles.quasi must be column names of the table/);
    expect(() => resolveRoles(table, { quasi: ["age"], sensitive: ["age"] })).toThrow(/already roles.quasi/);
    expect(() => resolveRoles(table, { sensitive: ["disease"] })).toThrow(/at least one quasi-identifier/);
  });
});
