import { describe, expect, it } from "vitest";
import {
  RdpAccountant,
  calibrateNoise,
  computeEpsilon,
  computeRdp,
  logAdd,
  logErfc,
  logSub,
  rdpToEpsilon,
  stepsFor,
} from "../src/privacy/accountant";
import { InputError } from "../src/validation/errors";

/** Runs `call` and returns the InputError it throws (failing if it throws anything else). */
function inputError(call: () => unknown): InputError {
  try {
    call();
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return error as InputError;
  }
  throw new Error("expected an InputError, nothing was thrown");
}

const good = { sampleRate: 0.04, noiseMultiplier: 1.1, steps: 250, delta: 1e-5 };

describe("bad input throws an InputError naming the field and the allowed range", () => {
  it.each([
    ["sampleRate", -0.1, "[0, 1]"],
    ["sampleRate", 1.5, "[0, 1]"],
    ["sampleRate", Number.NaN, "[0, 1]"],
    ["noiseMultiplier", -1, "≥ 0"],
    ["noiseMultiplier", Infinity, "≥ 0"],
    ["steps", -1, "an integer ≥ 0"],
    ["steps", 2.5, "an integer ≥ 0"],
    ["orders", [], "each > 1"],
    ["orders", [2, 1], "each > 1"],
    ["orders", [0.5], "each > 1"],
    ["orders", [Number.NaN], "each > 1"],
    ["orders", "2,3", "each > 1"],
  ])("computeRdp %s = %s", (field, value, allowed) => {
    const error = inputError(() => computeRdp({ ...good, [field]: value } as never));
    expect(error.field).toBe(field);
    expect(error.message).toContain(field);
    expect(error.message).toContain(allowed);
  });

  it.each([
    ["sampleRate", 0, "(0, 1]"],
    ["delta", 0, "(0, 1)"],
    ["delta", 1, "(0, 1)"],
    ["delta", -1e-5, "(0, 1)"],
    ["delta", Number.NaN, "(0, 1)"],
    ["noiseMultiplier", -0.5, "≥ 0"],
    ["steps", 1e-3, "integer"],
  ])("computeEpsilon %s = %s", (field, value, allowed) => {
    const error = inputError(() => computeEpsilon({ ...good, [field]: value }));
    expect(error.field).toBe(field);
    expect(error.message).toContain(allowed);
  });

  it("rdpToEpsilon", () => {
    expect(inputError(() => rdpToEpsilon({ orders: [2, 3], rdp: [1], delta: 1e-5 })).field).toBe("rdp");
    expect(inputError(() => rdpToEpsilon({ orders: [2], rdp: [-1], delta: 1e-5 })).field).toBe("rdp");
    expect(inputError(() => rdpToEpsilon({ orders: [2], rdp: [Number.NaN], delta: 1e-5 })).field).toBe("rdp");
    expect(inputError(() => rdpToEpsilon({ orders: [1], rdp: [1], delta: 1e-5 })).field).toBe("orders");
    expect(inputError(() => rdpToEpsilon({ orders: [2], rdp: [1], delta: 2 })).field).toBe("delta");
  });

  it("RdpAccountant", () => {
    const accountant = new RdpAccountant();
    expect(inputError(() => accountant.step({ noiseMultiplier: 1, sampleRate: 0 })).field).toBe("sampleRate");
    expect(inputError(() => accountant.step({ noiseMultiplier: -1, sampleRate: 0.1 })).field).toBe("noiseMultiplier");
    expect(inputError(() => accountant.step({ noiseMultiplier: 1, sampleRate: 0.1, steps: -2 })).field).toBe("steps");
    expect(inputError(() => accountant.getEpsilon(0)).field).toBe("delta");
    expect(inputError(() => new RdpAccountant({ orders: [] })).field).toBe("orders");
    expect(accountant.history).toEqual([]); // rejected steps leave no trace
  });

  it.each([
    ["epsilon", { targetEpsilon: 0 }, "> 0"],
    ["epsilon", { targetEpsilon: -1 }, "> 0"],
    ["epsilon", { targetEpsilon: Infinity }, "> 0"],
    ["epsilon", { targetEpsilon: Number.NaN }, "> 0"],
    ["delta", { delta: 1 }, "(0, 1)"],
    ["sampleRate", { sampleRate: 0 }, "(0, 1]"],
    ["steps", { steps: -1 }, "integer"],
    ["tolerance", { tolerance: 0 }, "(0, 1)"],
    ["orders", { orders: [1] }, "each > 1"],
  ])("calibrateNoise %s (%o)", (field, override, allowed) => {
    const params = { targetEpsilon: 1, delta: 1e-5, sampleRate: 0.04, steps: 250, ...override };
    const error = inputError(() => calibrateNoise(params));
    expect(error.field).toBe(field);
    expect(error.message).toContain(allowed);
  });

  it("stepsFor", () => {
    expect(inputError(() => stepsFor({ epochs: -1, sampleRate: 0.1 })).field).toBe("epochs");
    expect(inputError(() => stepsFor({ epochs: 1, sampleRate: 0 })).field).toBe("sampleRate");
  });
});

describe("log-space helpers", () => {
  it("logErfc matches 20-digit values (mpmath, 40-digit arithmetic) from far left to far right", () => {
    const table: Array<[number, number]> = [
      [-30, 0.69314718055994530942],
      [-5, 0.69314718055917657952],
      [-1, 0.61123231767807049464],
      [0, 0],
      [0.5, -0.73501112983708440303],
      [1.9, -4.9323458627802693088],
      [2, -5.3649412646166375745],
      [2.1, -5.8160109688675546045],
      [3, -10.720363041981112568],
      [5, -27.200889545537434422],
      [10, -102.87988902484488857],
      [30, -903.97411711064387808], // erfc(30) ≈ 2.6e-393 underflows a double
      [1000, -1000007.4801207219062],
    ];
    for (const [x, want] of table) {
      expect(Math.abs(logErfc(x) - want)).toBeLessThanOrEqual(1e-13 * Math.max(1, Math.abs(want)));
    }
    expect(logErfc(Infinity)).toBe(-Infinity);
    expect(logErfc(-Infinity)).toBeCloseTo(Math.LN2, 15);
  });

  it("logAdd and logSub", () => {
    expect(logAdd(Math.log(2), Math.log(3))).toBeCloseTo(Math.log(5), 15);
    expect(logAdd(-Infinity, 1.5)).toBe(1.5);
    expect(logAdd(1000, 1000)).toBeCloseTo(1000 + Math.LN2, 12);
    expect(logSub(Math.log(5), Math.log(3))).toBeCloseTo(Math.log(2), 15);
    expect(logSub(1e-20, 0)).toBeCloseTo(Math.log(1e-20), 10); // log(e^{1e-20} − 1), no cancellation
    expect(logSub(2, -Infinity)).toBe(2);
    expect(logSub(2, 2)).toBe(-Infinity);
    expect(() => logSub(1, 2)).toThrow(RangeError);
  });
});
