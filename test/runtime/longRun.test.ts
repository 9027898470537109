/**
 * Long calls obey a cancellation signal (the caller's, else the kernel's for the cell) and report
 * progress: training stops between steps with the signal's reason and frees every tensor; only
 * the outermost call gets the default reporter; the notebook display ends as one summary line.
 */
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { trainPrivately } from "../../src/pipeline/train";
import { tf, useBackend } from "../../src/runtime/tensorflow";
import { KERNEL_CELL_SIGNAL, LongRun, setDefaultProgressReporter, type Progress } from "../../src/runtime/longRun";
import { notebookProgress, progressLine, progressSummary } from "../../src/render/progress";
import { runSweep } from "../../src/experiments/sweep";
import type { DisplayOptions } from "../../src/kernel/display";

const data = {
  x: Array.from({ length: 200 }, (_, i) => [Math.sin(i), Math.cos(i), (i % 7) / 7]),
  y: Array.from({ length: 200 }, (_, i) => (Math.sin(i) > 0 ? 1 : 0)),
};

beforeAll(async () => {
  await useBackend();
});

afterEach(() => {
  delete (globalThis as Record<symbol, unknown>)[KERNEL_CELL_SIGNAL];
  setDefaultProgressReporter(undefined);
});

describe("cancelling a training run", () => {
  it("throws the caller's abort reason between steps and frees its tensors", async () => {
    const controller = new AbortController();
    const reason = new Error("stop");
    const before = tf.memory().numTensors;
    let epochsSeen = 0;
    const training = trainPrivately(data, {
      model: "mlp",
      epochs: 500,
      signal: controller.signal,
      onEpoch: (e) => {
        epochsSeen = e.epoch;
        if (e.epoch === 3) controller.abort(reason);
      },
    });
    await expect(training).rejects.toBe(reason);
    expect(epochsSeen).toBe(3);
    expect(tf.memory().numTensors).toBe(before);
  });

  it("obeys the signal the kernel publishes for the cell when the caller passes none", async () => {
    const controller = new AbortController();
    (globalThis as Record<symbol, unknown>)[KERNEL_CELL_SIGNAL] = controller.signal;
    const interrupted = Object.assign(new Error("interrupted"), { name: "Interrupted" });
    const training = trainPrivately(data, { epochs: 500, onEpoch: (e) => e.epoch === 2 && controller.abort(interrupted) });
    await expect(training).rejects.toMatchObject({ name: "Interrupted" });
  });

  it("refuses to start when the signal is already aborted", async () => {
    const before = tf.memory().numTensors;
    await expect(trainPrivately(data, { epochs: 1, signal: AbortSignal.abort(new Error("late")) })).rejects.toThrow("late");
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe("cancelling a sweep on worker threads", () => {
  it("rejects with the signal's reason and terminates its workers", async () => {
    const controller = new AbortController();
    const reason = new Error("enough");
    setTimeout(() => controller.abort(reason), 200);
    await expect(runSweep({ epsilons: [1, 2, 4], repeats: 2, epochs: 50, workers: 1, signal: controller.signal })).rejects.toBe(reason);
  });
});

describe("progress", () => {
  it("reports each epoch with loss and ε, then done once", async () => {
    const seen: Progress[] = [];
    await trainPrivately(data, { epochs: 3, onProgress: (p) => seen.push(p) });
    const epochs = seen.filter((p) => p.state === "running").map((p) => p.done);
    expect(new Set(epochs)).toEqual(new Set([0, 1, 2, 3]));
    expect(seen.filter((p) => p.state !== "running").map((p) => p.state)).toEqual(["done"]);
    expect(seen.at(-1)!.metrics!.ε).toBeGreaterThan(0);
    expect(seen.at(-1)!.metrics!.ε).toBeLessThanOrEqual(1);
  });

  it("gives the default reporter to the outermost call only", async () => {
    const reporters: string[] = [];
    setDefaultProgressReporter(() => {
      reporters.push("made");
      return () => undefined;
    });
    const outer = new LongRun("sweep", 2, "run");
    try {
      await trainPrivately(data, { epochs: 1 });
      await outer.step(1);
    } finally {
      outer.close();
    }
    expect(reporters).toEqual(["made"]);
    await trainPrivately(data, { epochs: 1 });
    expect(reporters).toEqual(["made", "made"]);
  });

  it("updates one display in place and leaves a one-line summary", async () => {
    const shown: { text: string; options: DisplayOptions }[] = [];
    const report = notebookProgress((value, options = {}) => {
      shown.push({ text: String((value as { text: string }).text), options });
    })!;
    await trainPrivately(data, { epochs: 2, onProgress: report });
    expect(new Set(shown.map((s) => s.options.displayId)).size).toBe(1);
    expect(shown[0]!.options.update).toBe(false);
    expect(shown.slice(1).every((s) => s.options.update)).toBe(true);
    expect(shown.at(-1)!.text).toMatch(/^trainPrivately: 2 epochs in [\d.]+ s · loss [\d.]+ · ε [\d.]+$/);
    expect(shown.at(-1)!.text.includes("\n")).toBe(false);
  });

  it("shows a nested call's progress as its parent's, within the span it was given", async () => {
    const seen: Progress[] = [];
    const parent = new LongRun("GAN iterations", 3, "iteration", { onProgress: (p) => seen.push(p) });
    try {
      await parent.step(1);
      await trainPrivately(data, { epochs: 4, ...parent.nested(1) });
      await parent.step(2);
      parent.finish();
    } finally {
      parent.close();
    }
    const inner = seen.filter((p) => p.detail === "trainPrivately");
    expect(inner.length).toBeGreaterThan(0);
    expect(inner.every((p) => p.done >= 1 && p.done <= 2 && p.task === "GAN iterations")).toBe(true);
    expect(inner.map((p) => p.done)).toContain(1.5);
    expect(progressLine(inner.find((p) => p.done === 1.5)!)).toMatch(/^GAN iterations › trainPrivately \[#+\.+\] iteration 1\.5\/3 · loss [\d.]+ · ε [\d.]+ · /);
    expect(seen.at(-1)).toMatchObject({ done: 2, state: "done", detail: undefined });
  });

  it("says how far an interrupted call got", () => {
    expect(progressSummary({ task: "trainPrivately", done: 12, total: 3000, unit: "epoch", elapsedMs: 4200, state: "interrupted" })).toBe(
      "trainPrivately: interrupted after 12 of 3000 epochs in 4.2 s",
    );
  });
});
