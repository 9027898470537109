/**
 * The privacy audit at its default size: one training run of the patients' risk model with
 * 1000 gradient canaries (Steinke et al. 2023), the statistics of the bound on their own, and
 * the `privacy-course audit` sweep over six budgets.
 */
import { auditTrainingRun } from "../src/audit/canaryAudit";
import { oneRunAudit } from "../src/audit/oneRun";
import { runAuditSweep } from "../src/audit/sweep";
import { loadMembershipData } from "../src/data/membershipData";
import { createRng } from "../src/random/rng";
import type { BenchRow } from "./run";

async function time(repeats: number, run: () => unknown): Promise<number> {
  const start = performance.now();
  for (let i = 0; i < repeats; i++) await run();
  return (performance.now() - start) / repeats;
}

export async function benchAudit(): Promise<BenchRow[]> {
  const patients = loadMembershipData("patients");
  const audit = () => auditTrainingRun({ data: patients.members, training: { epsilon: 1, seed: 7 } });
  const first = await audit(); // warm-up: backend initialisation
  const rows: BenchRow[] = [
    {
      name: "auditTrainingRun (1000 patients, 1000 gradient canaries, logistic, ε = 1, 5 epochs)",
      meanMs: await time(3, audit),
      goalMs: 2000,
      note: `audited ε ≥ ${first.trace.epsilonLowerBound.toFixed(2)} vs accountant ${first.trace.accountantEpsilon.toFixed(2)}`,
    },
  ];
  const rng = createRng(1);
  const included = Array.from({ length: 1000 }, () => rng.uniform() < 0.5);
  const scores = included.map((inside) => rng.normal() + (inside ? 0.5 : 0));
  rows.push({
    name: "oneRunAudit statistics only (m = 1000, 6 guess sizes)",
    meanMs: await time(5, () => oneRunAudit({ scores, included, delta: 1e-5 })),
    goalMs: 100,
  });
  const sweepMs = await time(1, () => runAuditSweep({ dataset: patients }));
  rows.push({ name: "runAuditSweep (patients, ε = 0.5, 1, 2, 4, 8, ∞; the CLI default)", meanMs: sweepMs, goalMs: 10_000 });
  return rows;
}
