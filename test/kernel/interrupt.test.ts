/**
 * Kernel > Interrupt reaches library code: during `runPipeline` with 3000 MLP epochs, the
 * interrupt aborts the cell's signal, training stops at its next step and frees its tensors, the
 * cell ends with the library's "Interrupted" error (not tslab's fallback that abandons the await
 * and leaves training running), the progress display ends as a one-line summary, and the next
 * cell runs with earlier variables intact. The time it takes is measured in bench/, not here.
 */
import { readFileSync, mkdtempSync, rmSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensurePackageBuilt } from "../../src/course/packageBuild";
import { NOTEBOOKS_DIR } from "../../src/course/lessons";
import { KernelClient } from "../../src/kernel/client";
import { installKernelSpec, type KernelSpec } from "../../src/kernel/install";
import type { Incoming } from "../../src/kernel/protocol";

let prefix: string;
let client: KernelClient;
const execute = (code: string, timeoutMs = 120_000) =>
  client.request("execute_request", { code, silent: false, store_history: true, user_expressions: {}, allow_stdin: false, stop_on_error: false }, "shell", timeoutMs);
const mine = (msgId: string) => client.iopub.filter((m) => (m.parent_header as { msg_id?: string }).msg_id === msgId);
const resultText = (messages: Incoming[]) => (messages.find((m) => m.header.msg_type === "execute_result")?.content.data as Record<string, string> | undefined)?.["text/plain"];

beforeAll(async () => {
  ensurePackageBuilt();
  prefix = mkdtempSync(path.join(os.tmpdir(), "privacy-course-interrupt-"));
  const { kernelDir } = installKernelSpec({ prefix });
  const spec = JSON.parse(readFileSync(path.join(kernelDir, "kernel.json"), "utf8")) as KernelSpec;
  client = await KernelClient.launch(spec, { cwd: NOTEBOOKS_DIR });
  await client.waitForReady();
}, 240_000);

afterAll(async () => {
  await client?.shutdown();
  rmSync(prefix, { recursive: true, force: true });
});

describe("interrupting a long library call", () => {
  it("stops runPipeline's training at its next step, frees its tensors, and the next cell runs", async () => {
    // A short run first: the backend and anything it keeps are set up before counting tensors.
    const setup = await execute(
      'import { runPipeline } from "privacy-course";\nimport * as tf from "@tensorflow/tfjs-core";\n' +
        "const warm = await runPipeline({ model: \"mlp\", epochs: 1, compareWithNonPrivate: false });\nconst before = tf.memory().numTensors;\nbefore",
      240_000,
    );
    expect(setup.content.status).toBe("ok");

    const code = 'const long = await runPipeline({ model: "mlp", epochs: 3000 });';
    const pending = execute(code);
    // Training has started once its progress display appears.
    for (;;) {
      const started = client.iopub.some((m) => m.header.msg_type === "display_data" && String((m.content.data as Record<string, string>)?.["text/plain"]).startsWith("trainPrivately ["));
      if (started) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect((await client.request("interrupt_request", {}, "control")).content).toEqual({ status: "ok" });
    const reply = await pending;
    expect(reply.content).toMatchObject({ status: "error", ename: "Interrupted", evalue: "the kernel was interrupted (Kernel > Interrupt)" });

    const outputs = await client.outputsOf(reply.parent_header.msg_id as string);
    const display = outputs.filter((m) => m.header.msg_type === "display_data" || m.header.msg_type === "update_display_data");
    const ids = new Set(display.map((m) => (m.content.transient as { display_id?: string }).display_id));
    expect(ids.size).toBe(1); // one display, updated in place
    const last = String((display.at(-1)!.content.data as Record<string, string>)["text/plain"]);
    expect(last).toMatch(/^trainPrivately: interrupted after (\d+) of 3000 epochs in [\d.]+ s/);
    expect(Number(/after (\d+) of/.exec(last)![1])).toBeLessThan(3000);

    const after = await execute("`${tf.memory().numTensors === before} ${warm.stages.trainPrivately.epochs.length}`");
    expect(after.content.status).toBe("ok");
    expect(resultText(await client.outputsOf(after.parent_header.msg_id as string))).toBe("'true 1'");
  }, 300_000);
});
