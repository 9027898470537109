/**
 * `privacy-course audit`: does the privacy hold? For each ε, one training run with canaries:
 * test accuracy, a membership-inference attack's AUC, and the audited ε lower bound against
 * the accountant's ε. Table on the terminal; JSON and CSV for plotting.
 */
import { CANARY_KINDS } from "../../audit/canaryAudit";
import { DEFAULT_AUDIT_EPSILONS, runAuditSweep, type AuditSweepPoint } from "../../audit/sweep";
import { MEMBERSHIP_DATASETS } from "../../data/membershipData";
import type { UnsafeForAudit } from "../../pipeline/train";
import { progressBar } from "../../render/text/progress";
import { textTable } from "../../render/text/textTable";
import { checkOutputPath, writeFileSafely } from "../../runtime/safeWrite";
import { InputError, requireOneOf } from "../../validation/errors";
import { toJsonFile } from "../json";
import { EPOCH_RANGE, epsilonListFlag, numberFlag, optionalNumberFlag, parseFlags, parseNumberListFlag, SEED_RANGE } from "../options";

const CSV_COLUMNS: (keyof AuditSweepPoint)[] = [
  "epsilonTarget",
  "accountantEpsilon",
  "noiseMultiplier",
  "testAccuracy",
  "trainAccuracy",
  "attackAuc",
  "attackTprAt1PctFpr",
  "auditLowerBound",
  "violation",
  "correctGuesses",
  "guesses",
  "broken",
];

export function auditPointsCsv(points: readonly AuditSweepPoint[]): string {
  return [CSV_COLUMNS.join(","), ...points.map((p) => CSV_COLUMNS.map((c) => String(p[c])).join(","))].join("\n") + "\n";
}

export async function auditCommand(args: string[]): Promise<string> {
  const { values } = parseFlags("audit", args, {
    epsilons: { type: "string" },
    dataset: { type: "string" },
    canaries: { type: "string" },
    kind: { type: "string" },
    model: { type: "string" },
    hidden: { type: "string" },
    epochs: { type: "string" },
    "batch-size": { type: "string" },
    seed: { type: "string" },
    confidence: { type: "string" },
    unsafe: { type: "string" },
    json: { type: "string" },
    csv: { type: "string" },
    force: { type: "boolean", default: false },
  });
  const dataset = requireOneOf("--dataset", values.dataset ?? "patients", MEMBERSHIP_DATASETS);
  const kind = requireOneOf("--kind", values.kind ?? "gradient", CANARY_KINDS);
  const model = requireOneOf("--model", values.model ?? "logistic", ["logistic", "mlp"] as const);
  const unsafeFlag =
    values.unsafe === undefined ? undefined : requireOneOf("--unsafe", values.unsafe, ["skip-clipping", "skip-noise"] as const);
  const unsafeForAudit: UnsafeForAudit | undefined =
    unsafeFlag === "skip-clipping" ? { skipClipping: true } : unsafeFlag === "skip-noise" ? { skipNoise: true } : undefined;
  const epsilons = epsilonListFlag("epsilons", values.epsilons, [...DEFAULT_AUDIT_EPSILONS]);
  const hidden = values.hidden === undefined ? undefined : parseNumberListFlag("hidden", values.hidden, []);
  hidden?.forEach((width) => {
    if (!(Number.isInteger(width) && width >= 1 && width <= 4096)) throw new InputError("--hidden", "integers in [1, 4096] (layer widths)", width);
  });
  const options = {
    dataset,
    epsilons,
    canaries: optionalNumberFlag("canaries", values.canaries, { min: 2, max: 1_000_000, integer: true }),
    kind,
    seed: numberFlag("seed", values.seed, 7, SEED_RANGE),
    confidence: optionalNumberFlag("confidence", values.confidence, { min: 0, max: 1, minExclusive: true, maxExclusive: true }),
    training: {
      model,
      hidden,
      epochs: optionalNumberFlag("epochs", values.epochs, EPOCH_RANGE),
      batchSize: optionalNumberFlag("batch-size", values["batch-size"], { min: 1, integer: true }),
    },
    unsafeForAudit,
  };
  // Checked before training, so a bad path costs nothing.
  const outputs = { json: values.json, csv: values.csv };
  for (const [flag, file] of Object.entries(outputs)) if (file !== undefined) checkOutputPath(file, { flag: `--${flag}`, force: values.force });
  if (values.json !== undefined && values.json === values.csv) throw new InputError("--csv", "a path other than --json", values.csv);
  const bar = progressBar(epsilons.length, `Audit (${dataset})`);
  const { output, trace } = await runAuditSweep({
    ...options,
    onPoint: (p, done) => bar.update(done, `ε = ${p.epsilonTarget}: audited ε ≥ ${p.auditLowerBound.toFixed(2)}`),
  });
  bar.stop();

  const written: string[] = [];
  if (values.json !== undefined) {
    writeFileSafely(values.json, toJsonFile({ options, trace, points: output.points }), { flag: "--json", force: values.force });
    written.push(values.json);
  }
  if (values.csv !== undefined) {
    writeFileSafely(values.csv, auditPointsCsv(output.points), { flag: "--csv", force: values.force });
    written.push(values.csv);
  }
  const violations = output.points.filter((p) => p.violation);
  return [
    `${trace.description}; ${trace.canaries} ${trace.kind} canaries, ${trace.model}, confidence ${trace.confidence}`,
    ...(unsafeForAudit ? [`BROKEN DP-SGD ON PURPOSE (${unsafeFlag}): the claimed ε of every private run is false.`] : []),
    textTable(
      ["ε target", "accountant ε", "σ", "test accuracy", "attack AUC", "TPR@1%FPR", "audited ε ≥", "claim"],
      output.points.map((p) => [
        p.epsilonTarget,
        p.accountantEpsilon,
        p.noiseMultiplier,
        p.testAccuracy,
        p.attackAuc,
        p.attackTprAt1PctFpr,
        p.auditLowerBound,
        !Number.isFinite(p.accountantEpsilon) ? "none (ε = ∞)" : p.violation ? "REFUTED" : "not refuted",
      ]),
    ),
    violations.length > 0
      ? `${violations.length} claim(s) refuted: the audit proves more leakage than the accountant allows.`
      : "No claimed ε was refuted (an audit can only refute, never prove, a guarantee).",
    ...(written.length > 0 ? [`Wrote ${written.join(" and ")}`] : []),
  ].join("\n");
}
