/**
 * A notebook imports the project it lives in by its package name, as Node's self-reference does:
 * the types come from the package's declarations (a type error in the cell is reported), the
 * value from its compiled JavaScript; subpaths work through typesVersions.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadTypeScript, TypeScriptEngine } from "../../src/kernel/engine";
import { selfReferenceForwarder, selfReferenceName, selfReferenceSpecifiers } from "../../src/kernel/selfReference";

let root: string;
let engine: TypeScriptEngine;

const PACKAGE = {
  name: "scratch-lib",
  private: true,
  types: "./out/index.d.ts",
  typesVersions: { "*": { extra: ["./out/extra.d.ts"] } },
  exports: {
    ".": { types: "./out/index.d.ts", default: "./out/index.js" },
    "./extra": { types: "./out/extra.d.ts", default: "./out/extra.js" },
  },
};

beforeAll(() => {
  root = mkdtempSync(path.join(os.tmpdir(), "privacy-course-self-"));
  mkdirSync(path.join(root, "out"));
  mkdirSync(path.join(root, "notebooks"));
  writeFileSync(path.join(root, "package.json"), JSON.stringify(PACKAGE));
  writeFileSync(path.join(root, "out", "index.js"), "exports.spend = (epsilon) => epsilon / 2;\n");
  writeFileSync(path.join(root, "out", "index.d.ts"), "export declare function spend(epsilon: number): number;\n");
  writeFileSync(path.join(root, "out", "extra.js"), 'exports.unit = "person";\n');
  writeFileSync(path.join(root, "out", "extra.d.ts"), 'export declare const unit: "person" | "example";\n');
  engine = new TypeScriptEngine(path.join(root, "notebooks"));
}, 60_000);

afterAll(() => {
  engine?.close();
  rmSync(root, { recursive: true, force: true });
});

describe("importing the project by its package name", () => {
  it("reads the name only from a package.json with exports (Node self-references only then)", () => {
    expect(selfReferenceName(root)).toBe("scratch-lib");
    const bare = mkdtempSync(path.join(os.tmpdir(), "privacy-course-self-bare-"));
    writeFileSync(path.join(bare, "package.json"), '{ "name": "bare" }');
    expect(selfReferenceName(bare)).toBeUndefined();
    rmSync(bare, { recursive: true });
  });

  it("forwards only the package's virtual node_modules folder to the project root", () => {
    const forward = selfReferenceForwarder(root)!;
    expect(forward(path.join(root, "node_modules", "scratch-lib", "out", "index.d.ts"))).toBe(path.join(root, "out", "index.d.ts"));
    expect(forward(path.join(root, "node_modules", "scratch-libx", "index.d.ts"))).toBe(path.join(root, "node_modules", "scratch-libx", "index.d.ts"));
    expect(forward(path.join(root, "node_modules", "other", "index.d.ts"))).toBe(path.join(root, "node_modules", "other", "index.d.ts"));
    // The dependencies are not seen a second time under the package's folder.
    const nested = path.join(root, "node_modules", "scratch-lib", "node_modules", "dep", "index.d.ts");
    expect(forward(nested)).toBe(nested);
  });

  it("runs the compiled package and its subpath", async () => {
    expect(await engine.execute('import { spend } from "scratch-lib";\nimport { unit } from "scratch-lib/extra";\n`${spend(3)} per ${unit}`', "In[1]")).toEqual({
      ok: true,
      value: { v: "1.5 per person" },
    });
  });

  it("type-checks the cell against the package's declarations", async () => {
    const outcome = await engine.execute('const label: string = spend(1);', "In[2]");
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.error.ename).toBe("TypeScriptError");
    expect(outcome.error.evalue).toContain("Type 'number' is not assignable to type 'string'");
  });

  it("still says when a subpath does not exist", async () => {
    const outcome = await engine.execute('import { nope } from "scratch-lib/nope";', "In[3]");
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.error.evalue).toContain("Cannot find module 'scratch-lib/nope'");
  });

  it("lists the package's name and code subpaths, not its package.json nor patterns", () => {
    expect(selfReferenceSpecifiers(root)).toEqual(["scratch-lib", "scratch-lib/extra"]);
    const other = mkdtempSync(path.join(os.tmpdir(), "privacy-course-self-subpaths-"));
    writeFileSync(path.join(other, "package.json"), JSON.stringify({ name: "lib", exports: { ".": "./i.js", "./quiz": "./q.js", "./package.json": "./package.json", "./x/*": "./x/*.js" } }));
    expect(selfReferenceSpecifiers(other)).toEqual(["lib", "lib/quiz"]);
    writeFileSync(path.join(other, "package.json"), JSON.stringify({ name: "lib", exports: "./i.js" }));
    expect(selfReferenceSpecifiers(other)).toEqual(["lib"]);
    writeFileSync(path.join(other, "package.json"), JSON.stringify({ name: "lib" }));
    expect(selfReferenceSpecifiers(other)).toEqual([]);
    rmSync(other, { recursive: true });
  });

  it("reads the package's declarations while warming up, and leaves no trace in the cells that follow", async () => {
    const fresh = new TypeScriptEngine(path.join(root, "notebooks"));
    const sys = loadTypeScript().sys;
    const readFile = sys.readFile;
    const read: string[] = [];
    sys.readFile = (file, encoding) => {
      read.push(file);
      return readFile.call(sys, file, encoding);
    };
    try {
      fresh.warm();
    } finally {
      sys.readFile = readFile;
    }
    expect(read.filter((f) => f.endsWith(`out${path.sep}index.d.ts`)).length).toBeGreaterThan(0);
    expect(read.filter((f) => f.endsWith(`out${path.sep}extra.d.ts`)).length).toBeGreaterThan(0);
    try {
      // Nothing was imported into the cells' scope by the warm-up: the name is unknown until imported.
      const before = await fresh.execute("spend(2)", "In[1]");
      expect(before.ok).toBe(false);
      expect(await fresh.execute('import { spend } from "scratch-lib";\nspend(2)', "In[2]")).toEqual({ ok: true, value: { v: 1 } });
    } finally {
      fresh.close();
    }
  });
});
