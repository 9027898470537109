/**
 * Rich display, the way IPython's _repr_html_ works: an object with toMimeBundle() is shown
 * by the course kernel (and any front end that asks) as HTML, with a text fallback.
 */
/** text/* types carry strings; JSON types (application/json, …+json) carry the object itself. */
export type MimeBundle = { "text/plain": string; "text/html"?: string } & Record<string, unknown>;

export interface Displayable {
  toMimeBundle(): MimeBundle;
}

export function isDisplayable(value: unknown): value is Displayable {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as Partial<Displayable>).toMimeBundle === "function"
  );
}

/** A displayable from already-rendered HTML and its plain-text twin. */
export function richOutput(html: string, text: string): Displayable & { html: string; text: string } {
  return { html, text, toMimeBundle: () => ({ "text/html": html, "text/plain": text }) };
}
