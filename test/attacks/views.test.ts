import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { summariseRoc } from "../../src/attacks/roc";
import { auditCommand } from "../../src/cli/commands/audit";
import { auditSweepFigure, exposureFigure, rocCurveFigure } from "../../src/render/charts/attacks";
import { attackView, auditSweepView, exposureView } from "../../src/render/auditViews";
import { isDisplayable } from "../../src/render/mime";
import { useBackend } from "../../src/runtime/tensorflow";
import { InputError } from "../../src/validation/errors";

beforeAll(async () => {
  await useBackend();
  vi.spyOn(process.stderr, "write").mockImplementation(() => true); // progress lines
});

const roc = summariseRoc([1, 0, 1, 0, 1, 0], [6, 5, 4, 3, 2, 1]);

describe("attack and audit charts", () => {
  it("draws ROC curves on log axes without the points log axes cannot show", () => {
    const figure = rocCurveFigure([{ name: "loss", roc }]);
    expect(figure.data).toHaveLength(2);
    expect(figure.data[0].name).toMatch(/^loss \(AUC 0\.667/);
    expect(figure.data[0].x!.every((v) => (v as number) > 0)).toBe(true);
    expect(figure.data[1].name).toBe("guessing");
    expect((figure.layout.xaxis as { type: string }).type).toBe("log");
    const linear = rocCurveFigure([{ name: "loss", roc }], { scale: "linear" });
    expect(linear.data[0].x).toEqual(roc.points.map((p) => p.fpr));
  });

  it("puts the audited bound under the accountant's ε line, and the non-private run as reference lines", () => {
    const figure = auditSweepFigure([
      { epsilonTarget: 1, accountantEpsilon: 1, testAccuracy: 0.7, attackAuc: 0.51, auditLowerBound: 0.2 },
      { epsilonTarget: 4, accountantEpsilon: 4, testAccuracy: 0.75, attackAuc: 0.53, auditLowerBound: 1.1 },
      { epsilonTarget: Infinity, accountantEpsilon: Infinity, testAccuracy: 0.76, attackAuc: 0.6, auditLowerBound: 5 },
    ]);
    const names = figure.data.map((t) => t.name);
    expect(names.slice(0, 4)).toEqual(["accountant's ε (the claim)", "audited ε lower bound", "test accuracy", "attack AUC"]);
    expect(figure.data[0].y).toEqual([1, 4]);
    expect(figure.data[1].y).toEqual([0.2, 1.1]);
    expect(figure.data[2].yaxis).toBe("y2");
    expect(names.slice(4)).toEqual(["no DP: audited ε ≥ 5.00", "no DP: accuracy 0.760", "no DP: attack AUC 0.600"]);
    // The bound's confidence level, when given, is part of its name.
    const points = [{ epsilonTarget: 1, accountantEpsilon: 1, testAccuracy: 0.7, attackAuc: 0.51, auditLowerBound: 0.2 }];
    expect(auditSweepFigure(points, undefined, 0.95).data[1].name).toBe("audited ε lower bound (95% confidence)");
  });

  it("shows exposure bars against the fully-memorised level", () => {
    const figure = exposureFigure([
      { name: "no DP", exposure: 7.7, maxExposure: 7.7 },
      { name: "ε = 1", exposure: 1.1, maxExposure: 7.7 },
    ]);
    expect(figure.data[0].y).toEqual([7.7, 1.1]);
    expect(figure.data[1].name).toMatch(/fully memorised/);
  });

  it("wraps them in notebook views with a text fallback", () => {
    const view = attackView([{ name: "loss", result: { attack: "loss-threshold", scores: [6, 5, 4, 3, 2, 1], isMember: [1, 0, 1, 0, 1, 0], roc } }]);
    expect(isDisplayable(view)).toBe(true);
    const bundle = view.toMimeBundle();
    expect(bundle["text/html"]).toContain("TPR @ 1% FPR");
    expect(bundle["text/plain"]).toContain("0.667");
    expect(exposureView([{ name: "x", exposure: 1, maxExposure: 2 }]).toMimeBundle()["text/plain"]).toContain("Canary exposure");
    const sweep = auditSweepView([
      { epsilonTarget: 1, accountantEpsilon: 1, noiseMultiplier: 3, testAccuracy: 0.7, trainAccuracy: 0.7, attackAuc: 0.5, attackTprAt1PctFpr: 0.01, auditLowerBound: 2, violation: true, correctGuesses: 10, guesses: 10, broken: true },
    ]).toMimeBundle();
    expect(sweep["text/plain"]).toContain("VIOLATION");
    const withLevel = auditSweepView(
      [{ epsilonTarget: 1, accountantEpsilon: 1, noiseMultiplier: 3, testAccuracy: 0.7, trainAccuracy: 0.7, attackAuc: 0.5, attackTprAt1PctFpr: 0.01, auditLowerBound: 0.5, violation: false, correctGuesses: 5, guesses: 10, broken: false }],
      { confidence: 0.95 },
    ).toMimeBundle();
    expect(withLevel["text/plain"]).toContain("audited ε ≥ (95%)");
  });
});

describe("privacy-course audit", () => {
  it("prints the table and writes JSON and CSV for plotting", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "audit-"));
    try {
      const json = path.join(dir, "a.json");
      const csv = path.join(dir, "a.csv");
      const text = await auditCommand(["--epsilons", "1,inf", "--dataset", "diabetes", "--canaries", "200", "--json", json, "--csv", csv]);
      expect(text).toContain("audited ε ≥");
      expect(text).toContain("not refuted");
      expect(text).toContain("none (ε = ∞)");
      const parsed = JSON.parse(fs.readFileSync(json, "utf8"));
      expect(parsed.points.map((p: { epsilonTarget: unknown }) => p.epsilonTarget)).toEqual([1, "Infinity"]);
      expect(parsed.trace.dataset).toBe("diabetes");
      const lines = fs.readFileSync(csv, "utf8").trim().split("\n");
      expect(lines[0]).toMatch(/^epsilonTarget,accountantEpsilon,noiseMultiplier,testAccuracy/);
      expect(lines).toHaveLength(3);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("refutes the claim of a deliberately broken run", async () => {
    vi.spyOn(process, "emitWarning").mockImplementation(() => undefined);
    const text = await auditCommand(["--epsilons", "1", "--dataset", "diabetes", "--canaries", "200", "--unsafe", "skip-noise"]);
    expect(text).toContain("BROKEN DP-SGD ON PURPOSE");
    expect(text).toContain("REFUTED");
  });

  it("names the bad flag", async () => {
    await expect(auditCommand(["--dataset", "hospital"])).rejects.toBeInstanceOf(InputError);
    await expect(auditCommand(["--dataset", "hospital"])).rejects.toMatchObject({ field: "--dataset" });
    await expect(auditCommand(["--unsafe", "skip-everything"])).rejects.toMatchObject({ field: "--unsafe" });
    await expect(auditCommand(["--epsilons", "0,1"])).rejects.toMatchObject({ field: "--epsilons" });
  });
});
