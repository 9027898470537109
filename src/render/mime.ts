/**
 * Rich display, the way IPython's _repr_html_ works: an object with toMimeBundle() is shown by
 * the course kernel as HTML, with a text fallback. The protocol itself is the kernel's
 * (src/kernel/display.ts); this module adds the one helper the views share.
 */
import type { Displayable } from "../kernel/display";

export type { Displayable, MimeBundle } from "../kernel/display";
export { isDisplayable } from "../kernel/display";

/** A displayable from already-rendered HTML and its plain-text twin. */
export function richOutput(html: string, text: string): Displayable & { html: string; text: string } {
  return { html, text, toMimeBundle: () => ({ "text/html": html, "text/plain": text }) };
}
