/**
 * Notebook views for the GAN lesson: training, fidelity, distance to closest record, negative
 * events and the agent's episodes. Rendering only: each takes the plain output/trace a
 * function already returned and shows a chart and tables, with a text fallback.
 */
import type { AgentAction, RunEpisodesOutput, RunEpisodesTrace } from "../gan/agent";
import type { NegativeEventKind, NegativeEventReport } from "../gan/negativeEvents";
import type { GanTrace } from "../gan/trainGan";
import type { AnonymityPipelineTrace } from "../gan/anonymityPipeline";
import { describeSettings, type ComposedPrivacy, type IterationTrace, type IterationsTrace } from "../gan/iteration";
import type { FidelityReport, FidelityTrace } from "../synthetic/fidelity";
import type { DcrReport, DcrTrace } from "../synthetic/privacy";
import { agentRewardFigure, dcrHistogramFigure, ganLossesFigure } from "./charts/gan";
import { composeView, type ViewPart } from "./compose";
import { accountantKindOf } from "../privacy/accountant/factory";
import type { Displayable } from "./mime";
import { formatCell, type Cell } from "./text/textTable";

const pct = (v: number) => `${(100 * v).toFixed(1)}%`;
const yesNo = (v: boolean) => (v ? "yes" : "no");

/** Row indices as text, the first few then how many more. */
function rowList(rows: readonly number[], shown = 6): string {
  return rows.length <= shown ? rows.join(", ") : `${rows.slice(0, shown).join(", ")}, … (${rows.length} rows)`;
}

/** Every `ceil(n / max)`-th item and the last one: a long log in at most about `max` rows. */
function thin<T>(items: readonly T[], max: number): T[] {
  const every = Math.max(1, Math.ceil(items.length / max));
  return items.filter((_, i) => i % every === 0 || i === items.length - 1);
}

function definitions(defs: Readonly<Record<string, string>> | undefined): string[] {
  return defs ? Object.entries(defs).map(([name, text]) => `${name}: ${text}`) : [];
}

/** A trainGan run: warnings, the losses chart, what the privacy covers, and the log. */
export function ganTrainingView(trace: GanTrace, { maxLogRows = 12 }: { maxLogRows?: number } = {}): Displayable {
  const p = trace.privacy;
  const o = trace.options;
  const settings: Cell[][] = [
    ["ε spent", p.private ? p.epsilonSpent : "∞ (no privacy)"],
    ["ε target", p.epsilonTarget === null ? "none (σ given)" : p.epsilonTarget],
    ["δ", p.delta],
    ["noise multiplier σ", `${formatCell(p.noiseMultiplier)} (${p.noiseSource})`],
    ["sampling rate q (expected real batch)", `${formatCell(p.sampleRate)} (${formatCell(p.expectedBatchSize)})`],
    ["clip norm C", p.clipNorm ?? "none"],
    ["discriminator steps accounted", p.discriminatorSteps],
    ["ε covers the generator and its samples", yesNo(p.coversGenerator)],
    ["generator steps × discriminator steps", `${o.steps} × ${o.dSteps}`],
    ["rows × encoded width", `${trace.shapes.rows} × ${trace.shapes.width}`],
    ["parameters (generator / discriminator)", `${trace.parameterCounts.generator} / ${trace.parameterCounts.discriminator}`],
    ["generator penalty", o.generatorPenalty ? `${o.generatorPenalty.name} × ${o.generatorPenalty.weight}` : "none"],
    ["time", `${formatCell(trace.durations.totalMs / 1000)} s (${formatCell(trace.durations.msPerGeneratorStep)} ms per generator step, ${trace.backend})`],
  ];
  const shown = thin(trace.log, maxLogRows);
  return composeView([
    ...trace.warnings.map((w): ViewPart => ({ kind: "line", text: w, emphasis: "warning" })),
    { kind: "figure", figure: ganLossesFigure(trace) },
    { kind: "table", headers: ["", "value"], rows: settings, caption: "GAN training" },
    {
      kind: "table",
      headers: ["step", "D loss real", "D loss fake", "G loss", "D acc. real", "D acc. fake", "ε spent", "clipped"],
      rows: shown.map((r) => [r.step, r.dLossReal, r.dLossFake, r.gLoss, r.dAccuracyReal, r.dAccuracyFake, r.epsilonSpent, r.clippedFraction]),
      caption: `Training log: ${shown.length} of ${trace.log.length} records`,
    },
    { kind: "notes", notes: p.notes, summary: "What ε covers and what it does not" },
  ]);
}

/** measureFidelity's report: each column's KS or TV distance, then the pairs whose association moved most. */
export function fidelityView(report: FidelityReport, trace?: FidelityTrace, { maxPairs = 15 }: { maxPairs?: number } = {}): Displayable {
  const listed = (values: readonly Cell[]) => (values.length === 0 ? "" : values.slice(0, 5).join(", ") + (values.length > 5 ? ` (+${values.length - 5})` : ""));
  const columns = report.columns.map((c): Cell[] =>
    c.kind === "numeric"
      ? [c.column, c.kind, "KS", c.ks, `p = ${formatCell(c.pValue)}`]
      : [
          c.column,
          c.kind,
          "TV",
          c.tv,
          [c.invented.length > 0 ? `invented: ${listed(c.invented)} (${pct(c.inventedShare)} of synthetic rows)` : "", c.missed.length > 0 ? `missed: ${listed(c.missed)}` : ""]
            .filter(Boolean)
            .join("; "),
        ],
  );
  const pairs = [...report.pairs].sort((a, b) => b.difference - a.difference);
  const s = report.summary;
  const show = (v: number | null) => (v === null ? "–" : formatCell(v));
  return composeView([
    {
      kind: "line",
      text:
        trace?.summary ??
        `mean KS ${show(s.meanKs)}, mean TV ${show(s.meanTv)}, mean association difference ${show(s.meanAssociationDifference)} (largest ${show(s.maxAssociationDifference)}${s.worstPair ? ` for ${s.worstPair.join("–")}` : ""})`,
      emphasis: "strong",
    },
    {
      kind: "table",
      headers: ["column", "kind", "measure", "distance (0 = same)", "detail"],
      rows: columns,
      caption: trace ? `Fidelity per column: ${trace.rows.real} real rows, ${trace.rows.synthetic} synthetic` : "Fidelity per column",
    },
    {
      kind: "table",
      headers: ["columns", "measure", "real", "synthetic", "|difference|"],
      rows: pairs.map((p) => [p.columns.join(" – "), p.measure, p.real, p.synthetic, p.difference]),
      caption: "Associations between columns, largest difference first",
      maxRows: maxPairs,
    },
    { kind: "notes", notes: definitions(trace?.definitions), summary: "Definitions" },
  ]);
}

/** distanceToClosestRecord's report: the histogram against the holdout, the percentiles and the closest pairs. */
export function dcrView(report: DcrReport, trace?: DcrTrace): Displayable {
  const share = (c: { count: number; share: number }) => `${c.count} (${pct(c.share)})`;
  return composeView([
    ...(trace ? [{ kind: "line", text: trace.summary, emphasis: "strong" } as const] : []),
    { kind: "figure", figure: dcrHistogramFigure(report) },
    {
      kind: "table",
      headers: ["distance to the closest training row", "synthetic rows", "holdout rows"],
      rows: [
        ["5th percentile", report.synthetic.p5, report.holdout.p5],
        ["median", report.synthetic.p50, report.holdout.p50],
        [`closer than the threshold ${formatCell(report.threshold)}`, share(report.closeRows), "5% by construction"],
        ["exact copies (distance 0)", share(report.exactCopies), share(report.holdoutExactCopies)],
      ],
      caption: "Distance to closest record",
    },
    {
      kind: "table",
      headers: ["synthetic row", "closest training row", "distance"],
      rows: report.closestPairs.map((p) => [p.synthetic, p.train, p.distance]),
      caption: "Closest synthetic–training pairs",
    },
    { kind: "notes", notes: definitions(trace?.definitions), summary: "Definitions" },
  ]);
}

/** A negative-event report: how many of each kind, what they cost, and the first events in words. */
export function negativeEventsView(
  report: NegativeEventReport & { threshold?: number },
  { maxEvents = 10, caption = "Negative events" }: { maxEvents?: number; caption?: string } = {},
): Displayable {
  const kinds = Object.keys(report.counts) as NegativeEventKind[];
  const total = kinds.reduce((sum, kind) => sum + report.counts[kind], 0);
  return composeView([
    {
      kind: "table",
      headers: ["kind", "events", "weight", "penalty"],
      rows: [...kinds.map((kind) => [kind, report.counts[kind], report.weights[kind], report.weights[kind] * report.counts[kind]]), ["total", total, "", report.penalty]],
      caption: `${caption}: ${total} events, penalty ${formatCell(report.penalty)}`,
    },
    ...(report.threshold === undefined
      ? []
      : [{ kind: "line", text: `A near-copy is a synthetic row closer to a training row than ${formatCell(report.threshold)} (the holdout threshold).` } as const]),
    {
      kind: "table",
      headers: ["#", "kind", "released rows", "training rows", "what happened"],
      rows: report.events.map((e, i) => [i + 1, e.kind, rowList(e.releasedRows), rowList(e.trainRows), e.sentence]),
      caption: report.events.length > maxEvents ? `The first ${maxEvents} of ${report.events.length} events` : "Events",
      maxRows: maxEvents,
    },
  ]);
}

/** runEpisodes' result: the reward chart, what the agent made of each action, and the last episodes. */
export function episodesView(
  result: { output: RunEpisodesOutput<AgentAction>; trace: RunEpisodesTrace },
  { lastEpisodes = 10 }: { lastEpisodes?: number } = {},
): Displayable {
  const { output, trace } = result;
  const episodes = trace.episodes;
  const final = episodes.length > 0 ? episodes[episodes.length - 1].state : null;
  const recent = episodes.slice(-lastEpisodes);
  return composeView([
    { kind: "line", text: trace.summary, emphasis: "strong" },
    { kind: "figure", figure: agentRewardFigure(trace) },
    {
      kind: "table",
      headers: ["action", "episodes", "share of episodes", "mean reward", "probability of being chosen next", ""],
      rows: output.perAction.map((a) => [
        a.label,
        a.episodes,
        pct(a.episodes / Math.max(1, episodes.length)),
        a.meanReward,
        final ? final.probabilities[a.index] : null,
        a.index === output.best.index ? "★ best" : "",
      ]),
      caption: `What the agent (${trace.agent.kind}) learned about each action`,
    },
    {
      kind: "table",
      headers: ["episode", "action", "utility", "events", "penalty", "reward", "running mean reward"],
      rows: recent.map((e) => [e.episode, e.label, e.utility, e.events, e.penalty, e.reward, e.runningMeanReward]),
      caption: `The last ${recent.length} of ${episodes.length} episodes`,
    },
    {
      kind: "notes",
      notes: [...definitions(trace.definitions), `update rule: ${trace.agent.rule}`, ...trace.agent.sources.map((s) => `source: ${s}`)],
      summary: "How the agent learns",
    },
  ]);
}

/** What the anonymity pipeline did to the training rows before the GAN saw them. */
export function pipelineView(trace: AnonymityPipelineTrace): Displayable {
  return composeView([
    { kind: "line", text: trace.summary, emphasis: "strong" },
    {
      kind: "table",
      headers: ["quasi-identifier", "level", "meaning", "distinct before", "distinct after", "cells changed"],
      rows: trace.generalised.map((g) => [g.column, `${g.level} of ${g.height}`, g.meaning, g.distinctBefore, g.distinctAfter, g.cellsChanged]),
      caption: `Generalisation (identifiers dropped: ${trace.droppedIdentifiers.join(", ") || "none"})`,
    },
    {
      kind: "table",
      headers: ["", "value"],
      rows: [
        ["rows", trace.rows],
        ["grouping", trace.grouping ? `${trace.grouping.groups.count} groups of ${trace.grouping.groups.smallest}–${trace.grouping.groups.largest} rows` : "off"],
        ["variance lost to grouping", trace.grouping ? pct(trace.grouping.varianceLost.share) : "—"],
        ["k of the released rows (smallest class)", trace.kAnonymity.achieved],
        ["classes", trace.kAnonymity.classes],
      ],
      caption: "The released training rows",
    },
    { kind: "notes", notes: trace.privacyNotes, summary: "What ε will and will not cover" },
  ]);
}

function goalRows(trace: IterationTrace): Cell[][] {
  const goals = trace.feedback.goals;
  const eps = trace.privacy.epsilonSpent;
  return [
    [goals.utility.rule, `${trace.feedback.gapPoints.toFixed(1)} points lost`, yesNo(goals.utility.met)],
    [goals.noCloseRecords.rule, `${goals.noCloseRecords.count} rows`, yesNo(goals.noCloseRecords.met)],
    [goals.percentile.rule, `${trace.dcr.syntheticP5.toFixed(3)} vs ${trace.dcr.holdoutP5.toFixed(3)}`, yesNo(goals.percentile.met)],
    [
      trace.privacy.coversEncoding
        ? "a reported ε (from the accountant) that covers how every released row was generated (the encoding declared from public metadata)"
        : "a reported ε (from the accountant) that covers how every released row was generated (given the encoding's ranges and categories, which it does not cover)",
      Number.isFinite(eps) ? `ε = ${eps.toFixed(2)}, δ = ${trace.privacy.delta}${trace.privacy.coversRelease ? "" : " (does not cover this release: see the notes)"}` : "ε = ∞ (no DP)",
      yesNo(Number.isFinite(eps) && trace.privacy.coversRelease),
    ],
  ];
}

/** One iteration's settings, privacy, measures, negative events and goals. */
export function iterationView(trace: IterationTrace): Displayable {
  return composeView([
    { kind: "line", text: trace.summary, emphasis: "strong" },
    {
      kind: "table",
      headers: ["measure", "value"],
      rows: [
        ["train on real, test on real (TRTR)", pct(trace.utility.trtrAccuracy)],
        ["train on synthetic, test on real (TSTR)", pct(trace.utility.tstrAccuracy)],
        ["mean KS distance (numeric columns)", trace.fidelity.meanKs],
        ["mean total variation (categorical columns)", trace.fidelity.meanTv],
        ["mean difference of pairwise associations", trace.fidelity.meanAssociationDifference],
        ["5th percentile distance to closest record: synthetic / holdout", `${trace.dcr.syntheticP5.toFixed(3)} / ${trace.dcr.holdoutP5.toFixed(3)}`],
        ["exact copies of a training row", trace.dcr.exactCopies],
        ["penalty (Σ weight × negative events)", trace.events.penalty],
      ],
      caption: `Iteration ${trace.iteration}: ${describeSettings(trace.settings)}`,
    },
    { kind: "table", headers: ["goal", "measured", "met"], rows: goalRows(trace), caption: "Goals" },
    {
      kind: "table",
      headers: ["DP-SGD run on the real rows", "sampling rate q", "steps", "noise multiplier σ"],
      rows: trace.privacy.runs.map((r) => [r.name, r.sampleRate, r.steps, r.noiseMultiplier]),
      caption: `The release's budget: ${Number.isFinite(trace.privacy.epsilonSpent) ? `ε = ${trace.privacy.epsilonSpent.toFixed(2)}, δ = ${trace.privacy.delta}` : "ε = ∞"} for ${trace.privacy.runs.length === 1 ? "this run" : "these runs together (one accountant)"}`,
    },
    ...(trace.labelModel
      ? [
          {
            kind: "line",
            text: `${trace.labelModel.summary}; it redrew ${trace.labelModel.relabelled.changed} of ${trace.labelModel.relabelled.rows} generated outcomes (share of ${trace.labelModel.label} = ${String(trace.labelModel.categories[1])}: ${pct(trace.labelModel.relabelled.secondCategoryShare.after)}; the generator's own: ${pct(trace.labelModel.relabelled.secondCategoryShare.before)}).`,
          } as const,
        ]
      : []),
    { kind: "notes", notes: trace.privacyNotes, summary: "What ε covers" },
  ]);
}

/** The goals of the 1000-row example for one iteration. */
export function goalsView(trace: IterationTrace): Displayable {
  return composeView([{ kind: "table", headers: ["goal", "measured", "met"], rows: goalRows(trace), caption: `Goals of iteration ${trace.iteration} (${describeSettings(trace.settings)})` }]);
}

/** Iteration 1, 2, 3, …: settings, results, and why the next settings were chosen. */
export function iterationsView(trace: IterationsTrace): Displayable {
  return composeView([
    {
      kind: "table",
      headers: ["iteration", "settings", "ε spent", "TSTR", "gap (points)", "near-copies", "small groups", "rare combinations", "next"],
      rows: trace.iterations.map(({ trace: t, adjustment }) => [
        t.iteration,
        describeSettings(t.settings),
        Number.isFinite(t.privacy.epsilonSpent) ? t.privacy.epsilonSpent.toFixed(2) : "∞",
        pct(t.utility.tstrAccuracy),
        t.feedback.gapPoints.toFixed(1),
        t.events.counts["near-copy"],
        t.events.counts["small-group"],
        t.events.counts["rare-combination"],
        adjustment.reason,
      ]),
      caption: "Each iteration's feedback sets the next iteration's pipeline",
    },
    ...composedPrivacyParts(trace.privacy),
  ]);
}

/** Several releases on the same people: the ε of all of them together, and what it does not cover. */
export function composedPrivacyView(privacy: ComposedPrivacy): Displayable {
  return composeView(composedPrivacyParts(privacy));
}

function composedPrivacyParts(privacy: ComposedPrivacy): ViewPart[] {
  const eps = (e: number) => (Number.isFinite(e) ? e.toFixed(2) : "∞");
  return [
    {
      kind: "line",
      text: `All ${privacy.releases} runs together: ε = ${eps(privacy.epsilonSpent)}, δ = ${privacy.delta} (one ${accountantKindOf(privacy.accountant).toUpperCase()} accountant fed every DP-SGD run; the largest single run reported ε = ${eps(privacy.largestSingleEpsilon)}). The tuning between runs is not covered: see the notes.`,
      emphasis: "strong",
    },
    { kind: "notes", notes: privacy.notes, summary: "What the composed ε covers and what it does not" },
  ];
}
