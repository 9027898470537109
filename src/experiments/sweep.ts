/**
 * The privacy–utility sweep: rerun the pipeline across privacy budgets, several seeds each,
 * in worker threads, and summarise accuracy as mean ± standard deviation per ε.
 */
import { Worker } from "node:worker_threads";
import { InputError, requireNumber } from "../validation/errors";
import { runPipeline, type PipelineConfig } from "../pipeline/run";
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
  /** Worker threads; 0 runs in this thread (useful in tests and notebooks). */
  workers?: number;
}

export interface SweepJob {
  epsilon: number;
  seed: number;
  delta: number;
  epochs: number;
  model: PipelineConfig["model"];
}

export interface SweepRun extends SweepJob {
  accuracy: number;
  rocAuc: number;
  epsilonSpent: number;
  noiseMultiplier: number;
}

export interface SweepSummaryRow {
  epsilon: number;
  runs: number;
  meanAccuracy: number;
  stdAccuracy: number;
  meanRocAuc: number;
  meanEpsilonSpent: number;
  noiseMultiplier: number;
}

export function sweepJobs(options: SweepOptions): SweepJob[] {
  if (options.epsilons.length === 0) throw new InputError("epsilons", "at least one value", options.epsilons);
  options.epsilons.forEach((e, i) => {
    if (!(e > 0)) throw new InputError(`epsilons[${i}]`, "a number > 0 (or inf)", e);
  });
  requireNumber("repeats", options.repeats, { min: 1, integer: true });
  const baseSeed = options.baseSeed ?? 7;
  return options.epsilons.flatMap((epsilon) =>
    Array.from({ length: options.repeats }, (_, r) => ({
      epsilon,
      seed: baseSeed + r,
      delta: options.delta ?? 1e-5,
      epochs: options.epochs ?? 5,
      model: options.model ?? "logistic",
    })),
  );
}

/** One job, as a worker runs it. */
export async function runSweepJob(job: SweepJob, options: LongRunOptions = {}): Promise<SweepRun> {
  const result = await runPipeline({ ...job, compareWithNonPrivate: false, signal: options.signal, onProgress: options.onProgress });
  return {
    ...job,
    accuracy: result.stages.evaluate.metrics.private.accuracy,
    rocAuc: result.stages.evaluate.metrics.private.rocAuc,
    epsilonSpent: result.stages.trainPrivately.epsilonSpent,
    noiseMultiplier: result.stages.trainPrivately.noiseMultiplier,
  };
}

const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
/** Sample standard deviation (n − 1); 0 for a single run. */
const std = (xs: number[]): number => {
  if (xs.length < 2) return 0;
  const m = mean(xs);
  return Math.sqrt(xs.reduce((a, x) => a + (x - m) ** 2, 0) / (xs.length - 1));
};

export function summariseSweep(runs: SweepRun[]): SweepSummaryRow[] {
  const byEpsilon = new Map<number, SweepRun[]>();
  for (const run of runs) byEpsilon.set(run.epsilon, [...(byEpsilon.get(run.epsilon) ?? []), run]);
  return [...byEpsilon.entries()]
    .sort(([a], [b]) => a - b)
    .map(([epsilon, group]) => ({
      epsilon,
      runs: group.length,
      meanAccuracy: mean(group.map((r) => r.accuracy)),
      stdAccuracy: std(group.map((r) => r.accuracy)),
      meanRocAuc: mean(group.map((r) => r.rocAuc)),
      meanEpsilonSpent: mean(group.map((r) => r.epsilonSpent)),
      noiseMultiplier: mean(group.map((r) => r.noiseMultiplier)),
    }));
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
  runs.sort((a, b) => a.epsilon - b.epsilon || a.seed - b.seed);
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
