import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { lessonFiles, lessonToNotebook, notebookFor, NOTEBOOKS_DIR, parseLesson } from "../src/course/lessons";

describe("lessons are the single source of the notebooks", () => {
  it.each(lessonFiles())("notebooks/%s matches its lesson (run `npm run notebooks:generate`)", (lesson) => {
    const { file, text } = notebookFor(lesson);
    const committed = readFileSync(path.join(NOTEBOOKS_DIR, file), "utf8");
    expect(committed).toBe(text);
  });

  it("covers the lessons the course promises", () => {
    const slugs = lessonFiles().map((f) => f.replace(/^\d\d[a-z]?-|\.md$/g, ""));
    expect(slugs).toEqual(
      expect.arrayContaining([
        "welcome",
        "data-collection",
        "anonymisation",
        "feature-engineering",
        "what-dp-promises",
        "noise-and-sensitivity",
        "composition",
        "dp-training",
        "evaluation-and-prediction",
        "privacy-budgets",
      ]),
    );
  });

  it("orders inserted lessons (03a, 03b, 03c) after their number and before the next", () => {
    const files = lessonFiles();
    const at = (slug: string) => files.findIndex((f) => f.endsWith(`-${slug}.md`));
    expect(at("feature-engineering")).toBeLessThan(at("what-dp-promises"));
    expect(at("what-dp-promises")).toBeLessThan(at("noise-and-sensitivity"));
    expect(at("noise-and-sensitivity")).toBeLessThan(at("composition"));
    expect(at("composition")).toBeLessThan(at("dp-training"));
  });

  it("splits Markdown and ```ts fences into cells, leaving other fences in the Markdown", () => {
    const cells = parseLesson(["# Title", "text", "```ts", "const a = 1;", "a", "```", "```sh", "npm test", "```", "more"].join("\n"));
    expect(cells).toEqual([
      { kind: "markdown", source: "# Title\ntext" },
      { kind: "code", source: "const a = 1;\na" },
      { kind: "markdown", source: "```sh\nnpm test\n```\nmore" },
    ]);
    expect(() => parseLesson("```ts\nconst open = 1;")).toThrow(/not closed/);
  });

  it("writes notebooks without outputs, for the course kernel", () => {
    const notebook = lessonToNotebook("x", [{ kind: "code", source: "1 + 1" }]) as {
      cells: { outputs: unknown[]; execution_count: null }[];
      metadata: { kernelspec: { name: string } };
    };
    expect(notebook.cells[0].outputs).toEqual([]);
    expect(notebook.cells[0].execution_count).toBeNull();
    expect(notebook.metadata.kernelspec.name).toBe("privacy-course");
  });
});

import { QUIZZES } from "../quizzes";
import { answerCellRef, withSolutions } from "../src/quiz/answerCells";

describe("claims the course no longer makes", () => {
  const texts = [
    ...lessonFiles().map((file) => ({ file: `lessons/${file}`, text: readFileSync(path.join(__dirname, "..", "lessons", file), "utf8") })),
    ...readdirSync(path.join(__dirname, "..", "quizzes")).map((file) => ({ file: `quizzes/${file}`, text: readFileSync(path.join(__dirname, "..", "quizzes", file), "utf8") })),
  ];
  const wrong: [RegExp, string][] = [
    [/(probability|chance) that the (bound|guarantee) fails/i, "δ is additive slack, not a failure probability"],
    [/as correct DP-SGD must/i, "a 95% lower bound can exceed the true ε in 5% of audits"],
    [/found in real DP\s+libraries/i, "Tramèr et al. 2022 audited one implementation"],
    [/anonymity pipeline → generator/, "the generator never reads the pipeline's rows"],
    [/privacy check/i, "the prediction trace states a guarantee; it does not check"],
  ];
  it.each(wrong.map(([pattern, why]) => [why, pattern] as const))("%s", (_why, pattern) => {
    expect(texts.filter(({ text }) => pattern.test(text)).map(({ file }) => file)).toEqual([]);
  });
});

describe("quiz cells in the lessons", () => {
  const answerCells = lessonFiles().flatMap((file) =>
    parseLesson(readFileSync(path.join(__dirname, "..", "lessons", file), "utf8"))
      .filter((c) => c.kind === "code")
      .map((c) => ({ file, source: c.source, ref: answerCellRef(c.source) }))
      .filter((c) => c.ref !== null),
  );

  it("answer every question of every quiz exactly once across the course", () => {
    const answered = answerCells.map((c) => `${c.ref!.quizId}/${c.ref!.questionId}`).sort();
    const all = Object.values(QUIZZES).flatMap((quiz) => quiz.questions.map((q) => `${quiz.id}/${q.id}`)).sort();
    expect(answered).toEqual(all);
  });

  it("check each question through the handle its solution uses", () => {
    for (const cell of answerCells) {
      const quiz = QUIZZES[cell.ref!.quizId];
      const index = quiz.questions.findIndex((q) => q.id === cell.ref!.questionId) + 1;
      expect(cell.source, cell.file).toContain(`quiz.q${index}.check(`);
      expect(quiz.questions[index - 1].solution, cell.ref!.questionId).toContain(`quiz.q${index}.check(`);
    }
  });

  it("swap answer cells for solutions in the release check, leaving other cells alone", () => {
    const notebook = {
      cells: [
        { cell_type: "markdown", source: "// @answer pipeline/dp-noise" },
        { cell_type: "code", source: ["// @answer pipeline/dp-noise\n", "quiz.q2.check(TODO)"] },
        { cell_type: "code", source: "quiz.q2" },
      ],
    };
    const solved = withSolutions(notebook, QUIZZES);
    expect(solved.cells[0]).toBe(notebook.cells[0]);
    expect(solved.cells[1].source).toContain('quiz.q2.check("B")');
    expect(solved.cells[2]).toBe(notebook.cells[2]);
    expect(() => withSolutions({ cells: [{ cell_type: "code", source: "// @answer pipeline/nope\n" }] }, QUIZZES)).toThrow(/unknown question/);
  });
});
