/**
 * Verdicts from collected answers, in the grader's own process (never the learner's): the
 * grader's quiz definitions, hidden cases included, applied to data read back from a sandbox.
 * The data is read without following symlinks, bounded in size and shape, so a record cannot
 * make the checking read other files, run out of memory or loop for ever.
 */
import { closeSync, constants, fstatSync, openSync, readSync } from "node:fs";
import { deserialize } from "node:v8";
import { checkAnswer, checkCodingOutcomes, TODO, variantArguments, type CaseOutcome } from "../check";
import type { CheckResult, Question } from "../types";
import type { AnswerRecord } from "./answers";

export const MAX_RECORD_BYTES = 32 * 1024 * 1024;
/** Array elements, object properties, map and set entries in one answer, all told. */
const MAX_NODES = 2_000_000;
const MAX_DEPTH = 64;

/** Reads a regular file of at most maxBytes without following a symlink at its path. */
export function readBoundedFile(file: string, maxBytes: number): Buffer {
  const fd = openSync(file, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) throw new Error("not a regular file");
    if (stat.size > maxBytes) throw new Error(`${stat.size} bytes, more than the ${maxBytes} allowed`);
    const buffer = Buffer.alloc(stat.size);
    let read = 0;
    while (read < stat.size) {
      const n = readSync(fd, buffer, read, stat.size - read, read);
      if (n === 0) break;
      read += n;
    }
    return buffer.subarray(0, read);
  } finally {
    closeSync(fd);
  }
}

/** Throws unless `value` is plain data of bounded size: no holes, no huge sparse arrays, bounded depth. */
export function assertBoundedData(value: unknown): void {
  let nodes = 0;
  const seen = new Set<object>();
  const visit = (v: unknown, depth: number): void => {
    if (v === null || typeof v !== "object") return;
    if (depth > MAX_DEPTH) throw new Error(`nested deeper than ${MAX_DEPTH}`);
    if (seen.has(v)) return;
    seen.add(v);
    if (ArrayBuffer.isView(v) || v instanceof ArrayBuffer || v instanceof Date || v instanceof RegExp) return;
    const children: unknown[] = [];
    if (Array.isArray(v)) {
      if (Object.keys(v).length !== v.length) throw new Error("an array with holes");
      children.push(...v);
    } else if (v instanceof Map) {
      for (const [k, x] of v) children.push(k, x);
    } else if (v instanceof Set) {
      children.push(...v);
    } else {
      children.push(...Object.values(v));
    }
    nodes += children.length;
    if (nodes > MAX_NODES) throw new Error(`more than ${MAX_NODES} values`);
    for (const child of children) visit(child, depth + 1);
  };
  visit(value, 0);
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

function validOutcome(v: unknown): v is CaseOutcome {
  if (!isObject(v)) return false;
  if ("returned" in v) return Object.keys(v).length === 1;
  if ("threw" in v) return typeof v.threw === "string" && typeof v.notImplemented === "boolean";
  return typeof v.unclonable === "string";
}

/** The record for `key` read from `file`, or why it cannot be used. */
export function readAnswerRecord(file: string, key: string): AnswerRecord | { problem: string } {
  let value: unknown;
  try {
    value = deserialize(readBoundedFile(file, MAX_RECORD_BYTES));
    assertBoundedData(value);
  } catch (error) {
    return { problem: `its answer could not be read back (${error instanceof Error ? error.message : String(error)})` };
  }
  const bad = { problem: "its answer record is not in the grader's format" };
  if (!isObject(value) || value.key !== key || typeof value.answered !== "boolean") return bad;
  if (!value.answered) return { key, answered: false };
  switch (value.kind) {
    case "todo":
      return { key, answered: true, kind: "todo" };
    case "value":
      return "value" in value ? { key, answered: true, kind: "value", value: value.value } : bad;
    case "function":
      if (typeof value.source !== "string" || !Array.isArray(value.outcomes) || !value.outcomes.every(validOutcome)) return bad;
      return { key, answered: true, kind: "function", source: value.source, outcomes: value.outcomes as CaseOutcome[] };
    case "unclonable":
      return typeof value.reason === "string" ? { key, answered: true, kind: "unclonable", reason: value.reason } : bad;
    default:
      return bad;
  }
}

/**
 * What the sandbox runs a coding answer on: the arguments of every case, visible then hidden,
 * then each case's declared variants in the same order (see TestCase.variants).
 */
export function caseArguments(question: Question): unknown[][] {
  if (question.kind !== "coding") return [];
  const cases = [...question.cases, ...question.hiddenCases];
  return [...cases.map((c) => c.args()), ...cases.flatMap((c) => variantArguments(c, c.args()))];
}

/** The grade of one collected answer, hidden cases included. */
export function verdict(question: Question, record: AnswerRecord): CheckResult {
  if (!record.answered) return checkAnswer(question, undefined, { includeHidden: true });
  switch (record.kind) {
    case "todo":
      return checkAnswer(question, TODO, { includeHidden: true });
    case "value":
      return checkAnswer(question, record.value, { includeHidden: true });
    case "unclonable":
      return { ...checkAnswer(question, undefined, { includeHidden: true }), status: "incorrect", message: `The answer is not plain data and cannot be checked (${record.reason}).` };
    case "function": {
      if (question.kind !== "coding") return checkAnswer(question, () => undefined, { includeHidden: true });
      const cases = [...question.cases, ...question.hiddenCases];
      const variantCounts = cases.map((c) => variantArguments(c, c.args()).length);
      const expected = cases.length + variantCounts.reduce((a, b) => a + b, 0);
      if (record.outcomes.length !== expected) {
        return { ...checkAnswer(question, undefined, { includeHidden: true }), status: "incorrect", message: `The function was run on ${record.outcomes.length} of the ${expected} arguments its test cases need.` };
      }
      const variantStart = (index: number) => cases.length + variantCounts.slice(0, index).reduce((a, b) => a + b, 0);
      return checkCodingOutcomes(question, (_args, index) => record.outcomes[index], true, (index) =>
        record.outcomes.slice(variantStart(index), variantStart(index) + variantCounts[index]),
      );
    }
  }
}
