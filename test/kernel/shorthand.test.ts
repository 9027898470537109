import { describe, expect, it } from "vitest";
import { loadTypeScript } from "../../src/kernel/engine";
import { applyEdits, importEdits, restoreMessage, toOriginal, toRewritten } from "../../src/kernel/imports";
import { shorthandEdits } from "../../src/kernel/shorthand";

const ts = loadTypeScript();
const expand = (code: string) => applyEdits(code, shorthandEdits(ts, code));

describe("spelling out shorthand properties", () => {
  it("turns every shorthand property into name: name, nested and in destructuring assignments", () => {
    expect(expand("const o = { steps, rate: 2, inner: { seed } };").code).toBe("const o = { steps: steps, rate: 2, inner: { seed: seed } };");
    expect(expand("({ a, b = 1 } = source);").code).toBe("({ a: a, b: b = 1 } = source);");
    expect(expand("f({ x });").code).toBe("f({ x: x });");
  });

  it("leaves binding patterns, methods and spread alone", () => {
    for (const code of ["const { a, b } = o;", "function f({ a }: { a: number }) { return a; }", "const o = { ...p, m() { return 1; } };"]) {
      expect(expand(code).code).toBe(code);
    }
  });

  it("maps positions and messages back across the insertions and the re-rooted imports together", () => {
    const code = 'import { x } from "../src/x";\nconst o = { x, y };\nbad';
    const { code: out, edits } = applyEdits(code, [...importEdits(ts, code, "/repo/notebooks", "/repo"), ...shorthandEdits(ts, code)]);
    expect(out).toBe('import { x } from "./src/x";\nconst o = { x: x, y: y };\nbad');
    const bad = code.indexOf("bad");
    expect(out.slice(toRewritten(edits, bad), toRewritten(edits, bad) + 3)).toBe("bad");
    expect(toOriginal(edits, out.indexOf("bad"))).toBe(bad);
    expect(toOriginal(edits, out.indexOf(": y"))).toBe(code.indexOf("y }") + 1);
    expect(restoreMessage(edits, "Cannot find module './src/x'. Cannot find name 'y'.")).toBe("Cannot find module '../src/x'. Cannot find name 'y'.");
  });
});
