import { beforeAll, describe, expect, it } from "vitest";
import type { Table } from "../../src/anonymity/table";
import { actionGrid, createAgent, runEpisodes } from "../../src/gan/agent";
import { countNegativeEventsInRelease } from "../../src/gan/negativeEvents";
import { nearCopyPenalty } from "../../src/gan/penalty";
import { trainGan, type GanTrace } from "../../src/gan/trainGan";
import { createRng } from "../../src/random/rng";
import { agentRewardFigure, dcrHistogramFigure, ganLossesFigure, realVsSyntheticFigure } from "../../src/render/charts/gan";
import type { Trace } from "../../src/render/charts/figure";
import { sharedBins } from "../../src/render/charts/panels";
import { composeView } from "../../src/render/compose";
import { dcrView, episodesView, fidelityView, ganTrainingView, negativeEventsView } from "../../src/render/ganViews";
import { isDisplayable } from "../../src/render/mime";
import { useBackend } from "../../src/runtime/tensorflow";
import { encodeTable, fitEncoding } from "../../src/synthetic/encoding";
import { measureFidelity } from "../../src/synthetic/fidelity";
import { distanceToClosestRecord } from "../../src/synthetic/privacy";
import { expectInputError } from "../helpers/expectInputError";

/** kind ∈ {a, b, c}, value ~ N(shift, 1), flag 0/1. */
function smallTable(rows: number, seed: number, shift = 0): Table {
  const rng = createRng(seed);
  const kind: string[] = [];
  const value: number[] = [];
  const flag: number[] = [];
  for (let i = 0; i < rows; i++) {
    const u = rng.uniform();
    kind.push(u < 0.6 ? "a" : u < 0.9 ? "b" : "c");
    value.push(shift + rng.normal());
    flag.push(rng.uniform() < 0.3 ? 1 : 0);
  }
  return { columns: ["kind", "value", "flag"], data: { kind, value, flag } };
}

const html = (view: { toMimeBundle(): Record<string, unknown> }) => view.toMimeBundle()["text/html"] as string;
const text = (view: { toMimeBundle(): Record<string, unknown> }) => view.toMimeBundle()["text/plain"] as string;
const names = (data: Trace[]) => data.map((t) => t.name);

describe("GAN losses", () => {
  const real = smallTable(60, 1);
  const encoding = fitEncoding(real, { categorical: ["flag"] });
  let privateTrace: GanTrace;

  beforeAll(async () => {
    await useBackend();
    privateTrace = (await trainGan(real, encoding, { steps: 12, logEvery: 5, batchSize: 16, targetEpsilon: 2, seed: 3 })).trace;
  });

  it("draws one point per log record for every series, ε on the accuracy panel's right axis", () => {
    const figure = ganLossesFigure(privateTrace);
    const steps = privateTrace.log.map((r) => r.step);
    expect(steps).toEqual([1, 5, 10, 12]);
    expect(names(figure.data)).toEqual(["D loss on real rows", "D loss on fake rows", "G loss", "D accuracy on real rows", "D accuracy on fake rows", "ε spent"]);
    for (const t of figure.data) {
      expect(t.x).toEqual(steps);
      expect(t.y).toHaveLength(steps.length);
    }
    expect(figure.data[2].y).toEqual(privateTrace.log.map((r) => r.gLoss));
    expect(figure.data.map((t) => t.yaxis ?? "y")).toEqual(["y", "y", "y", "y2", "y2", "y3"]);
    expect(figure.data[5].y).toEqual(privateTrace.log.map((r) => r.epsilonSpent));
    const title = figure.layout.title!.text;
    expect(title).toContain(`ε = ${privateTrace.privacy.epsilonSpent.toFixed(3)}`);
    expect(title).toContain("δ = 1.00e-5");
    expect(title).toContain("target 2");
    expect(title).not.toContain("discriminator only");
  });

  it("leaves ε out without privacy and shows the penalty, and what ε covers, when there is one", async () => {
    const baseline = await trainGan(real, encoding, { steps: 6, logEvery: 5, batchSize: 16, targetEpsilon: Infinity, seed: 3 });
    const figure = ganLossesFigure(baseline.trace);
    expect(names(figure.data)).not.toContain("ε spent");
    expect(figure.layout.title!.text).toContain("no privacy (ε = ∞)");

    const penalty = nearCopyPenalty(encodeTable(real, encoding), 0.5);
    const penalised = await trainGan(real, encoding, { steps: 6, logEvery: 5, batchSize: 16, targetEpsilon: 2, seed: 3, generatorPenalty: penalty });
    const withPenalty = ganLossesFigure(penalised.trace);
    const penaltyTrace = withPenalty.data.find((t) => t.name === "G penalty (before its weight)");
    expect(penaltyTrace?.y).toEqual(penalised.trace.log.map((r) => r.penalty));
    expect(withPenalty.layout.title!.text).toContain("ε covers the discriminator only");

    // The view shows the trace's warning first, in red, and the notes folded away.
    const view = ganTrainingView(penalised.trace);
    expect(penalised.trace.warnings.length).toBeGreaterThan(0);
    expect(html(view).indexOf('<p style="color:#b00">')).toBe(0);
    expect(html(view)).toContain("<details open><summary>What ε covers and what it does not</summary>");
    expect(text(view)).toContain("[chart] GAN training");
  });

  it("thins a long log in the view's table but keeps the last record", () => {
    const long: GanTrace = { ...privateTrace, log: Array.from({ length: 30 }, (_, i) => ({ ...privateTrace.log[0], step: i + 1 })) };
    const view = html(ganTrainingView(long, { maxLogRows: 10 }));
    expect(view).toContain("Training log: 11 of 30 records");
    expect(view).toMatch(/<td style="text-align:right">30<\/td>/);
  });
});

describe("real vs synthetic distributions", () => {
  const real = smallTable(200, 2);
  const synthetic = smallTable(150, 3, 1);
  (synthetic.data.kind as string[])[0] = "<b>invented</b>";

  it("overlays numbers on the same bins and puts categories side by side as shares", () => {
    const figure = realVsSyntheticFigure(real, synthetic, ["value", "kind", "flag"], { categorical: ["flag"], bins: 20 });
    expect(figure.data).toHaveLength(6);
    const [hReal, hSynthetic, kReal, kSynthetic, fReal] = figure.data;
    expect([hReal.type, kReal.type, fReal.type]).toEqual(["histogram", "bar", "bar"]);
    expect(hReal.xbins).toEqual(hSynthetic.xbins);
    const bins = hReal.xbins as { start: number; end: number; size: number };
    const all = [...(real.data.value as number[]), ...(synthetic.data.value as number[])];
    expect(bins.start).toBe(Math.min(...all));
    expect(bins.end).toBeGreaterThan(Math.max(...all));
    expect((bins.end - bins.start) / bins.size).toBeCloseTo(20, 9);
    expect(hReal.x).toHaveLength(200);
    expect(hSynthetic.x).toHaveLength(150);
    expect(hReal.histnorm).toBe("probability");

    // Real categories first (by share), then the one the synthetic table invented.
    expect(kReal.x).toEqual(["a", "b", "c", "<b>invented</b>"]);
    expect(kSynthetic.x).toEqual(kReal.x);
    const sum = (ys: Trace["y"]) => (ys as number[]).reduce((s, v) => s + v, 0);
    expect(sum(kReal.y)).toBeCloseTo(1, 12);
    expect(sum(kSynthetic.y)).toBeCloseTo(1, 12);
    expect((kReal.y as number[])[3]).toBe(0);
    expect((kSynthetic.y as number[])[3]).toBeCloseTo(1 / 150, 12);

    // One panel per column; the legend entries come from the first panel only.
    expect(figure.data.map((t) => [t.xaxis, t.yaxis])).toEqual([["x", "y"], ["x", "y"], ["x2", "y2"], ["x2", "y2"], ["x3", "y3"], ["x3", "y3"]]);
    expect(figure.data.map((t) => t.showlegend)).toEqual([true, true, false, false, false, false]);
    expect(figure.layout.grid).toEqual({ rows: 1, columns: 3, pattern: "independent", ygap: 0.5 });
    expect((figure.layout.xaxis2 as { type?: string }).type).toBe("category");
  });

  it("draws 0/1 as numbers unless told otherwise, and names unknown columns", () => {
    expect(realVsSyntheticFigure(real, synthetic, "flag").data[0].type).toBe("histogram");
    expectInputError(() => realVsSyntheticFigure(real, synthetic, ["value", "age"]), "columns");
    expectInputError(() => realVsSyntheticFigure(real, synthetic, []), "columns");
  });

  it("bins a constant sample without dividing by zero", () => {
    expect(sharedBins([[2, 2], [2]])).toEqual({ start: 1.5, end: 2.5, size: 1 });
    expect(sharedBins([[]])).toEqual({ start: 0, end: 1, size: 1 });
  });
});

describe("distance to closest record", () => {
  const train = smallTable(80, 4);
  const holdout = smallTable(50, 5);
  const synthetic = smallTable(40, 6, 0.5);
  const { output, trace } = distanceToClosestRecord({ train, holdout, synthetic, closestPairs: 3 });

  it("overlays synthetic and holdout distances on shared bins with the threshold as a line", () => {
    const figure = dcrHistogramFigure(output);
    expect(figure.data).toHaveLength(2);
    expect(figure.data[0].x).toEqual(output.syntheticDistances);
    expect(figure.data[1].x).toEqual(output.holdoutDistances);
    expect(figure.data[0].xbins).toEqual(figure.data[1].xbins);
    const [line] = figure.layout.shapes as { x0: number; x1: number; yref: string }[];
    expect(line.x0).toBe(output.threshold);
    expect(line.x1).toBe(output.threshold);
    expect(line.yref).toBe("paper");
    expect(figure.layout.title!.text).toContain(`${(100 * output.closeRows.share).toFixed(1)}%`);
  });

  it("lists the percentiles and the closest pairs", () => {
    const view = dcrView(output, trace);
    expect(html(view)).toContain(trace.summary.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;"));
    const pairs = html(view).split("Closest synthetic–training pairs")[1];
    expect(pairs.match(/<tr><td/g)).toHaveLength(3);
  });
});

describe("the agent's rewards", () => {
  const { output: actions } = actionGrid({ k: [2, 5], noise: ["low</script><b>x", "high"] });
  const UTILITY = [0.9, 0.8, 0.7, 0.6];
  const EVENTS = [6, 2, 1, 0];

  async function run(episodes: number) {
    const agent = createAgent({ kind: "epsilon-greedy", actions, seed: 2 });
    return runEpisodes({
      agent,
      environment: (action) => {
        const a = actions.indexOf(action);
        return { utility: UTILITY[a], negativeEvents: { "near-copy": EVENTS[a], "small-group": 1 } };
      },
      episodes,
      penaltyPerEvent: { "near-copy": 0.05, "small-group": 0.01 },
    });
  }

  it("draws each episode once, coloured by its action, with the running mean and the choice strip", async () => {
    const { trace } = await run(40);
    const figure = agentRewardFigure(trace);
    const tried = new Set(trace.episodes.map((e) => e.action)).size;
    expect(figure.data).toHaveLength(2 * tried + 3);
    const rewards = figure.data.slice(0, tried);
    const strip = figure.data.slice(tried + 3);
    expect(rewards.reduce((n, t) => n + (t.x?.length ?? 0), 0)).toBe(40);
    for (const [i, t] of rewards.entries()) {
      const a = trace.agent.actions.indexOf(t.name as string);
      expect(t.x).toEqual(trace.episodes.filter((e) => e.action === a).map((e) => e.episode));
      expect(t.y).toEqual(trace.episodes.filter((e) => e.action === a).map((e) => e.reward));
      expect(strip[i].yaxis).toBe("y2");
      expect(strip[i].x).toEqual(t.x);
      expect(strip[i].y).toEqual(t.x!.map(() => t.name));
      expect((strip[i].marker as { color: string }).color).toBe((t.marker as { color: string }).color);
      expect(strip[i].showlegend).toBe(false);
    }
    expect(names(figure.data.slice(tried, tried + 3))).toEqual(["utility", "penalty (subtracted)", "running mean reward"]);
    for (const t of figure.data.slice(tried, tried + 3)) expect(t.x).toHaveLength(40);
    expect(figure.data[tried + 2].y).toEqual(trace.episodes.map((e) => e.runningMeanReward));
    expect((figure.layout.yaxis2 as { categoryarray: string[] }).categoryarray).toEqual(actions.map((a) => a.label));
  });

  it("tables what the agent learned per action, marks the best, and escapes labels", async () => {
    const result = await run(30);
    const view = html(episodesView(result, { lastEpisodes: 5 }));
    expect(view).not.toContain("</script><b>x");
    expect(view).toContain("low&lt;/script&gt;&lt;b&gt;x");
    expect(view).toContain("The last 5 of 30 episodes");
    expect(view.match(/★ best/g)).toHaveLength(1);
    const bestRow = view.split("<tr>").find((row) => row.includes("★ best"))!;
    expect(bestRow).toContain(result.output.best.label.replace(/</g, "&lt;").replace(/>/g, "&gt;"));
    expect(view).toContain(`update rule: ${result.trace.agent.rule.replace(/</g, "&lt;").replace(/>/g, "&gt;")}`);
  });
});

describe("fidelity and negative events as tables", () => {
  it("shows each column's distance and the pairs, worst first, escaping categories", () => {
    const real = smallTable(120, 7);
    const synthetic = smallTable(100, 8, 0.3);
    (synthetic.data.kind as string[])[5] = "<i>new</i>";
    const { output, trace } = measureFidelity(real, synthetic, { categorical: ["flag"] });
    const view = fidelityView(output, trace);
    const page = html(view);
    expect(page).toContain("&lt;i&gt;new&lt;/i&gt;");
    expect(page).not.toContain("<i>new</i>");
    for (const column of real.columns) expect(page).toContain(`<td>${column}</td>`);
    const differences = [...page.split("Associations between columns")[1].matchAll(/<tr>(?:<td[^>]*>[^<]*<\/td>){4}<td[^>]*>([^<]*)<\/td><\/tr>/g)].map((m) => Number(m[1]));
    expect(differences).toHaveLength(output.pairs.length);
    expect(differences).toEqual([...differences].sort((a, b) => b - a));
    expect(text(view)).toContain(trace.summary);
  });

  it("counts events per kind with the penalty and lists the first ones in words", () => {
    const town = ["<b>A</b>", "B", "B", "C", "C", "C", "D", "E", "E", "F", "G", "H"];
    const train: Table = { columns: ["town", "age"], data: { town, age: town.map((_, i) => 30 + (i % 3)) } };
    const { output } = countNegativeEventsInRelease({ released: train, train, quasi: ["town"], k: 3, weights: { "small-group": 2 } });
    expect(output.events.length).toBeGreaterThan(4);
    const page = html(negativeEventsView(output, { maxEvents: 4 }));
    expect(page).toContain(`<td>small-group</td><td style="text-align:right">${output.counts["small-group"]}</td><td style="text-align:right">2</td>`);
    expect(page).toContain(`<td>total</td><td style="text-align:right">${output.events.length}</td><td></td><td style="text-align:right">${output.penalty}</td>`);
    expect(page).toContain(`The first 4 of ${output.events.length} events`);
    expect(page).toContain(`… ${output.events.length - 4} more rows`);
    expect(page).toContain("town = &lt;b&gt;A&lt;/b&gt;");
    expect(page).not.toContain("<b>A</b>");
    expect(page).not.toContain("near-copy is a synthetic row");
    expect(html(negativeEventsView({ ...output, threshold: 0.25 }))).toContain("closer to a training row than 0.250");
  });
});

describe("composeView", () => {
  it("renders each part as HTML and as text, skipping empty notes", () => {
    const view = composeView([
      { kind: "line", text: "a < b", emphasis: "strong" },
      { kind: "table", headers: ["x"], rows: [[1], [2], [3]], caption: "numbers", maxRows: 2 },
      { kind: "notes", notes: [] },
      { kind: "notes", notes: ["one & two"], summary: "more" },
    ]);
    expect(isDisplayable(view)).toBe(true);
    expect(view.html).toContain("<p><strong>a &lt; b</strong></p>");
    expect(view.html).toContain("<details open><summary>more</summary><ul><li>one &amp; two</li></ul></details>");
    expect(view.text).toContain("… 1 more rows");
    expect(view.text).toContain("more:\n- one & two");
    expect(view.text.split("\n")[0]).toBe("a < b");
  });
});
