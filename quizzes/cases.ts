/**
 * Test cases for coding questions whose right result is computed by the library: the learner's
 * function must return what the reference returns, and a result that matches a tempting mistake
 * gets the message that names it.
 */
import { inspect } from "node:util";
import type { TestCase } from "../src/quiz/types";

export interface Mistake<A extends unknown[]> {
  /** What a function making this mistake returns for these arguments. */
  value: (...args: A) => unknown;
  message: string;
}

export interface ReferenceOptions<A extends unknown[]> {
  /** Tempting wrong results, checked in order; one equal to the right result is skipped. */
  mistakes?: Mistake<A>[];
  /** What is wrong with any other result (its type, its length…); default: the expected value. */
  problem?: (got: unknown, expected: unknown, args: A) => string | null;
  /** Relative tolerance on numbers (plus the same absolute tolerance near 0). */
  tolerance?: number;
}

const show = (value: unknown): string => inspect(value, { depth: 3, maxArrayLength: 12, breakLength: 100 });

/** Numbers within the tolerance (∞ only equals itself, NaN nothing), arrays element by element. */
export function sameResult(got: unknown, expected: unknown, tolerance = 1e-9): boolean {
  if (typeof expected === "number") {
    if (typeof got !== "number" || Number.isNaN(got)) return false;
    if (!Number.isFinite(expected)) return got === expected;
    return Math.abs(got - expected) <= tolerance * (1 + Math.abs(expected));
  }
  if (Array.isArray(expected)) {
    return Array.isArray(got) && got.length === expected.length && expected.every((e, i) => sameResult(got[i], e, tolerance));
  }
  return Object.is(got, expected);
}

export function referenceCase<A extends unknown[]>(
  name: string,
  args: A,
  reference: (...args: A) => unknown,
  { mistakes = [], problem, tolerance = 1e-9 }: ReferenceOptions<A> = {},
): TestCase<A> {
  let cached: { value: unknown } | undefined;
  const expected = () => (cached ??= { value: reference(...structuredClone(args)) }).value;
  return {
    name,
    args: () => structuredClone(args),
    get expected() {
      return show(expected());
    },
    verify: (got) => {
      const right = expected();
      if (sameResult(got, right, tolerance)) return null;
      for (const mistake of mistakes) {
        const wrong = mistake.value(...structuredClone(args));
        if (!sameResult(wrong, right, tolerance) && sameResult(got, wrong, tolerance)) return mistake.message;
      }
      return problem?.(got, right, args) ?? `Expected ${show(right)}; got ${show(got)}.`;
    },
  };
}
