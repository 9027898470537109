/** `privacy-course notebooks generate|build`: lessons → notebooks → executed HTML course. */
import { buildCourse, BUILD_DIR } from "../../course/build";
import { generateNotebooks, lessonFiles } from "../../course/lessons";
import { textTable } from "../../render/text/textTable";
import { InputError, requireOneOf } from "../../validation/errors";
import { parseFlags } from "../options";

export async function notebooksCommand(args: string[]): Promise<string> {
  const { positionals } = parseFlags("notebooks", args, {}, "ACTION");
  const [given = "build", ...names] = positionals;
  const action = requireOneOf("notebooks ACTION", given, ["generate", "build"] as const);
  if (action === "generate") {
    if (names.length > 0) throw new InputError("notebooks generate", "given no lesson names (it regenerates every notebook)", names.join(" "));
    return generateNotebooks().map((f) => `wrote ${f}`).join("\n");
  }
  const lessons = lessonFiles();
  for (const name of names) {
    if (!lessons.some((f) => f.includes(name))) throw new InputError("notebooks build LESSON", `part of a lesson's file name (${lessons.join(", ")})`, name);
  }
  generateNotebooks();
  const built = await buildCourse(BUILD_DIR, names.length ? (f) => names.some((n) => f.includes(n)) : undefined);
  const table = textTable(
    ["lesson", "seconds", "errors"],
    built.map((b) => [b.slug, b.seconds, b.errors.map((e) => `cell ${e.cell}: ${e.ename}: ${e.evalue}`).join("; ") || "none"]),
  );
  const failed = built.filter((b) => b.errors.length > 0);
  if (failed.length > 0) {
    process.exitCode = 1;
    return `${table}\n${failed.length} notebook(s) have errors.`;
  }
  return `${table}\nThe course is in ${BUILD_DIR}/index.html`;
}
