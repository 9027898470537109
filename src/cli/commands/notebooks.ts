/** `privacy-course notebooks generate|build`: lessons → notebooks → executed HTML course. */
import { buildCourse, BUILD_DIR } from "../../course/build";
import { generateNotebooks } from "../../course/lessons";
import { textTable } from "../../render/text/textTable";

export function notebooksCommand(args: string[]): string {
  const [action = "build", ...names] = args;
  if (action === "generate") return generateNotebooks().map((f) => `wrote ${f}`).join("\n");
  if (action !== "build") throw new RangeError(`notebooks takes "generate" or "build"; got "${action}"`);
  generateNotebooks();
  const built = buildCourse(BUILD_DIR, names.length ? (f) => names.some((n) => f.includes(n)) : undefined);
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
