/**
 * Grading one submission: run it in its sandbox, collect each answer as data, and judge it here,
 * with the grader's quiz definitions. A question whose answer was lost to trouble elsewhere in the
 * notebook (another cell's runaway timer, a killed kernel, a run ended from inside) is run again
 * on its own: the notebook's other cells, without the other questions' answer cells. So a
 * question's grade never depends on how long another question's cells or timers took.
 */
import type { CellError } from "../../course/notebookRunner";
import type { GradeReport } from "../../render/quizViews";
import { concurrencyLimit, settleAll, type Limit } from "../../runtime/limit";
import type { AnswerRecord } from "./answers";
import { parseSubmission, scanSubmission, type AssignedQuestion, type Assignment, type Submission, type SubmissionScan } from "./assignment";
import { runAndCollect, type CollectedRun, type RunOptions } from "./run";
import { verdict } from "./verdicts";

export type QuestionGrade = GradeReport["results"][number];

export interface SubmissionGrade {
  submission: string;
  assignment: string;
  questions: QuestionGrade[];
  points: number;
  maxPoints: number;
  /** Why the whole submission scored 0 without running (a malformed notebook). */
  problem?: string;
  /** Answer markers of questions outside the assignment: ignored. */
  foreignMarkers: { cell: number; key: string }[];
  /** Cells of the submission that raised or were stopped. */
  cellErrors: CellError[];
  /** Questions graded again in a run of their own, after trouble elsewhere in the notebook. */
  isolated: string[];
  sandboxed: boolean;
  seconds: number;
}

const STOPPED = new Set(["stopped", "killed", "died", "not-run"]);
const failure = (e: CellError): string => `${e.ename}: ${e.evalue}`;

function zero(q: AssignedQuestion, status: QuestionGrade["status"], message: string): QuestionGrade {
  return { quizId: q.quizId, questionId: q.questionId, status, message, points: 0, maxPoints: q.points, casesRun: 0, hidden: false };
}

interface Judged {
  grade: QuestionGrade;
  /** The answer was lost to something that may not be this question's doing. */
  troubled: boolean;
}

function judge(q: AssignedQuestion, answerCells: number[], run: CollectedRun): Judged {
  const errorAt = new Map(run.errors.map((e) => [e.cell, e]));
  const answerError = answerCells.map((i) => errorAt.get(i)).find((e) => e !== undefined);
  const collectError = run.collectErrors.get(q.key);
  const record = run.answers.get(q.key);
  const ownStopped = [answerError, collectError].some((e) => e?.outcome !== undefined && STOPPED.has(e.outcome));
  const lost = run.failedReplays.some((r) => r.before > Math.min(...answerCells) && r.problems.length > 0);
  const troubled = !record || "problem" in record || ownStopped || lost || run.ended !== undefined;
  if (!record || "problem" in record) {
    const running = q.question.kind === "coding" ? "Running the answer on the test cases, hidden ones included," : "Collecting the answer";
    const message =
      record && "problem" in record
        ? `The answer could not be collected: ${record.problem}.`
        : answerError
          ? `The answer cell failed (${failure(answerError)})`
          : collectError
            ? `${running} failed (${failure(collectError)})`
            : `The answer was not collected: ${run.ended ?? "its collection cell did not run"}.`;
    return { grade: zero(q, "incorrect", message), troubled };
  }
  const checked = { quizId: q.quizId, ...verdict(q.question, record as AnswerRecord) };
  if (!answerError) return { grade: checked, troubled: troubled && checked.status !== "correct" };
  const failed = `The answer cell failed (${failure(answerError)})`;
  if (checked.status === "not-attempted") return { grade: { ...checked, status: "incorrect", message: failed }, troubled };
  return { grade: { ...checked, message: `${failed}. ${checked.message}` }, troubled: troubled && checked.status !== "correct" };
}

/** Whether the run had trouble outside this question's own cells (or trouble its own cells cannot have caused alone). */
function troubleElsewhere(run: CollectedRun, key: string, own: Set<number>): boolean {
  if (run.ended !== undefined || run.failedReplays.length > 0) return true;
  const stopped = (e: CellError) => e.outcome !== undefined && STOPPED.has(e.outcome);
  // Killed (no answer to an interrupt) or died: a runaway timer or process of an earlier cell can do that to any cell.
  const external = (e: CellError) => e.outcome === "killed" || e.outcome === "died";
  if (run.errors.some((e) => stopped(e) && (!own.has(e.cell) || external(e)))) return true;
  return [...run.collectErrors].some(([k, e]) => stopped(e) && (k !== key || external(e)));
}

export interface GradeSubmissionOptions extends RunOptions {
  assignment: Assignment;
  /**
   * Slots for runs (each a sandbox and a kernel), shared with the rest of a batch so that it
   * bounds the kernels alive at once; the isolated re-runs of this submission take them side by
   * side. Default: one run at a time.
   */
  runSlots?: Limit;
}

export async function gradeSubmissionText(name: string, text: string, options: GradeSubmissionOptions): Promise<SubmissionGrade> {
  const started = Date.now();
  const { assignment } = options;
  const base = { submission: name, assignment: assignment.name, foreignMarkers: [], cellErrors: [], isolated: [], sandboxed: options.sandboxed };
  let submission: Submission;
  try {
    submission = parseSubmission(text);
  } catch (error) {
    const problem = `The notebook could not be read: ${error instanceof Error ? error.message : String(error)}`;
    const questions = assignment.questions.map((q) => zero(q, "incorrect", problem));
    return { ...base, problem, questions, points: 0, maxPoints: total(questions, "maxPoints"), seconds: (Date.now() - started) / 1000 };
  }
  const scan = scanSubmission(submission, assignment);
  const answered = assignment.questions.filter((q) => scan.answerCells.has(q.key));
  const runSlots = options.runSlots ?? concurrencyLimit(1);
  const run = answered.length > 0 ? await runSlots(() => runAndCollect(submission.cells, new Set([...scan.answerCells.values()].flat()), lastAnswerCells(scan), answered, options)) : undefined;
  const firsts = assignment.questions.map((q) => {
    const cells = scan.answerCells.get(q.key);
    if (!cells || !run) {
      return { grade: zero(q, "incorrect", `No answer cell for this question: the cell marked "// @answer ${q.key}" was deleted, or its marker changed.`) };
    }
    const first = judge(q, cells, run);
    const others = otherAnswerCells(scan, q.key);
    if (!first.troubled || !troubleElsewhere(run, q.key, new Set(cells)) || others.size === 0) return { grade: first.grade };
    return { grade: first.grade, isolateFrom: others };
  });
  const isolated = assignment.questions.filter((_, i) => firsts[i].isolateFrom).map((q) => q.key);
  // The re-runs are independent sandboxes: side by side, as far as the slots allow.
  const questions = await settleAll(
    assignment.questions.map(async (q, i) => {
      const { grade, isolateFrom } = firsts[i];
      if (!isolateFrom) return grade;
      const again = await runSlots(() => isolatedRun(q, submission, isolateFrom, options));
      return !again.troubled || again.grade.points > grade.points ? again.grade : grade;
    }),
  );
  return {
    ...base,
    questions,
    points: total(questions, "points"),
    maxPoints: total(questions, "maxPoints"),
    foreignMarkers: scan.foreignMarkers,
    cellErrors: run?.errors ?? [],
    isolated,
    seconds: (Date.now() - started) / 1000,
  };
}

const total = (questions: QuestionGrade[], field: "points" | "maxPoints") => questions.reduce((s, q) => s + q[field], 0);

const lastAnswerCells = (scan: SubmissionScan) => new Map([...scan.answerCells].map(([key, cells]) => [key, Math.max(...cells)]));

function otherAnswerCells(scan: SubmissionScan, key: string): Set<number> {
  return new Set([...scan.answerCells].filter(([k]) => k !== key).flatMap(([, cells]) => cells));
}

/** The question judged in a run of the notebook without the other questions' answer cells. */
async function isolatedRun(q: AssignedQuestion, submission: Submission, others: Set<number>, options: RunOptions): Promise<Judged> {
  const alone: Submission = { cells: submission.cells.filter((_, i) => !others.has(i)) };
  const answerCells = scanSubmission(alone, { name: q.key, questions: [q] }).answerCells.get(q.key) ?? [];
  return judge(q, answerCells, await runAndCollect(alone.cells, new Set(answerCells), new Map([[q.key, Math.max(...answerCells)]]), [q], options));
}
