/**
 * The course loads tfjs-core without the umbrella @tensorflow/tfjs: its gradients come from
 * vendor/tfjs-gradients.js, which must be exactly what scripts/bundle-tfjs-gradients.js makes
 * from the installed tfjs-core, and must register them (autodiff agrees with the derivative).
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { tf, useBackend } from "../src/runtime/tensorflow";

const ROOT = path.resolve(__dirname, "..");

describe("tfjs-core's gradients as CommonJS", () => {
  it("are what the bundling script makes from the installed tfjs-core", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "privacy-course-grads-"));
    try {
      const out = path.join(dir, "tfjs-gradients.js");
      const run = spawnSync(process.execPath, [path.join(ROOT, "scripts", "bundle-tfjs-gradients.js"), out], { encoding: "utf8" });
      expect(run.status, run.stderr).toBe(0);
      expect(readFileSync(out, "utf8") === readFileSync(path.join(ROOT, "vendor", "tfjs-gradients.js"), "utf8")).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("differentiate through matMul, sigmoid and a log-loss", async () => {
    await useBackend("cpu");
    const w = tf.tensor2d([[0.5], [-1.25]]);
    const x = tf.tensor2d([[1, 2], [3, -1]]);
    const loss = (weights: tf.Tensor) => tf.sum(tf.log(tf.sigmoid(tf.matMul(x, weights as tf.Tensor2D))));
    const grad = tf.grad(loss)(w).dataSync();
    // d/dw Σ log σ(x·w) = Σ (1 − σ(x·w)) x
    const z = [1 * 0.5 + 2 * -1.25, 3 * 0.5 + -1 * -1.25];
    const s = z.map((v) => 1 / (1 + Math.exp(-v)));
    expect(grad[0]).toBeCloseTo((1 - s[0]!) * 1 + (1 - s[1]!) * 3, 5);
    expect(grad[1]).toBeCloseTo((1 - s[0]!) * 2 + (1 - s[1]!) * -1, 5);
  });
});
