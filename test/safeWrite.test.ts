import { spawnSync } from "node:child_process";
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { checkOutputDirectory, checkOutputPath, makeOutputDirectory, writeFileSafely } from "../src/runtime/safeWrite";
import { InputError } from "../src/validation/errors";

const folder = () => mkdtempSync(join(tmpdir(), "pc-safe-"));
const out = { flag: "--out" };

describe("writeFileSafely", () => {
  it("writes a new file through a temporary file, leaving nothing else behind", () => {
    const d = folder();
    writeFileSafely(join(d, "a.csv"), "x,y\n1,2\n", out);
    expect(readFileSync(join(d, "a.csv"), "utf8")).toBe("x,y\n1,2\n");
    expect(readdirSync(d)).toEqual(["a.csv"]);
  });

  it("replaces a symlink at the path only when asked and forced, never writing to its target, and then not in a linked folder", () => {
    const d = folder();
    const target = join(d, "target.txt");
    writeFileSync(target, "untouched\n");
    const link = join(d, "grades.csv");
    symlinkSync(target, link);
    expect(() => writeFileSafely(link, "x", { ...out, force: true })).toThrow(/symbolic link/);
    expect(() => writeFileSafely(link, "x", { ...out, symlink: "replace" })).toThrow(/symbolic link/);
    writeFileSafely(link, "report\n", { ...out, force: true, symlink: "replace" });
    expect(lstatSync(link).isSymbolicLink()).toBe(false);
    expect(readFileSync(link, "utf8")).toBe("report\n");
    expect(readFileSync(target, "utf8")).toBe("untouched\n");
    // The folder itself a link: refused in this mode, whatever it points at.
    const real = join(d, "real");
    mkdirSync(real);
    symlinkSync(real, join(d, "linked"));
    expect(() => writeFileSafely(join(d, "linked", "a.csv"), "x", { ...out, force: true, symlink: "replace" })).toThrow(InputError);
    expect(readdirSync(real)).toEqual([]);
  });

  it("refuses an existing file the user named, unless forced; a command's own default output is refreshed", () => {
    const d = folder();
    const file = join(d, "a.csv");
    writeFileSync(file, "old");
    expect(() => writeFileSafely(file, "new", out)).toThrow(/--out must be a path that does not exist yet \(add --force to replace it\)/);
    expect(readFileSync(file, "utf8")).toBe("old");
    writeFileSafely(file, "forced", { ...out, force: true });
    expect(readFileSync(file, "utf8")).toBe("forced");
    writeFileSafely(file, "refreshed", { flag: "datasets", explicit: false });
    expect(readFileSync(file, "utf8")).toBe("refreshed");
    expect(readdirSync(d)).toEqual(["a.csv"]);
  });

  it("never writes through a symlink, even when forced", () => {
    const d = folder();
    writeFileSync(join(d, "input.csv"), "precious");
    symlinkSync(join(d, "input.csv"), join(d, "link.csv"));
    symlinkSync(join(d, "nowhere.csv"), join(d, "dangling.csv"));
    for (const name of ["link.csv", "dangling.csv"]) {
      expect(() => writeFileSafely(join(d, name), "x", { ...out, force: true })).toThrow(/--out must be a path that is not a symbolic link/);
      expect(() => writeFileSafely(join(d, name), "x", { flag: "datasets", explicit: false })).toThrow(InputError);
    }
    expect(readFileSync(join(d, "input.csv"), "utf8")).toBe("precious");
    expect(existsSync(join(d, "nowhere.csv"))).toBe(false);
    expect(lstatSync(join(d, "link.csv")).isSymbolicLink()).toBe(true);
  });

  it("names folders, missing folders and files in the way", () => {
    const d = folder();
    writeFileSync(join(d, "afile"), "");
    mkdirSync(join(d, "sub"));
    expect(() => checkOutputPath(join(d, "sub"), out)).toThrow(/--out must be a file path, not a directory/);
    expect(() => checkOutputPath(join(d, "missing", "a.csv"), out)).toThrow(/--out must be a path in an existing directory; got ".*ENOENT/);
    expect(() => checkOutputPath(join(d, "afile", "a.csv"), out)).toThrow(/--out must be a path in an existing directory; got ".*(is not a directory|ENOTDIR)/);
    expect(() => checkOutputPath("", out)).toThrow(/--out must be a file path/);
    expect(readdirSync(d).sort()).toEqual(["afile", "sub"]);
  });

  it("removes the temporary file of a killed writer, and only that", () => {
    const d = folder();
    // A process id that no longer runs: a child that has exited.
    const dead = spawnSync(process.execPath, ["-e", ""]).pid;
    const stale = join(d, `.a.csv.tmp-${dead}-abc`);
    const live = join(d, `.a.csv.tmp-${process.pid}-def`);
    const other = join(d, `.b.csv.tmp-${dead}-ghi`);
    for (const f of [stale, live, other]) writeFileSync(f, "half a fi");
    writeFileSafely(join(d, "a.csv"), "whole", out);
    expect(readdirSync(d).sort()).toEqual([".a.csv.tmp-" + process.pid + "-def", ".b.csv.tmp-" + dead + "-ghi", "a.csv"].sort());
  });
});

describe("output folders", () => {
  it("accepts an existing folder or a new one in an existing parent; refuses files, symlinks and missing parents", () => {
    const d = folder();
    writeFileSync(join(d, "afile"), "");
    mkdirSync(join(d, "sub"));
    symlinkSync(join(d, "sub"), join(d, "linkdir"));
    expect(checkOutputDirectory(join(d, "sub"), out)).toBe(join(d, "sub"));
    expect(makeOutputDirectory(join(d, "new"), out)).toBe(join(d, "new"));
    expect(lstatSync(join(d, "new")).isDirectory()).toBe(true);
    expect(() => checkOutputDirectory(join(d, "afile"), out)).toThrow(/--out must be a folder, not a file/);
    expect(() => checkOutputDirectory(join(d, "linkdir"), out)).toThrow(/--out must be a folder that is not a symbolic link/);
    expect(() => checkOutputDirectory(join(d, "no", "deeper"), out)).toThrow(/--out must be a path in an existing directory/);
  });
});
