/**
 * The privacy–utility sweep: rerun the pipeline across privacy budgets (and, optionally,
 * training-set sizes), several seeds each, in worker threads, and summarise accuracy per
 * (size, ε) as a mean with 95% intervals for the test set's noise and the seeds' spread, and
 * whether it is significantly below the non-private accuracy.
 */
import { Worker } from "node:worker_threads";
import { InputError, requireNumber } from "../validation/errors";
import { runPipeline, type PipelineConfig } from "../pipeline/run";
import { accuracyInterval, intervalsApart, type Interval } from "../evaluation/intervals";
import { ACCOUNTANT_KINDS, type AccountantKind } from "../privacy/accountant";
import { LongRun, type LongRunOptions } from "../runtime/longRun";

/** `signal` stops the sweep (workers are terminated); `onProgress` follows the runs. */
export interface SweepOptions extends LongRunOptions {
  epsilons: number[];
  repeats: number;
  /** Seeds are baseSeed, baseSeed + 1, … for the repeats. */
  baseSeed?: number;
  delta?: number;
  epochs?: number;
  model?: PipelineConfig["model"];
  /**
   * Training-set sizes to sweep (the same subset of the 800 training rows for every seed and
   * budget, each smaller one inside the larger; the 200 test rows stay the same). Default: all
   * the training rows only.
   */
  trainSizes?: number[];
  /** The accountant of every run; default "rdp". */
  accountant?: AccountantKind;
  /** Worker threads; 0 runs in this thread (useful in tests and notebooks). */
  workers?: number;
}

export interface SweepJob {
  epsilon: number;
  seed: number;
  delta: number;
  epochs: number;
  model: PipelineConfig["model"];
  /** Training rows used (undefined: all of them). */
  trainSize?: number;
  /** Present when the sweep chose an accountant. */
  accountant?: AccountantKind;
}

export interface SweepRun extends SweepJob {
  /** Training and test rows the run actually used. */
  trainRows: number;
  testRows: number;
  accuracy: number;
  rocAuc: number;
  epsilonSpent: number;
  noiseMultiplier: number;
}

export interface SweepSummaryRow {
  epsilon: number;
  /** Training rows of these runs. */
  trainRows: number;
  testRows: number;
  runs: number;
  meanAccuracy: number;
  stdAccuracy: number;
  /** 95% interval of the mean accuracy: the test set's noise (Wilson) and the seeds' spread (t), together. */
  interval: Interval;
  /** The two parts: Wilson on testRows people, and the t-interval over the runs. */
  testSetInterval: Interval;
  seedInterval: Interval;
  /**
   * Compared with the non-private runs of the same size: "significant" when the intervals do not
   * overlap, "not significant" when they do; null for the non-private row or when none was run.
   */
  belowNonPrivate: "significant" | "not significant" | null;
  meanRocAuc: number;
  meanEpsilonSpent: number;
  noiseMultiplier: number;
}

/** The most training rows a size may ask for: the course's training split. */
export const MAX_TRAIN_SIZE = 800;

export function sweepJobs(options: SweepOptions): SweepJob[] {
  if (options.epsilons.length === 0) throw new InputError("epsilons", "at least one value", options.epsilons);
  options.epsilons.forEach((e, i) => {
    if (!(e > 0)) throw new InputError(`epsilons[${i}]`, "a number > 0 (or inf)", e);
  });
  requireNumber("repeats", options.repeats, { min: 1, integer: true });
  const sizes: (number | undefined)[] = options.trainSizes === undefined ? [undefined] : options.trainSizes;
  if (sizes.length === 0) throw new InputError("trainSizes", "at least one size", options.trainSizes);
  options.trainSizes?.forEach((size, i) => requireNumber(`trainSizes[${i}]`, size, { min: 10, max: MAX_TRAIN_SIZE, integer: true }));
  const baseSeed = options.baseSeed ?? 7;
  if (options.accountant !== undefined && !ACCOUNTANT_KINDS.includes(options.accountant)) {
    throw new InputError("accountant", `one of ${ACCOUNTANT_KINDS.join(", ")}`, options.accountant);
  }
  return sizes.flatMap((trainSize) =>
    options.epsilons.flatMap((epsilon) =>
      Array.from({ length: options.repeats }, (_, r) => ({
        epsilon,
        seed: baseSeed + r,
        delta: options.delta ?? 1e-5,
        epochs: options.epochs ?? 5,
        model: options.model ?? "logistic",
        ...(trainSize === undefined ? {} : { trainSize }),
        ...(options.accountant === undefined ? {} : { accountant: options.accountant }),
      })),
    ),
  );
}

/** One job, as a worker runs it. */
export async function runSweepJob(job: SweepJob, options: LongRunOptions = {}): Promise<SweepRun> {
  const result = await runPipeline({ ...job, compareWithNonPrivate: false, signal: options.signal, onProgress: options.onProgress });
  return {
    ...job,
    trainRows: result.stages.trainPrivately.n,
    testRows: result.stages.evaluate.shape.rows,
    accuracy: result.stages.evaluate.metrics.private.accuracy,
    rocAuc: result.stages.evaluate.metrics.private.rocAuc,
    epsilonSpent: result.stages.trainPrivately.epsilonSpent,
    noiseMultiplier: result.stages.trainPrivately.noiseMultiplier,
  };
}

const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

/** One row per (training rows, ε), sizes and budgets ascending, each compared with its size's non-private row. */
export function summariseSweep(runs: SweepRun[]): SweepSummaryRow[] {
  const groups = new Map<string, SweepRun[]>();
  for (const run of runs) {
    const key = `${run.trainRows}|${run.epsilon}`;
    groups.set(key, [...(groups.get(key) ?? []), run]);
  }
  const rows = [...groups.values()]
    .sort((a, b) => a[0].trainRows - b[0].trainRows || a[0].epsilon - b[0].epsilon)
    .map((group): SweepSummaryRow => {
      const testRows = group[0].testRows;
      const accuracy = accuracyInterval(group.map((r) => r.accuracy), testRows);
      return {
        epsilon: group[0].epsilon,
        trainRows: group[0].trainRows,
        testRows,
        runs: group.length,
        meanAccuracy: accuracy.mean,
        stdAccuracy: accuracy.std,
        interval: { low: accuracy.low, high: accuracy.high },
        testSetInterval: accuracy.testSet,
        seedInterval: accuracy.seeds,
        belowNonPrivate: null,
        meanRocAuc: mean(group.map((r) => r.rocAuc)),
        meanEpsilonSpent: mean(group.map((r) => r.epsilonSpent)),
        noiseMultiplier: mean(group.map((r) => r.noiseMultiplier)),
      };
    });
  return rows.map((row) => {
    const reference = rows.find((r) => r.trainRows === row.trainRows && !Number.isFinite(r.epsilon));
    if (!reference || reference === row) return row;
    const apart = intervalsApart(row.interval, reference.interval) && row.meanAccuracy < reference.meanAccuracy;
    return { ...row, belowNonPrivate: apart ? "significant" : "not significant" };
  });
}

// Workers load this module wherever the sweep is started from (the CLI, vitest, a notebook
// kernel): the TypeScript source through tsx, or the built package's JavaScript as it is.
const WORKER_SOURCE = `
${__filename.endsWith(".ts") ? 'require("tsx/cjs");' : ""}
const { parentPort } = require("node:worker_threads");
const { runSweepJob } = require(${JSON.stringify(__filename)});
parentPort.on("message", (job) => {
  runSweepJob(job).then(
    (run) => parentPort.postMessage({ run }),
    (error) => parentPort.postMessage({ error: String(error && error.stack || error) }),
  );
});
`;

export async function runSweep(
  options: SweepOptions,
  onRun: (run: SweepRun, done: number, total: number) => void = () => undefined,
): Promise<{ runs: SweepRun[]; summary: SweepSummaryRow[] }> {
  const jobs = sweepJobs(options);
  const workerCount = requireNumber("workers", options.workers ?? 2, { min: 0, integer: true });
  const runs: SweepRun[] = [];
  const progress = new LongRun("runSweep", jobs.length, "run", options);
  const record = (run: SweepRun) => {
    runs.push(run);
    onRun(run, runs.length, jobs.length);
    progress.progress(runs.length, { ε: run.epsilon, accuracy: run.accuracy });
  };

  try {
    if (workerCount === 0) {
      for (const job of jobs) {
        record(await runSweepJob(job, progress.nested(1)));
        await progress.step(runs.length);
      }
    } else {
      await runInWorkers(jobs, workerCount, record, progress.signal);
    }
    progress.finish();
  } finally {
    progress.close();
  }
  // Workers finish out of order; sort so the output is the same on every run.
  runs.sort((a, b) => a.trainRows - b.trainRows || a.epsilon - b.epsilon || a.seed - b.seed);
  return { runs, summary: summariseSweep(runs) };
}

/** The jobs on worker threads; an aborted signal ends the sweep at once, the workers terminated mid-run. */
async function runInWorkers(jobs: SweepJob[], workerCount: number, record: (run: SweepRun) => void, signal?: AbortSignal): Promise<void> {
  const queue = [...jobs];
  const workers = Array.from({ length: Math.min(workerCount, jobs.length) }, () => new Worker(WORKER_SOURCE, { eval: true }));
  let stopListening = () => undefined as void;
  const aborted = new Promise<never>((_, reject) => {
    if (!signal) return;
    const abort = () => reject(signal.reason);
    if (signal.aborted) abort();
    signal.addEventListener("abort", abort, { once: true });
    stopListening = () => signal.removeEventListener("abort", abort);
  });
  try {
    await Promise.race([
      aborted,
      Promise.all(
        workers.map(
          (worker) =>
            new Promise<void>((resolve, reject) => {
              const next = () => {
                const job = queue.shift();
                if (job === undefined) return resolve();
                worker.postMessage(job);
              };
              worker.on("message", (message: { run?: SweepRun; error?: string }) => {
                if (message.error !== undefined) return reject(new Error(message.error));
                record(message.run as SweepRun);
                next();
              });
              worker.on("error", reject);
              next();
            }),
        ),
      ),
    ]);
  } finally {
    stopListening();
    await Promise.all(workers.map((w) => w.terminate()));
  }
}
