/**
 * The shape every privacy-model checker returns: whether the table satisfies the model, the
 * value it achieves (smallest k, smallest l, largest t), the worst class and every class.
 */
import { keyRecord, type EquivalenceClasses } from "./classes";
import type { Cell } from "./table";

export interface ClassCheck {
  index: number;
  key: Record<string, Cell>;
  size: number;
  /** The class's own k (its size), l or t distance. */
  value: number;
  satisfied: boolean;
}

export interface ModelCheck {
  model: string;
  parameter: { name: "k" | "l" | "t"; required: number; c?: number };
  /** The best parameter the whole table achieves: smallest k or l over the classes, largest t. */
  achieved: number;
  satisfied: boolean;
  worstClass: ClassCheck | null;
  classes: ClassCheck[];
  violating: { classes: number; records: number };
  trace: {
    rows: number;
    classes: number;
    quasi: string[];
    sensitive?: string;
    definition: string;
    source: string;
  };
}

/** Builds the check from one value per class; `worse(a, b)` is true when a is worse than b. */
export function modelCheck(
  classes: EquivalenceClasses,
  values: readonly number[],
  satisfiedBy: (value: number) => boolean,
  worse: (a: number, b: number) => boolean,
  info: Omit<ModelCheck, "achieved" | "satisfied" | "worstClass" | "classes" | "violating" | "trace"> & {
    trace: Omit<ModelCheck["trace"], "rows" | "classes" | "quasi">;
  },
): ModelCheck {
  const checks: ClassCheck[] = classes.classes.map((c, index) => ({
    index,
    key: keyRecord(classes.quasi, c.key),
    size: c.size,
    value: values[index],
    satisfied: satisfiedBy(values[index]),
  }));
  let worst: ClassCheck | null = null;
  for (const check of checks) {
    if (worst === null || worse(check.value, worst.value) || (check.value === worst.value && check.size < worst.size)) worst = check;
  }
  const failing = checks.filter((c) => !c.satisfied);
  return {
    model: info.model,
    parameter: info.parameter,
    achieved: worst ? worst.value : NaN,
    satisfied: failing.length === 0,
    worstClass: worst,
    classes: checks,
    violating: { classes: failing.length, records: failing.reduce((s, c) => s + c.size, 0) },
    trace: { rows: classes.classOf.length, classes: checks.length, quasi: [...classes.quasi], ...info.trace },
  };
}
