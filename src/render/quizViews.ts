/** How quiz feedback looks in a notebook: a coloured card with a text twin. Rendering only. */
import type { CheckResult, Question } from "../quiz/types";
import { escapeHtml } from "./html/escape";
import { htmlTable } from "./html/table";
import { richOutput, type Displayable } from "./mime";
import { textTable } from "./text/textTable";

const LOOK = {
  correct: { label: "Correct", colour: "#1a7f37", background: "#dafbe1" },
  incorrect: { label: "Incorrect", colour: "#cf222e", background: "#ffebe9" },
  "not-attempted": { label: "Not attempted", colour: "#6e7781", background: "#f6f8fa" },
} as const;

function card(colour: string, background: string, body: string): string {
  return `<div class="privacy-course-quiz" style="border-left:4px solid ${colour};background:${background};padding:8px 12px;margin:4px 0">${body}</div>`;
}

/** The question itself: what a cell showing `quiz.q1` displays. */
export function questionView(number: number, question: Question): Displayable {
  const choices = question.kind === "choice" ? Object.entries(question.choices) : [];
  const html =
    `<div class="privacy-course-quiz" style="border:1px solid #d0d7de;padding:8px 12px;margin:4px 0">` +
    `<strong>Question ${number}</strong> <small>(${escapeHtml(question.id)}, ${question.points ?? 1} point${(question.points ?? 1) === 1 ? "" : "s"})</small>` +
    `<p>${escapeHtml(question.prompt)}</p>` +
    (choices.length ? `<ol type="A">${choices.map(([, text]) => `<li>${escapeHtml(text)}</li>`).join("")}</ol>` : "") +
    `</div>`;
  const text = [`Question ${number} (${question.id}): ${question.prompt}`, ...choices.map(([letter, t]) => `  ${letter}. ${t}`)].join("\n");
  return richOutput(html, text);
}

export function checkResultView(question: Question, result: CheckResult): Displayable {
  const look = LOOK[result.status];
  const failing = result.failingCase;
  const failingHtml = failing
    ? htmlTable(["test case", "input", "expected", "got"], [[failing.name, failing.input, failing.expected, failing.got]])
    : "";
  const html = card(
    look.colour,
    look.background,
    `<strong style="color:${look.colour}">${look.label}</strong> — ${escapeHtml(question.id)}: ${escapeHtml(result.message)}${failingHtml}`,
  );
  const text =
    `${look.label} — ${question.id}: ${result.message}` +
    (failing ? `\nFirst failing case "${failing.name}":\n  input:    ${failing.input}\n  expected: ${failing.expected}\n  got:      ${failing.got}` : "");
  return richOutput(html, text);
}

export function hintView(question: Question, level: number): Displayable {
  const hint = question.hints[level] ?? "No hints for this question.";
  const label = `Hint ${level + 1} of ${question.hints.length}`;
  return richOutput(card("#9a6700", "#fff8c5", `<strong>${label}</strong>: ${escapeHtml(hint)}`), `${label}: ${hint}`);
}

export function solutionView(question: Question): Displayable {
  return richOutput(
    card("#0969da", "#ddf4ff", `<strong>Solution</strong><pre>${escapeHtml(question.solution)}</pre>`),
    `Solution:\n${question.solution}`,
  );
}

export interface GradeReport {
  results: (CheckResult & { quizId: string })[];
  points: number;
  maxPoints: number;
}

export function gradeView(report: GradeReport): Displayable {
  const rows = report.results.map((r) => [r.quizId, r.questionId, LOOK[r.status].label, r.points, r.maxPoints, r.message]);
  const headers = ["quiz", "question", "status", "points", "max", "message"];
  const total = `Total: ${report.points} / ${report.maxPoints}`;
  const view = richOutput(`${htmlTable(headers, rows)}<p><strong>${total}</strong></p>`, `${textTable(headers, rows)}${total}`);
  return {
    toMimeBundle: () => ({ ...view.toMimeBundle(), "application/vnd.privacy-course.grade+json": report }),
  };
}

export interface ProgressRow {
  quiz: string;
  question: string;
  status: string;
  attempts: number;
  hintsUsed: number;
  solutionViewed: boolean;
}

export function progressView(rows: readonly ProgressRow[]): Displayable {
  const correct = rows.filter((r) => r.status === "correct").length;
  const attempted = rows.filter((r) => r.status !== "not attempted").length;
  const summary = `${correct} of ${rows.length} questions correct, ${attempted} attempted`;
  const headers = ["quiz", "question", "status", "attempts", "hints used", "solution viewed"];
  const cells = rows.map((r) => [r.quiz, r.question, r.status, r.attempts, r.hintsUsed, r.solutionViewed ? "yes" : ""]);
  return richOutput(`<p><strong>${escapeHtml(summary)}</strong></p>${htmlTable(headers, cells, { maxRows: 200 })}`, `${summary}\n${textTable(headers, cells)}`);
}
