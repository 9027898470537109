import { afterEach, describe, expect, it, vi } from "vitest";
import { clearOutput, display, html, isDisplayable, json, markdown, mimeBundle, setDisplaySink, type Displayable } from "../../src/kernel/display";

afterEach(() => setDisplaySink(undefined));

describe("mime bundles", () => {
  it("shows plain values with util.inspect as text/plain", () => {
    expect(mimeBundle(42)).toEqual({ "text/plain": "42" });
    expect(mimeBundle("ab")).toEqual({ "text/plain": "'ab'" });
    expect(mimeBundle([1, 2, 3])).toEqual({ "text/plain": "[ 1, 2, 3 ]" });
    expect(mimeBundle({ epsilon: 1 })).toEqual({ "text/plain": "{ epsilon: 1 }" });
  });

  it("shows a multi-line string (a rendered table) as it is", () => {
    expect(mimeBundle("a | b\n1 | 2")).toEqual({ "text/plain": "a | b\n1 | 2" });
  });

  it("uses a Displayable's own bundle, adding text/plain when missing", () => {
    const report: Displayable = { toMimeBundle: () => ({ "text/html": "<b>ε</b>", "text/plain": "ε" }) };
    expect(isDisplayable(report)).toBe(true);
    expect(mimeBundle(report)).toEqual({ "text/html": "<b>ε</b>", "text/plain": "ε" });
    const htmlOnly = { toMimeBundle: () => ({ "text/html": "<i>x</i>" }) };
    expect(mimeBundle(htmlOnly)["text/plain"]).toContain("toMimeBundle");
    expect(mimeBundle(htmlOnly)["text/html"]).toBe("<i>x</i>");
  });

  it("drops keys that are not MIME types and survives a throwing toMimeBundle", () => {
    expect(mimeBundle({ toMimeBundle: () => ({ "text/html": "h", html: "nope", "text/plain": "p" }) })).toEqual({ "text/html": "h", "text/plain": "p" });
    const broken = mimeBundle({ toMimeBundle: () => { throw new Error("bad"); } });
    expect(Object.keys(broken)).toEqual(["text/plain"]);
    expect(broken["text/plain"]).toContain("toMimeBundle() threw: Error: bad");
  });

  it("has helpers for HTML, Markdown and JSON", () => {
    expect(mimeBundle(html("<b>x</b>"))).toEqual({ "text/html": "<b>x</b>", "text/plain": "<b>x</b>" });
    expect(mimeBundle(markdown("# T"))).toEqual({ "text/markdown": "# T", "text/plain": "# T" });
    expect(mimeBundle(json({ a: 1 }))).toEqual({ "application/json": { a: 1 }, "text/plain": "{ a: 1 }" });
  });
});

describe("display()", () => {
  it("sends the bundle to the running kernel", () => {
    const sink = { display: vi.fn(), clearOutput: vi.fn() };
    setDisplaySink(sink);
    display(html("<b>x</b>"), { displayId: "d" });
    clearOutput(true);
    expect(sink.display).toHaveBeenCalledWith({ "text/html": "<b>x</b>", "text/plain": "<b>x</b>" }, { displayId: "d" });
    expect(sink.clearOutput).toHaveBeenCalledWith(true);
  });

  it("prints text/plain outside a kernel", () => {
    const log = vi.spyOn(console, "log").mockImplementation(() => undefined);
    display({ epsilon: 1 });
    expect(log).toHaveBeenCalledWith("{ epsilon: 1 }");
    log.mockRestore();
  });
});
