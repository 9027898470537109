/**
 * Notebook views for attacks, audits and memorisation: each takes the plain output/trace a
 * function already returned and renders a chart plus a table, with a text fallback.
 */
import type { MembershipAttackOutput } from "../attacks/membershipInference";
import type { AuditRunOutput, AuditRunTrace } from "../audit/canaryAudit";
import type { AuditSweepPoint } from "../audit/sweep";
import {
  auditSweepFigure,
  canaryScoresFigure,
  exposureFigure,
  membershipScoresFigure,
  rocCurveFigure,
  type ExposureBar,
} from "./charts/attacks";
import { thinCurve } from "../attacks/roc";
import { escapeHtml } from "./html/escape";
import { figureHtml } from "./html/plotly";
import { htmlTable } from "./html/table";
import { richOutput, type Displayable } from "./mime";
import { textTable, type Cell } from "./text/textTable";

const pct = (v: number) => `${(100 * v).toFixed(1)}%`;

function withTable(figures: string, headers: string[], rows: Cell[][], caption: string, extra = ""): Displayable {
  return richOutput(
    `${figures}${htmlTable(headers, rows, { caption })}${extra}`,
    `${caption}\n${textTable(headers, rows)}`,
  );
}

/** ROC curves of one or more attacks (log-log by default) and their headline numbers. */
export function attackView(
  attacks: readonly { name: string; result: MembershipAttackOutput }[],
  { scale = "log" }: { scale?: "log" | "linear" } = {},
): Displayable {
  const figure = rocCurveFigure(
    attacks.map((a) => ({ name: a.name, roc: { ...a.result.roc, points: thinCurve(a.result.roc.points) } })),
    { scale },
  );
  const rows = attacks.map((a) => [
    a.name,
    a.result.roc.auc,
    pct(a.result.roc.tprAt1PctFpr),
    pct(a.result.roc.tprAt01PctFpr),
    pct(a.result.roc.maxAdvantage),
    `${a.result.roc.members} / ${a.result.roc.nonMembers}`,
  ]);
  return withTable(
    figureHtml(figure),
    ["attack", "AUC", "TPR @ 1% FPR", "TPR @ 0.1% FPR", "max advantage", "members / non-members"],
    rows,
    "Membership inference (guessing: AUC 0.5, TPR = FPR)",
  );
}

export function scoresView(result: MembershipAttackOutput, title?: string): Displayable {
  return richOutput(figureHtml(membershipScoresFigure(result, title)), `[chart] ${title ?? "attack scores"}`);
}

/** One audited training run: the verdict, the canary scores and the numbers behind the bound. */
export function auditView(audit: { output: AuditRunOutput; trace: AuditRunTrace }): Displayable {
  const t = audit.trace;
  const rows: Cell[][] = [
    ["claimed ε (accountant)", t.accountantEpsilon],
    ["audited ε lower bound", t.epsilonLowerBound],
    ["confidence", t.confidence],
    ["canaries (in)", `${t.canaries} (${t.included})`],
    ["guesses, correct", `${t.guesses}, ${t.correctGuesses}`],
    ["noise multiplier σ", t.noiseMultiplier],
    ["broken on purpose", t.unsafeForAudit ? Object.keys(t.unsafeForAudit).join(", ") : "no"],
  ];
  const verdict = `<p><strong>${escapeHtml(t.verdict)}</strong></p>`;
  const warnings = t.training.warnings.map((w) => `<p style="color:#b00"><strong>${escapeHtml(w)}</strong></p>`).join("");
  return richOutput(
    `${warnings}${figureHtml(canaryScoresFigure(audit.output))}${htmlTable(["", "value"], rows)}${verdict}`,
    `${t.training.warnings.join("\n")}${t.training.warnings.length ? "\n" : ""}${textTable(["", "value"], rows)}\n${t.verdict}`,
  );
}

export function exposureView(bars: readonly ExposureBar[]): Displayable {
  return withTable(
    figureHtml(exposureFigure(bars)),
    ["model", "exposure (bits)", "fully memorised"],
    bars.map((b) => [b.name, b.exposure, b.maxExposure]),
    "Canary exposure",
  );
}

/** The sweep: one chart (accuracy, attack AUC, audited ε vs accountant's ε) and its table. */
export function auditSweepView(points: readonly AuditSweepPoint[], options: { confidence?: number } = {}): Displayable {
  const level = options.confidence === undefined ? "" : ` (${+(100 * options.confidence).toFixed(2)}%)`;
  const rows = points.map((p) => [
    p.epsilonTarget,
    p.accountantEpsilon,
    p.noiseMultiplier,
    p.testAccuracy,
    p.attackAuc,
    pct(p.attackTprAt1PctFpr),
    p.auditLowerBound,
    p.violation ? "VIOLATION" : "ok",
  ]);
  return withTable(
    figureHtml(auditSweepFigure(points, undefined, options.confidence)),
    ["ε target", "accountant ε", "σ", "test accuracy", "attack AUC", "TPR@1%FPR", `audited ε ≥${level}`, "claim"],
    rows,
    "Privacy audit across budgets",
  );
}
