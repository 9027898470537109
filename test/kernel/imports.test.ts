import { describe, expect, it } from "vitest";
import { loadTypeScript } from "../../src/kernel/engine";
import { importEdits, lineAndCharacter, restoreMessage, rerootSpecifier, rewriteImports, toOriginal, toRewritten } from "../../src/kernel/imports";

const ts = loadTypeScript();

describe("re-rooting a notebook's relative imports", () => {
  it("rewrites specifiers relative to the notebook into specifiers relative to the project root", () => {
    expect(rerootSpecifier("../src/kernel/display", "/repo/notebooks", "/repo")).toBe("./src/kernel/display");
    expect(rerootSpecifier("./helpers", "/repo/notebooks", "/repo")).toBe("./notebooks/helpers");
    expect(rerootSpecifier("../../elsewhere", "/repo/notebooks", "/repo")).toBe("/elsewhere");
  });

  it("leaves `./name` alone when it names a `@module` cell (tslab keeps those at the compiler's root)", () => {
    const code = 'import * as mylib from "./mylib";\nimport * as other from "./other";\nimport * as deep from "./mylib/x";';
    const edits = importEdits(ts, code, "/repo/notebooks", "/repo", new Set(["mylib"]));
    expect(edits.map((e) => [e.original, e.replacement])).toEqual([
      ["./other", "./notebooks/other"],
      ["./mylib/x", "./notebooks/mylib/x"],
    ]);
  });

  it("rewrites import, export-from, import() and require(), leaving packages alone", () => {
    const code = 'import { display } from "../src/kernel/display";\nimport * as tf from "@tensorflow/tfjs";\nconst m = require("./local");\nawait import("../src/x");';
    const { code: out, edits } = rewriteImports(ts, code, "/repo/notebooks", "/repo");
    expect(out).toBe('import { display } from "./src/kernel/display";\nimport * as tf from "@tensorflow/tfjs";\nconst m = require("./notebooks/local");\nawait import("./src/x");');
    expect(edits).toHaveLength(3);
    expect(rewriteImports(ts, code, "/repo", "/repo").code).toBe(code);
  });

  it("maps positions both ways so diagnostics and completions point into the cell as written", () => {
    const code = 'import { a } from "../src/a";\nconst b: string = 1;';
    const { code: out, edits } = rewriteImports(ts, code, "/repo/notebooks", "/repo");
    const inCell = code.indexOf("b: string");
    const inOut = out.indexOf("b: string");
    expect(toRewritten(edits, inCell)).toBe(inOut);
    expect(toOriginal(edits, inOut)).toBe(inCell);
    expect(toOriginal(edits, 3)).toBe(3); // before any edit
    expect(lineAndCharacter(code, inCell)).toEqual({ line: 1, character: 6 });
    expect(restoreMessage(edits, "Cannot find module './src/a' or its corresponding type declarations.")).toBe(
      "Cannot find module '../src/a' or its corresponding type declarations.",
    );
  });
});
