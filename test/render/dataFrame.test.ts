/**
 * toDataFrame: the course's outputs as danfo.js DataFrames — records, column tables, a feature
 * matrix — with the values unchanged, and frames (also those danfo makes, like groupby results)
 * displayed as HTML tables with a text fallback.
 */
import { describe, expect, it } from "vitest";
import { collect } from "../../src/pipeline/collect";
import { anonymize } from "../../src/pipeline/anonymize";
import { engineerFeatures } from "../../src/pipeline/features";
import { customerTable } from "../../src/anonymity/customers";
import { toDataFrame } from "../../src/render/dataFrame";
import { mimeBundle } from "../../src/kernel/display";
import { expectInputError } from "../helpers/expectInputError";

const { customers, split } = collect().output;

describe("toDataFrame", () => {
  it("makes one row per record, columns in the records' order, lists as JSON text", () => {
    const frame = toDataFrame(customers);
    expect(frame.shape).toEqual([customers.length, 6]);
    expect(frame.columns).toEqual(["name", "age", "location", "purchaseHistory", "email", "buysNextMonth"]);
    expect(frame.column("age").values).toEqual(customers.map((c) => c.age));
    expect(JSON.parse(String(frame.column("purchaseHistory").values[3]))).toEqual(customers[3]!.purchaseHistory);
  });

  it("summarises and groups like pandas", () => {
    const frame = toDataFrame(customers);
    const described = frame.describe();
    const ages = customers.map((c) => c.age);
    expect(described.column("age").values[described.index.indexOf("mean")]).toBeCloseTo(ages.reduce((a, b) => a + b, 0) / ages.length, 10);
    const byTown = frame.groupby(["location"]).agg({ buysNextMonth: "count" });
    const town = customers[0]!.location;
    const row = (byTown.column("location").values as string[]).indexOf(town);
    expect(byTown.column("buysNextMonth_count").values[row]).toBe(customers.filter((c) => c.location === town).length);
  });

  it("keeps a feature matrix's values, with its names and the label last", () => {
    const features = engineerFeatures(anonymize(customers).output, { trainIndices: split.train }).output;
    const frame = toDataFrame(features);
    expect(frame.columns).toEqual([...features.names, "label"]);
    expect(frame.values[5]).toEqual([...features.matrix[5]!, features.labels[5]]);
  });

  it("reads a column table", () => {
    const table = customerTable(customers);
    const frame = toDataFrame(table);
    expect(frame.columns).toEqual([...table.columns]);
    expect(frame.shape[0]).toBe(customers.length);
  });

  it("shows frames, danfo's own results included, as an HTML table with a text fallback", () => {
    const grouped = toDataFrame(customers).groupby(["location"]).agg({ age: "mean" });
    const bundle = mimeBundle(grouped);
    expect(bundle["text/html"]).toMatch(/^<table class="privacy-course-table"><caption[^>]*>\d+ rows × 2 columns<\/caption>/);
    expect(bundle["text/html"]).toContain(`<td>${customers[0]!.location}</td>`);
    expect(bundle["text/plain"]).toContain("age_mean");
  });

  it("refuses what it cannot read, naming the field", () => {
    expectInputError(() => toDataFrame([] as object[]), "source");
  });
});
