/**
 * The one place that loads TensorFlow.js and chooses its backend.
 *
 * The wasm backend is the default (about 20x the plain CPU backend on the matrix work of
 * DP-SGD here); the CPU backend is the fallback and can be chosen with
 * PRIVACY_COURSE_BACKEND=cpu or `useBackend("cpu")`.
 */
import * as path from "node:path";
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
import "@tensorflow/tfjs-backend-wasm";
import { PACKAGE_ROOT } from "./packageRoot";

// tfjs-core alone, not the umbrella @tensorflow/tfjs (layers, converter, WebGL: never used).
// Its gradients (tf.grads, tf.variableGrads) come from tfjs-core's ES modules, bundled as
// CommonJS by scripts/bundle-tfjs-gradients.js, after tfjs-core so they join its engine.
require(path.join(PACKAGE_ROOT, "vendor", "tfjs-gradients.js"));

// PROD silences tfjs's "running in Node.js, install tfjs-node" banner, which does not apply:
// tfjs-node cannot be installed on the course's machines.
tf.env().set("PROD", true);

export type BackendName = "wasm" | "cpu";
export const BACKENDS: readonly BackendName[] = ["wasm", "cpu"];

export function defaultBackend(): BackendName {
  const requested = process.env.PRIVACY_COURSE_BACKEND;
  if (requested === undefined || requested === "") return "wasm";
  if ((BACKENDS as readonly string[]).includes(requested)) return requested as BackendName;
  throw new RangeError(
    `PRIVACY_COURSE_BACKEND must be one of ${BACKENDS.join(", ")}; got "${requested}"`,
  );
}

/** Selects (and initialises) a backend; resolves to the backend actually in use. */
export async function useBackend(name: BackendName = defaultBackend()): Promise<BackendName> {
  if (tf.getBackend() === name) return name;
  const ok = await tf.setBackend(name);
  if (!ok) {
    if (name === "wasm") {
      process.emitWarning("tfjs wasm backend failed to initialise; falling back to cpu");
      await tf.setBackend("cpu");
    } else {
      throw new Error(`tfjs backend "${name}" failed to initialise`);
    }
  }
  await tf.ready();
  return tf.getBackend() as BackendName;
}

export { tf };

/**
 * The values of the tensor `compute` builds, every intermediate tensor freed. Read outside
 * tf.tidy on purpose: tidy walks whatever its function returns, element by element for a typed
 * array, which cost 0.3 s per evaluation of the voice-assistant model.
 */
export function valuesOf(compute: () => tf.Tensor): Float32Array {
  const result = tf.tidy(compute);
  try {
    return result.dataSync() as Float32Array;
  } finally {
    result.dispose();
  }
}
