/**
 * k-anonymity (Samarati & Sweeney 1998; Sweeney 2002): every combination of quasi-identifier
 * values in the released table is shared by at least k rows, so a person known by those
 * values hides among at least k candidates.
 */
import { requireNumber } from "../validation/errors";
import { equivalenceClasses } from "./classes";
import { modelCheck, type ModelCheck } from "./modelCheck";
import type { Table } from "./table";

export function checkKAnonymity(table: Table, { quasi, k }: { quasi: readonly string[]; k: number }): ModelCheck {
  requireNumber("k", k, { min: 1, integer: true });
  const { output: classes } = equivalenceClasses(table, quasi);
  return modelCheck(
    classes,
    classes.classes.map((c) => c.size),
    (size) => size >= k,
    (a, b) => a < b,
    {
      model: "k-anonymity",
      parameter: { name: "k", required: k },
      trace: {
        definition: "every equivalence class (rows sharing all quasi-identifier values) has at least k rows",
        source: "Samarati & Sweeney 1998; Sweeney 2002",
      },
    },
  );
}
