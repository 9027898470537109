import { readFileSync } from "node:fs";
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
    const slugs = lessonFiles().map((f) => f.replace(/^\d\d-|\.md$/g, ""));
    expect(slugs).toEqual(
      expect.arrayContaining([
        "welcome",
        "data-collection",
        "anonymisation",
        "feature-engineering",
        "dp-training",
        "evaluation-and-prediction",
        "privacy-budgets",
      ]),
    );
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
