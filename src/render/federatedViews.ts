/**
 * Notebook views of the voice-assistant case: each reads a trace the federated functions already
 * returned and renders charts and a table, with a text fallback. Nothing is computed here.
 */
import type { UtteranceDataset } from "../data/utterances";
import type { FederatedTrace } from "../federated/fedavg";
import type { UtilityPoint, VoiceAssistantTrace } from "../federated/voiceAssistant";
import { activityFigure, federatedUtilityFigure, roundsFigure, secretExposureFigure } from "./charts/federated";
import { figureHtml } from "./html/plotly";
import { htmlTable } from "./html/table";
import { richOutput, type Displayable } from "./mime";
import { guarantee, renderFederatedReport } from "./text/federatedReport";
import { textTable, type Cell } from "./text/textTable";


/** The three models side by side: accuracy, guarantee, each secret's exposure and favourite completion. */
export function caseView(trace: VoiceAssistantTrace): Displayable {
  const secrets = trace.results[0]?.exposures ?? [];
  const headers = ["model", "held-out accuracy", "guarantee", ...secrets.map((s) => `${s.kind} (${s.repeats}×): rank, bits`)];
  const rows: Cell[][] = trace.results.map((r) => [
    r.label,
    r.heldOut.accuracy,
    guarantee(r.privacy, false),
    ...r.exposures.map((e) => `${e.rank} of ${e.candidates}, ${e.exposure.toFixed(1)}`),
  ]);
  const completions: Cell[][] = trace.results.flatMap((r) =>
    r.exposures.map((e) => [r.label, `${e.prompt.join(" ")} …`, e.favourite.join(" "), e.rank === 1 ? "the secret" : ""]),
  );
  const figure = secretExposureFigure(
    trace.results.map((r) => ({
      model: r.label,
      secrets: r.exposures.map((e) => ({ label: `${e.kind} (${e.repeats}×)`, exposure: e.exposure, maxExposure: e.maxExposure })),
    })),
  );
  return richOutput(
    figureHtml(figure) +
      htmlTable(headers, rows, { caption: "Three models, the same users" }) +
      htmlTable(["model", "prompt", "its favourite completion", ""], completions, { caption: "What an attacker who tries every candidate would guess" }),
    renderFederatedReport(trace),
  );
}

export function utilityView(points: readonly UtilityPoint[], references: readonly { name: string; accuracy: number }[]): Displayable {
  const rows: Cell[][] = points.map((p) => [
    Number.isFinite(p.epsilon) ? p.epsilon : "∞ (FedAvg)",
    p.spentEpsilon ?? "none",
    p.heldOutAccuracy,
    p.meanExposure,
  ]);
  const headers = ["target ε per user", "accountant ε", "held-out accuracy", "mean exposure (bits)"];
  return richOutput(
    figureHtml(federatedUtilityFigure(points, references)) + htmlTable(headers, rows),
    textTable(headers, rows),
  );
}

export function activityView(dataset: UtteranceDataset): Displayable {
  const holders = new Set(dataset.secrets.map((s) => s.userId));
  const counts = dataset.users.map((u) => ({ userId: u.userId, utterances: u.utterances.length, secret: holders.has(u.userId) }));
  const sorted = counts.map((c) => c.utterances).sort((a, b) => a - b);
  const text = `${counts.length} users; utterances per user: min ${sorted[0]}, median ${sorted[sorted.length >> 1]}, max ${sorted[sorted.length - 1]}`;
  return richOutput(figureHtml(activityFigure(counts)) + `<p>${text}</p>`, text);
}

export function roundsView(trace: FederatedTrace): Displayable {
  const last = trace.rounds[trace.rounds.length - 1];
  const text = `${trace.rounds.length} rounds; ε after the last ${last?.epsilon?.toFixed(2) ?? "∞"}`;
  return richOutput(figureHtml(roundsFigure(trace.rounds)), text);
}
