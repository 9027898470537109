/**
 * A whole day of learning in one kernel: 1000 mixed cells and a cell with 5000 outputs, every
 * request with its reply and its status idle (the kernel used to stop answering after ~500
 * outputs). Timings and RSS figures are in `npm run bench kernel`; here only what must hold.
 */
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { KernelClient } from "../../src/kernel/client";
import { kernelSpec, REPO_ROOT } from "../../src/kernel/install";
import { runSoak, type SoakReport } from "../../src/kernel/soak";

const CELLS = 1000;
const DISPLAYS = 5000;

describe("one kernel through a day of learning", () => {
  let client: KernelClient;
  let report: SoakReport;

  beforeAll(async () => {
    // Started in notebooks/, as Jupyter starts the course's kernels.
    client = await KernelClient.launch(kernelSpec(), { cwd: path.join(REPO_ROOT, "notebooks") });
    await client.waitForReady();
    report = await runSoak(client, { cells: CELLS, displays: DISPLAYS, memoryAt: [100, CELLS], displayModule: "../src/kernel/display" });
  }, 30 * 60_000);

  afterAll(async () => {
    await client?.shutdown();
  });

  it(`answers ${CELLS} mixed cells (values, console.log, display, throws, type errors), each with its reply, outputs and idle`, () => {
    expect(report.failures).toEqual([]);
  });

  it(`delivers all ${DISPLAYS} outputs of one cell, in order, and answers kernel_info after it`, () => {
    expect(report.displaysReceived).toBe(DISPLAYS);
    expect(report.failures.filter((f) => f.startsWith("display cell") || f.startsWith("kernel_info"))).toEqual([]);
  });

  it("holds no more live memory after 1000 cells than 1.5× what it held after 100", () => {
    // V8's heap after a full collection: what the kernel keeps. RSS also counts pages V8 and the
    // allocator have not returned yet; it is reported by the bench, not asserted (see the README).
    const [early, late] = report.memory;
    expect(early?.cell).toBe(100);
    expect(late?.cell).toBe(CELLS);
    expect(late!.heapUsed / early!.heapUsed).toBeLessThan(1.5);
  });
});
