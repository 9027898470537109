/**
 * Jargon is defined the first time the course uses it. Each glossary term must appear, in the
 * first lesson (in course order) that uses it, first in **bold**: the course's mark for "defined
 * here", next to the sentence that defines it. Headings and code are not uses (a title may name a
 * topic before its text defines it), and neither is a table of contents (Markdown table rows whose
 * first cell is a lesson's notebook name, as in the welcome lesson).
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { LESSONS_DIR, lessonFiles, parseLesson } from "../src/course/lessons";

/** Each term with the spellings that count as a use of it (case-insensitive, whole words). */
const GLOSSARY: readonly { term: string; spellings?: readonly string[] }[] = [
  { term: "direct identifier" },
  { term: "quasi-identifier" },
  { term: "pseudonym" },
  { term: "linkage attack" },
  { term: "differential privacy" },
  { term: "mechanism" },
  { term: "neighbouring datasets", spellings: ["neighbouring datasets", "neighboring datasets"] },
  { term: "auxiliary information" },
  { term: "randomised response", spellings: ["randomised response", "randomized response"] },
  { term: "local differential privacy", spellings: ["local differential privacy", "local DP"] },
  { term: "unbiased estimator" },
  { term: "post-processing" },
  { term: "sensitivity" },
  { term: "clamped", spellings: ["clamped", "clamping"] },
  { term: "Laplace mechanism" },
  { term: "exponential mechanism" },
  { term: "Gaussian mechanism" },
  { term: "composition" },
  { term: "group privacy" },
  { term: "privacy budget" },
  { term: "Rényi divergence" },
  { term: "Rényi differential privacy", spellings: ["Rényi differential privacy", "Rényi DP"] },
  { term: "RDP order" },
  { term: "Poisson sampling" },
  { term: "per-example clipping" },
  { term: "noise multiplier" },
  { term: "ROC AUC" },
  { term: "k-anonymity" },
  { term: "l-diversity" },
  { term: "t-closeness" },
  { term: "Earth Mover's Distance", spellings: ["Earth Mover's Distance", "EMD"] },
  { term: "membership inference" },
  { term: "LiRA" },
  { term: "canary" },
  { term: "exposure" },
  { term: "Clopper–Pearson", spellings: ["Clopper–Pearson", "Clopper-Pearson"] },
  { term: "Gumbel-softmax" },
  { term: "TSTR" },
  { term: "Wilson interval" },
  { term: "Holm correction", spellings: ["Holm correction", "Holm's correction", "Holm–Bonferroni"] },
  { term: "disparate impact" },
];

/** A spelling as a pattern; a line break may fall between its words. */
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&").replace(/ /g, "\\s+");
const TABLE_OF_CONTENTS_ROW = /^\|\s*\d\d[a-z]?-[\w-]+\s*\|/;

/** A lesson's prose: Markdown cells without code, headings or table-of-contents rows. */
function prose(file: string): string {
  return parseLesson(readFileSync(path.join(LESSONS_DIR, file), "utf8"))
    .filter((cell) => cell.kind === "markdown")
    .map((cell) => cell.source)
    .join("\n\n")
    .replace(/```[\s\S]*?```/g, " ")
    .split("\n")
    .filter((line) => !/^#{1,6}\s/.test(line) && !TABLE_OF_CONTENTS_ROW.test(line))
    .join("\n")
    .replace(/`[^`\n]*`/g, " ");
}

const lessons = lessonFiles().map((file) => ({ file, text: prose(file) }));

/** Where the term is first used, and whether that use is inside a **bold** span. */
function firstUse(spellings: readonly string[]): { file: string; bold: boolean; context: string } | null {
  const pattern = new RegExp(`(?<![\\p{L}\\p{N}-])(?:${spellings.map(escape).join("|")})(?![\\p{L}\\p{N}])`, "iu");
  for (const { file, text } of lessons) {
    const match = pattern.exec(text);
    if (!match) continue;
    const bold = (text.slice(0, match.index).match(/\*\*/g) ?? []).length % 2 === 1;
    return { file, bold, context: text.slice(Math.max(0, match.index - 50), match.index + match[0].length + 30).replace(/\s+/g, " ") };
  }
  return null;
}

describe("the course's glossary", () => {
  it.each(GLOSSARY.map((g) => [g.term, g.spellings ?? [g.term]] as const))("%s is defined (in bold) where a lesson first uses it", (term, spellings) => {
    const use = firstUse(spellings);
    expect(use, `${term} is in the glossary but no lesson uses it`).not.toBeNull();
    expect(use!.bold, `${term} is first used in ${use!.file} without a definition: "…${use!.context}…"`).toBe(true);
  });

  it("finds an undefined first use (the check itself can fail)", () => {
    expect(firstUse(["a term no lesson uses"])).toBeNull();
    // "Plantation" is a town's name, used in lessons but never defined as a term.
    expect(firstUse(["Plantation"])?.bold).toBe(false);
  });
});
