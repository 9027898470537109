/**
 * Rich display for the course kernel, like IPython's `display()` and `_repr_html_`.
 *
 * In a notebook cell:
 *
 *     import { display, html } from "../src/kernel/display";
 *     display(html("<b>ε = 1</b>"));        // a display_data output
 *     report                                  // last expression: execute_result, rich if Displayable
 *
 * Library code implements `Displayable` (a `toMimeBundle()` method) to render itself as HTML,
 * Markdown, SVG… Outside the kernel `display()` prints the text/plain form, so the same code
 * runs in scripts and tests.
 *
 * Cells import this file through tslab's compiler, the kernel through tsx: two copies of this
 * module exist in the kernel process, so they meet through a global, never module state.
 */
import { inspect } from "node:util";

/** MIME type → data: strings for text formats, JSON values for application/json and the like. */
export type MimeBundle = Record<string, unknown>;

export interface Displayable {
  /** Must include "text/plain" for frontends without rich output; the kernel adds one if missing. */
  toMimeBundle(): MimeBundle;
}

export interface DisplayOptions {
  metadata?: Record<string, unknown>;
  /** Tag the output so a later `display(…, { displayId, update: true })` replaces it in place. */
  displayId?: string;
  update?: boolean;
}

/** What the running kernel registers on globalThis; absent outside the kernel. */
export interface DisplaySink {
  display(bundle: MimeBundle, options: DisplayOptions): void;
  clearOutput(wait: boolean): void;
}

export const SINK_KEY = Symbol.for("privacy-course.kernel.display-sink");

type WithSink = typeof globalThis & { [SINK_KEY]?: DisplaySink };

export function setDisplaySink(sink: DisplaySink | undefined): void {
  (globalThis as WithSink)[SINK_KEY] = sink;
}

function currentSink(): DisplaySink | undefined {
  return (globalThis as WithSink)[SINK_KEY];
}

/** Whether a kernel shows what display() sends (false in scripts and tests). */
export function hasDisplaySink(): boolean {
  return currentSink() !== undefined;
}

export function isDisplayable(value: unknown): value is Displayable {
  return (
    (typeof value === "object" || typeof value === "function") &&
    value !== null &&
    typeof (value as Partial<Displayable>).toMimeBundle === "function"
  );
}

export function textPlain(value: unknown): string {
  return typeof value === "string" && value.includes("\n") ? value : inspect(value, { depth: 4, breakLength: 100 });
}

/**
 * The bundle for a value: its own `toMimeBundle()` (plus text/plain when missing), else Node's
 * util.inspect as text/plain. A throwing or malformed `toMimeBundle` falls back to text/plain.
 */
export function mimeBundle(value: unknown): MimeBundle {
  if (isDisplayable(value)) {
    let bundle: unknown;
    try {
      bundle = value.toMimeBundle();
    } catch (error) {
      return { "text/plain": `${textPlain(value)}\n(toMimeBundle() threw: ${String(error)})` };
    }
    if (typeof bundle === "object" && bundle !== null && !Array.isArray(bundle)) {
      const clean: MimeBundle = {};
      for (const [mime, data] of Object.entries(bundle)) {
        if (/^[\w\-+.]+\/[\w\-+.]+$/.test(mime) && data !== undefined) clean[mime] = data;
      }
      if (typeof clean["text/plain"] !== "string") clean["text/plain"] = textPlain(value);
      return clean;
    }
  }
  return { "text/plain": textPlain(value) };
}

/** Shows `value` as an output of the running cell (display_data). */
export function display(value: unknown, options: DisplayOptions = {}): void {
  const bundle = mimeBundle(value);
  const sink = currentSink();
  if (sink) sink.display(bundle, options);
  else console.log(bundle["text/plain"]);
}

/** Clears the cell's output; with `wait`, only when the next output arrives (no flicker). */
export function clearOutput(wait = false): void {
  currentSink()?.clearOutput(wait);
}

/** A value shown as one MIME type (plus a text/plain fallback). */
export class Rich implements Displayable {
  constructor(
    readonly mime: string,
    readonly data: unknown,
    readonly plain: string = typeof data === "string" ? data : JSON.stringify(data),
  ) {}
  toMimeBundle(): MimeBundle {
    return { [this.mime]: this.data, "text/plain": this.plain };
  }
}

export const html = (source: string, plain?: string): Rich => new Rich("text/html", source, plain);
export const markdown = (source: string): Rich => new Rich("text/markdown", source);
export const svg = (source: string): Rich => new Rich("image/svg+xml", source, "<svg image>");
export const json = (value: unknown): Rich => new Rich("application/json", value, inspect(value, { depth: 4 }));
