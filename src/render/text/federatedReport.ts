/** The voice-assistant case as terminal text: the three models' utility, guarantee and memorisation. */
import type { VoiceAssistantTrace } from "../../federated/voiceAssistant";
import { textTable } from "./textTable";

/** A model's guarantee in words: ε, its unit, δ, σ and the accountant, or none. */
export const guarantee = (p: VoiceAssistantTrace["results"][number]["privacy"], detail = true) =>
  p ? `ε = ${p.epsilon.toFixed(2)} per ${p.unit}` + (detail ? ` (δ = ${p.delta}, σ = ${p.noiseMultiplier.toFixed(2)}, ${p.accountant.toUpperCase()})` : "") : "none";

export function renderFederatedReport(trace: VoiceAssistantTrace): string {
  const secrets = trace.results[0]?.exposures ?? [];
  const lines = [
    `${trace.split.trainUsers} training users, ${trace.split.heldOutUsers} held out; ${trace.trainExamples} next-word examples to train on, ` +
      `${trace.heldOutExamples} held out; vocabulary ${trace.vocabulary}, ${trace.parameters} parameters.`,
    trace.contribution.notes[0],
    "",
    textTable(
      ["model", "held-out accuracy", "guarantee", ...secrets.map((s) => `${s.kind} (${s.repeats}×) exposure`)],
      trace.results.map((r) => [
        r.label,
        r.heldOut.accuracy,
        guarantee(r.privacy),
        ...r.exposures.map((e) => `${e.exposure.toFixed(1)} / ${e.maxExposure.toFixed(1)} bits`),
      ]),
    ),
    "",
    "Each model's favourite completion of the secret's first words (of every candidate, the one it finds most likely):",
    ...trace.results.flatMap((r) =>
      r.exposures.map((e) => `  ${r.label}: "${e.prompt.join(" ")} …" → ${e.favourite.join(" ")}` +
        (e.rank === 1 ? "   ← THE SECRET" : `   (the secret ranks ${e.rank} of ${e.candidates})`)),
    ),
  ];
  if (trace.federated) {
    const last = trace.federated.rounds[trace.federated.rounds.length - 1];
    const clipped = trace.federated.rounds.reduce((s, r) => s + r.clippedFraction * r.usersSampled, 0);
    const sampled = trace.federated.rounds.reduce((s, r) => s + r.usersSampled, 0);
    lines.push(
      "",
      `DP-FedAvg: ${trace.federated.rounds.length} rounds, ${sampled} user updates (${(sampled / trace.federated.rounds.length).toFixed(1)} per round), ` +
        `${(100 * (sampled ? clipped / sampled : 0)).toFixed(0)} % clipped; ε after the last round ${last?.epsilon?.toFixed(2) ?? "∞"}.`,
      ...trace.federated.notes,
    );
  }
  return lines.join("\n");
}
