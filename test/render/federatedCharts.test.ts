import { describe, expect, it } from "vitest";
import { activityFigure, federatedUtilityFigure, roundsFigure, secretExposureFigure } from "../../src/render/charts/federated";

describe("federated charts", () => {
  it("draws one bar group per model and each secret's maximum", () => {
    const figure = secretExposureFigure([
      { model: "none", secrets: [{ label: "phone", exposure: 13.3, maxExposure: 13.3 }, { label: "name", exposure: 7, maxExposure: 7.2 }] },
      { model: "user-level", secrets: [{ label: "phone", exposure: 0.1, maxExposure: 13.3 }, { label: "name", exposure: 2, maxExposure: 7.2 }] },
    ]);
    expect(figure.data.map((t) => t.name)).toEqual(["none", "user-level", "fully memorised (log₂ of the candidates)"]);
    expect(figure.data[1].y).toEqual([0.1, 2]);
    expect(figure.data[2].y).toEqual([13.3, 7.2]);
    expect(figure.layout.barmode).toBe("group");
  });

  it("plots accuracy against ε in increasing order with the references as flat lines over the same span", () => {
    const figure = federatedUtilityFigure(
      [{ epsilon: 16, heldOutAccuracy: 0.65 }, { epsilon: 1, heldOutAccuracy: 0.22 }, { epsilon: 4, heldOutAccuracy: 0.55 }],
      [{ name: "no privacy", accuracy: 0.686 }],
    );
    expect(figure.data[0].x).toEqual([1, 4, 16]);
    expect(figure.data[0].y).toEqual([0.22, 0.55, 0.65]);
    expect(figure.data[1]).toMatchObject({ name: "no privacy (0.686)", x: [1, 16], y: [0.686, 0.686] });
  });

  it("sorts users by activity and marks the secret holders; follows ε and clipping round by round", () => {
    const activity = activityFigure([
      { userId: "a", utterances: 3, secret: false },
      { userId: "b", utterances: 40, secret: true },
      { userId: "c", utterances: 9, secret: false },
    ]);
    expect(activity.data[0].x).toEqual(["b", "c", "a"]);
    expect((activity.data[0].marker as { color: string[] }).color[0]).not.toBe((activity.data[0].marker as { color: string[] }).color[1]);
    const rounds = roundsFigure([{ round: 0, epsilon: 1.2, clippedFraction: 1 }, { round: 1, epsilon: 1.9, clippedFraction: 0.5 }]);
    expect(rounds.data[0].x).toEqual([1, 2]);
    expect(rounds.data[0].y).toEqual([1.2, 1.9]);
    expect(rounds.data[1].y).toEqual([1, 0.5]);
  });
});
