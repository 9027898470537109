import { describe, expect, it } from "vitest";
import { loadTypeScript } from "../../src/kernel/engine";
import { classifyCompleteness, nextIndent } from "../../src/kernel/isComplete";

const ts = loadTypeScript(); // tslab's TypeScript 5.0, the one the kernel parses with

describe("is_complete classification", () => {
  it.each(["1 + 1", "const x: number = 1;", "function f() {\n  return 1;\n}", "f(1)\n", "", "   ", "type T = { a: number }"])(
    "%j is complete",
    (code) => expect(classifyCompleteness(ts, code).status).toBe("complete"),
  );

  it.each(["function f() {", "const y = [1,\n", "if (x) {\n  foo(", "`template", "/* comment", "let x = ", "class A {\n  m() {\n", "'abc\\"])(
    "%j is incomplete",
    (code) => expect(classifyCompleteness(ts, code).status).toBe("incomplete"),
  );

  it.each(["1 +* 2", "f(1))", ")", "else", "}", '"unterminated', "/regex", "const = 5"])("%j is invalid", (code) =>
    expect(classifyCompleteness(ts, code).status).toBe("invalid"),
  );

  it("says invalid, not incomplete, once the learner leaves a blank line (consoles then run it)", () => {
    expect(classifyCompleteness(ts, "function f() {\n\n").status).toBe("invalid");
  });

  it("suggests the next line's indentation", () => {
    expect(classifyCompleteness(ts, "function f() {")).toEqual({ status: "incomplete", indent: "  " });
    expect(nextIndent("  if (x) {")).toBe("    ");
    expect(nextIndent("  foo(1,")).toBe("  ");
    expect(nextIndent("const f = () =>")).toBe("  ");
  });

  it("dedents after a line that closes a bracket, not after one that closes and opens", () => {
    expect(classifyCompleteness(ts, "function f() {\n  if (x) {\n    }")).toEqual({ status: "incomplete", indent: "  " });
    expect(classifyCompleteness(ts, "const rows = [\n  [\n    1,\n    ],")).toEqual({ status: "incomplete", indent: "  " });
    expect(nextIndent("\t\t}")).toBe("\t");
    expect(nextIndent("}")).toBe("");
    expect(nextIndent("  } else {")).toBe("    ");
  });
});
