/**
 * A progress display for long library calls in a notebook, the way tqdm's notebook bar works:
 * one display_data output with a display_id, updated in place (update_display_data, at most
 * every UPDATE_EVERY_MS) and left as a one-line summary when the call ends — so the saved
 * notebook and its HTML export hold that line, not the frames. Registered as the library's
 * default progress reporter; outside a kernel it shows nothing.
 */
import { randomUUID } from "node:crypto";
import { display, hasDisplaySink } from "../kernel/display";
import { setDefaultProgressReporter, type Progress } from "../runtime/longRun";
import { escapeHtml } from "./html/escape";
import { richOutput } from "./mime";

export const UPDATE_EVERY_MS = 250;
const BAR_WIDTH = 24;

const seconds = (ms: number) => (ms < 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms / 1000)} s`);

function formatMetric(value: number | null): string {
  if (value === null) return "–";
  if (!Number.isFinite(value)) return value > 0 ? "∞" : "-∞";
  return Math.abs(value) >= 100 ? value.toFixed(0) : value.toPrecision(3);
}

function metricsText(p: Progress): string {
  return Object.entries(p.metrics ?? {})
    .map(([name, value]) => `${name} ${formatMetric(value)}`)
    .join(" · ");
}

/** The line a finished (or interrupted) call leaves behind. */
const count = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(1));

export function progressSummary(p: Progress): string {
  const metrics = metricsText(p);
  const what = p.state !== "done" ? `${p.state} after ${count(p.done)} of ${p.total} ${p.unit}s` : `${p.total} ${p.unit}${p.total === 1 ? "" : "s"}`;
  return `${p.task}: ${what} in ${seconds(p.elapsedMs)}${metrics ? ` · ${metrics}` : ""}`;
}

/** The bar while the call runs: step, metrics, time left at the pace so far. */
export function progressLine(p: Progress): string {
  const fraction = p.total > 0 ? Math.min(1, p.done / p.total) : 0;
  const filled = Math.round(fraction * BAR_WIDTH);
  const left = p.done > 0 ? (p.elapsedMs / p.done) * (p.total - p.done) : undefined;
  const metrics = metricsText(p);
  return (
    `${p.task}${p.detail ? ` › ${p.detail}` : ""} [${"#".repeat(filled)}${".".repeat(BAR_WIDTH - filled)}] ${p.unit} ${count(p.done)}/${p.total}` +
    `${metrics ? ` · ${metrics}` : ""} · ${seconds(p.elapsedMs)}${left === undefined ? "" : `, ~${seconds(left)} left`}`
  );
}

export function progressView(p: Progress) {
  if (p.state !== "running") {
    const line = progressSummary(p);
    return richOutput(`<div class="privacy-course-progress"><code>${escapeHtml(line)}</code></div>`, line);
  }
  const line = progressLine(p);
  return richOutput(
    `<div class="privacy-course-progress"><progress value="${p.done}" max="${p.total}" style="width:16em;vertical-align:middle"></progress> ` +
      `<code>${escapeHtml(line.replace(/ \[[#.]+\]/, ""))}</code></div>`,
    line,
  );
}

/** One updating display per call, while a kernel is there to show it. */
export function notebookProgress(show = display): ((p: Progress) => void) | undefined {
  if (!hasDisplaySink() && show === display) return undefined;
  const displayId = randomUUID();
  let shown = false;
  let last = 0;
  return (p) => {
    const now = Date.now();
    if (p.state === "running" && shown && now - last < UPDATE_EVERY_MS) return;
    last = now;
    show(progressView(p), { displayId, update: shown });
    shown = true;
  };
}

setDefaultProgressReporter(() => notebookProgress());
