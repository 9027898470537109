/**
 * The built package (what notebooks import as "privacy-course") exports what the sources do:
 * each entry of package.json's exports map resolves by the package's own name, to compiled
 * JavaScript whose exported names are those of the source module it was built from, with its
 * declarations beside it.
 */
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { ensurePackageBuilt } from "../src/course/packageBuild";

const ROOT = path.resolve(__dirname, "..");
const pkg = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as {
  name: string;
  types: string;
  exports: Record<string, string | { types: string; default: string }>;
  typesVersions: Record<string, Record<string, string[]>>;
};
/** Resolves as a notebook in notebooks/ does: by the package's own name (Node's self-reference). */
const notebookRequire = createRequire(path.join(ROOT, "notebooks", "notebook.js"));

const SOURCES: Record<string, string> = { ".": "../src/index", "./quiz": "../quizzes/index", "./display": "../src/kernel/display" };
const entries = Object.entries(pkg.exports).filter((e): e is [string, { types: string; default: string }] => typeof e[1] === "object");

beforeAll(() => ensurePackageBuilt(), 180_000);

describe("the built package", () => {
  it("maps every subpath it exports to a source module", () => {
    expect(entries.map(([subpath]) => subpath).sort()).toEqual(Object.keys(SOURCES).sort());
  });

  it.each(entries)("%s exports the names of its source module, with declarations", async (subpath, target) => {
    const specifier = subpath === "." ? pkg.name : `${pkg.name}/${subpath.slice(2)}`;
    expect(notebookRequire.resolve(specifier)).toBe(path.join(ROOT, target.default));
    const built = notebookRequire(specifier) as Record<string, unknown>;
    const source = (await import(SOURCES[subpath]!)) as Record<string, unknown>;
    const names = (m: Record<string, unknown>) => Object.keys(m).filter((k) => k !== "default" && k !== "__esModule").sort();
    expect(names(built)).toEqual(names(source));
    expect(names(built).length).toBeGreaterThan(0);
    expect(existsSync(path.join(ROOT, target.types))).toBe(true);
    // Node10 resolution (tslab's compiler, older TypeScript) finds subpath types through typesVersions.
    const legacyTypes = subpath === "." ? pkg.types : pkg.typesVersions["*"]![subpath.slice(2)]![0];
    expect(path.resolve(ROOT, legacyTypes!)).toBe(path.resolve(ROOT, target.types));
  });
});
