import { describe, expect, it } from "vitest";
import { globToRegExp, History, SESSION_NUMBER } from "../../src/kernel/history";

function sample(): History {
  const h = new History();
  ["6 * 7", "x", "6 * 7", "display(1)"].forEach((input, i) => h.add(i + 1, input));
  h.setOutput(1, "42");
  return h;
}

describe("history", () => {
  it("gives the last n inputs, with outputs on request", () => {
    expect(sample().query({ hist_access_type: "tail", n: 2 })).toEqual([
      [SESSION_NUMBER, 3, "6 * 7"],
      [SESSION_NUMBER, 4, "display(1)"],
    ]);
    expect(sample().query({ hist_access_type: "tail", n: 4, output: true })[0]).toEqual([SESSION_NUMBER, 1, ["6 * 7", "42"]]);
  });

  it("gives a range start ≤ line < stop of this session (0 means the current one)", () => {
    expect(sample().query({ hist_access_type: "range", session: SESSION_NUMBER, start: 2, stop: 3 })).toEqual([[SESSION_NUMBER, 2, "x"]]);
    expect(sample().query({ hist_access_type: "range", session: 0, start: 3 })).toHaveLength(2);
    expect(sample().query({ hist_access_type: "range", session: 7, start: 1 })).toEqual([]);
  });

  it("searches with glob patterns, latest n, optionally unique", () => {
    const h = sample();
    expect(h.query({ hist_access_type: "search", pattern: "6 * *" })).toHaveLength(2);
    expect(h.query({ hist_access_type: "search", pattern: "6 * *", unique: true })).toEqual([[SESSION_NUMBER, 3, "6 * 7"]]);
    expect(h.query({ hist_access_type: "search", pattern: "*", n: 3 }).map((e) => e[1])).toEqual([2, 3, 4]);
  });

  it("matches like SQLite GLOB", () => {
    expect(globToRegExp("a?c").test("abc")).toBe(true);
    expect(globToRegExp("[ab]x").test("bx")).toBe(true);
    expect(globToRegExp("[^ab]x").test("ax")).toBe(false);
    expect(globToRegExp("a.b").test("axb")).toBe(false);
    expect(globToRegExp("*(1)*").test("f(1)")).toBe(true);
  });
});
