import { describe, expect, it } from "vitest";
import { compositionFigure, errorVsEpsilonFigure, ledgerFigure, neighbouringOutputsFigure, rdpCurveFigure } from "../../src/render/charts/mechanisms";
import { ledgerView, mechanismView } from "../../src/render/mechanismViews";
import { errorAcrossEpsilons, laplaceCount, PrivacyLedger } from "../../src/privacy/mechanisms";

describe("mechanism charts and views", () => {
  it("draw the error against ε from the sweep, on a log axis", () => {
    const points = errorAcrossEpsilons({
      epsilons: [0.1, 1, 10],
      repeats: 50,
      truth: 20,
      release: (epsilon, seed) => laplaceCount({ epsilon, seed }).release(Array.from({ length: 20 })).value,
    });
    // Laplace noise of scale 1/ε has mean |noise| = 1/ε: the error falls as ε grows.
    expect(points[0].meanAbsoluteError).toBeGreaterThan(points[2].meanAbsoluteError);
    const figure = errorVsEpsilonFigure([{ name: "count", points }]);
    expect(figure.data[0].x).toEqual([0.1, 1, 10]);
    expect(figure.data[0].y).toEqual(points.map((p) => p.meanAbsoluteError));
    expect((figure.layout.xaxis as { type: string }).type).toBe("log");
  });

  it("overlay outputs on neighbouring data on shared bins; draw RDP and composition curves as given", () => {
    const figure = neighbouringOutputsFigure({ onD: [1, 2, 3], onNeighbour: [2, 3, 4] });
    expect(figure.data.map((t) => t.x)).toEqual([[1, 2, 3], [2, 3, 4]]);
    expect(figure.data[0].xbins).toEqual(figure.data[1].xbins);
    expect(rdpCurveFigure([{ name: "g", orders: [2, 4], rdp: [0.1, 0.2] }]).data[0].y).toEqual([0.1, 0.2]);
    expect(compositionFigure([{ name: "basic", releases: [1, 2], epsilon: [1, 2] }]).data[0].x).toEqual([1, 2]);
  });

  it("show the ledger running towards its budget, and a mechanism's trace with its notes", () => {
    const ledger = new PrivacyLedger({ budget: { epsilon: 1 } });
    ledger.release("a", laplaceCount({ epsilon: 0.25 }), []);
    ledger.release("b", laplaceCount({ epsilon: 0.5 }), []);
    const report = ledger.report();
    const figure = ledgerFigure(report);
    expect(figure.data[0].y).toEqual(report.entries.map((e) => e.epsilonAfter));
    expect(figure.data[1].y).toEqual([1, 1]);
    const view = ledgerView(report) as unknown as { text: string; html: string };
    expect(view.text).toMatch(/Total: ε = 0\.7500/);
    expect(view.text).toMatch(/left: 0\.2500/);
    const trace = mechanismView(laplaceCount({ epsilon: 0.5 }).trace) as unknown as { text: string };
    expect(trace.text).toMatch(/Laplace count/);
    expect(trace.text).toMatch(/seeded float noise/);
  });
});
