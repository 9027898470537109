/** k-anonymity: measure k by hand, then make a table k-anonymous without throwing most of it away. */
import { checkKAnonymity } from "../src/anonymity/kAnonymity";
import { equivalenceClasses } from "../src/anonymity/classes";
import { tableFromRecords, type Cell } from "../src/anonymity/table";
import type { QuizDefinition, TestCase } from "../src/quiz/types";

type Row = Record<string, Cell>;
const QUASI = ["age", "location"];

/** Town → region: the one level of location generalisation the exercises allow above the town. */
export const REGIONS: Readonly<Record<string, string>> = Object.freeze({
  Northfield: "North",
  Oakham: "North",
  Eastham: "East",
  Fenwick: "East",
  Southbury: "South",
  Westford: "West",
});

/** The table of question 1, shown in the lesson. */
export const VISITS: readonly Row[] = Object.freeze([
  { age: "[30, 39]", location: "North", diagnosis: "flu" },
  { age: "[30, 39]", location: "North", diagnosis: "asthma" },
  { age: "[30, 39]", location: "North", diagnosis: "diabetes" },
  { age: "[40, 49]", location: "North", diagnosis: "migraine" },
  { age: "[40, 49]", location: "North", diagnosis: "flu" },
  { age: "[50, 59]", location: "North", diagnosis: "asthma" },
  { age: "[50, 59]", location: "North", diagnosis: "diabetes" },
  { age: "[50, 59]", location: "North", diagnosis: "migraine" },
  { age: "[30, 39]", location: "East", diagnosis: "flu" },
  { age: "[30, 39]", location: "East", diagnosis: "asthma" },
  { age: "[30, 39]", location: "East", diagnosis: "diabetes" },
  { age: "[30, 39]", location: "East", diagnosis: "migraine" },
  { age: "[30, 39]", location: "East", diagnosis: "flu" },
  { age: "[30, 39]", location: "East", diagnosis: "asthma" },
  { age: "[40, 49]", location: "East", diagnosis: "diabetes" },
  { age: "[40, 49]", location: "East", diagnosis: "migraine" },
  { age: "[40, 49]", location: "East", diagnosis: "flu" },
].map((r) => Object.freeze(r)));

const classSizes = (rows: readonly Row[], quasi: readonly string[]) =>
  equivalenceClasses(tableFromRecords(rows), quasi).output.classes.map((c) => c.size);

/** The allowed values of an age cell: the age itself, an interval "[a, b]" or "a-b" containing it, or "*". */
function ageCovers(cell: Cell, age: number): boolean {
  if (cell === age || cell === "*") return true;
  if (typeof cell !== "string") return false;
  const m = /^\[?\s*(\d+)\s*(?:,|-|–)\s*(\d+)\s*[\])]?$/.exec(cell.trim());
  return m !== null && Number(m[1]) <= age && age <= Number(m[2]);
}

const locationCovers = (cell: Cell, town: string) => cell === town || cell === REGIONS[town] || cell === "*";

function anonymityCase(name: string, rows: Row[], { k = 3, keep = 0.8 } = {}): TestCase<[Row[]]> {
  const minRows = Math.ceil(keep * rows.length);
  return {
    name,
    args: () => [rows.map((r) => ({ ...r }))],
    expected: `at least ${minRows} of the ${rows.length} rows, each generalised (age → interval or "*", town → region or "*"), every (age, location) combination shared by ≥ ${k} rows`,
    verify: (got) => {
      if (!Array.isArray(got)) return "Return an array of rows.";
      const byId = new Map(rows.map((r) => [r.id, r]));
      const seen = new Set<Cell>();
      for (let i = 0; i < got.length; i++) {
        const out = got[i] as Row;
        if (typeof out !== "object" || out === null) return `Row ${i} must be an object.`;
        const original = byId.get(out.id);
        if (original === undefined) return `Row ${i} has id ${String(out.id)}, which is not in the table: keep each row's id, and do not invent rows.`;
        if (seen.has(out.id)) return `The row with id ${String(out.id)} appears twice: copying rows to fill a class fabricates people.`;
        seen.add(out.id);
        for (const [column, value] of Object.entries(original)) {
          if (QUASI.includes(column)) continue;
          if (out[column] !== value) return `Row id ${String(out.id)} changed "${column}": only the quasi-identifiers age and location may be generalised.`;
        }
        if (!ageCovers(out.age, original.age as number)) {
          return `Row id ${String(out.id)}: age ${JSON.stringify(out.age)} does not cover the true age ${original.age}: use an interval such as "[30, 39]" that contains it, or "*".`;
        }
        if (!locationCovers(out.location, original.location as string)) {
          return `Row id ${String(out.id)}: location ${JSON.stringify(out.location)} is neither the town ${original.location}, its region ${REGIONS[original.location as string]}, nor "*".`;
        }
      }
      if (got.length < minRows) {
        return `You kept ${got.length} of ${rows.length} rows (${Math.round((100 * got.length) / rows.length)}%): at most ${rows.length - minRows} may be suppressed. Generalise more instead of deleting.`;
      }
      if (got.length > 0) {
        const check = checkKAnonymity(tableFromRecords(got as Row[], ["id", ...QUASI]), { quasi: QUASI, k });
        if (!check.satisfied && check.worstClass) {
          const { key, size } = check.worstClass;
          return `Not ${k}-anonymous: the combination (age ${JSON.stringify(key.age)}, location ${JSON.stringify(key.location)}) has only ${size} row(s).`;
        }
      }
      return null;
    },
  };
}

const people = (spec: Array<[number, string]>, extra: (i: number) => Row = () => ({})): Row[] =>
  spec.map(([age, location], i) => ({ id: i + 1, age, location, ...extra(i) }));

export const kAnonymityQuiz: QuizDefinition = {
  id: "k-anonymity",
  title: "Quiz: k-anonymity",
  questions: [
    {
      id: "compute-k",
      kind: "numeric",
      prompt:
        "The table VISITS (shown above) is released with age and location as quasi-identifiers and diagnosis as the " +
        "sensitive attribute. For which largest k is it k-anonymous?",
      expected: () => Math.min(...classSizes(VISITS, QUASI)),
      tolerance: { absolute: 0 },
      traps: [
        {
          value: () => classSizes(VISITS, QUASI).length,
          relative: 0,
          message: "That is the number of equivalence classes. k is the size of the smallest class.",
        },
        {
          value: () => Math.max(...classSizes(VISITS, QUASI)),
          relative: 0,
          message: "That is the largest class. k-anonymity is about the worst case: the smallest class.",
        },
        {
          value: () => Math.min(...QUASI.map((q) => Math.min(...classSizes(VISITS, [q])))),
          relative: 0,
          message: "That counts each quasi-identifier on its own. A class is a combination of all of them: (age, location).",
        },
      ],
      hints: [
        "Group the rows by the pair (age, location): each group is an equivalence class.",
        "Count the rows of each class; k is the smallest count. checkKAnonymity can confirm it.",
      ],
      solution:
        "// Five classes of 3, 2, 3, 6 and 3 rows: the smallest, ([40, 49], North), has 2.\n" +
        "quiz.q1.check(2)",
    },
    {
      id: "make-3-anonymous",
      kind: "coding",
      prompt:
        "Write makeThreeAnonymous(rows): each row has an id, an exact age, a town (a key of REGIONS) and other columns. " +
        "Return the rows 3-anonymous on (age, location), keeping at least 80% of them. You may generalise age to an " +
        'interval such as "[30, 39]" or "*", the town to its region (REGIONS[town]) or "*", and suppress (leave out) ' +
        "whole rows. Keep every id and every other column as it is.",
      cases: [
        anonymityCase(
          "twelve people in two regions",
          people(
            [[31, "Northfield"], [34, "Oakham"], [38, "Northfield"], [36, "Oakham"], [52, "Eastham"], [57, "Fenwick"],
             [55, "Eastham"], [33, "Northfield"], [58, "Fenwick"], [41, "Southbury"], [35, "Oakham"], [51, "Fenwick"]],
            (i) => ({ diagnosis: ["flu", "asthma", "migraine"][i % 3] }),
          ),
        ),
        anonymityCase("already 3-anonymous", people([[30, "Westford"], [30, "Westford"], [30, "Westford"]])),
      ],
      hiddenCases: [
        anonymityCase(
          "a larger table with a few outliers",
          people(
            [[22, "Northfield"], [24, "Oakham"], [27, "Northfield"], [29, "Oakham"], [23, "Northfield"],
             [45, "Southbury"], [47, "Southbury"], [44, "Southbury"], [61, "Eastham"], [66, "Fenwick"],
             [63, "Eastham"], [68, "Fenwick"], [89, "Westford"], [25, "Oakham"], [46, "Southbury"]],
            (i) => ({ spend: 10 + i }),
          ),
        ),
        anonymityCase(
          "everyone different: generalise everything",
          people([[18, "Northfield"], [45, "Eastham"], [72, "Southbury"], [33, "Westford"], [59, "Oakham"]]),
        ),
        anonymityCase(
          "k = 3 needs two levels",
          people(
            [[30, "Northfield"], [31, "Oakham"], [42, "Northfield"], [35, "Eastham"], [36, "Fenwick"], [47, "Eastham"],
             [38, "Southbury"], [39, "Southbury"], [49, "Southbury"], [33, "Westford"]],
            (i) => ({ outcome: i % 2 }),
          ),
        ),
      ],
      hints: [
        "Try a generalisation, count the rows of every (age, location) combination, and drop the combinations with fewer than 3 rows; if that drops more than 20%, generalise further and try again.",
        'A ladder that works: age to decades ("[30, 39]"); then also town to region; then age "*"; then location "*" too.',
      ],
      solution:
        "function makeThreeAnonymous(rows: Record<string, any>[]): Record<string, any>[] {\n" +
        "  const decade = (age: number) => `[${Math.floor(age / 10) * 10}, ${Math.floor(age / 10) * 10 + 9}]`;\n" +
        "  const ladder: ((r: Record<string, any>) => Record<string, any>)[] = [\n" +
        "    (r: Record<string, any>) => ({ ...r, age: decade(r.age) }),\n" +
        "    (r: Record<string, any>) => ({ ...r, age: decade(r.age), location: REGIONS[r.location] }),\n" +
        '    (r: Record<string, any>) => ({ ...r, age: "*", location: REGIONS[r.location] }),\n' +
        '    (r: Record<string, any>) => ({ ...r, age: "*", location: "*" }),\n' +
        "  ];\n" +
        "  for (const generalise of ladder) {\n" +
        "    const out = rows.map(generalise);\n" +
        "    const sizes = new Map<string, number>();\n" +
        "    for (const r of out) sizes.set(`${r.age}|${r.location}`, (sizes.get(`${r.age}|${r.location}`) ?? 0) + 1);\n" +
        "    const kept = out.filter((r) => sizes.get(`${r.age}|${r.location}`)! >= 3);\n" +
        "    if (kept.length >= 0.8 * rows.length) return kept;\n" +
        "  }\n" +
        "  return [];\n" +
        "}\n" +
        "quiz.q2.check(makeThreeAnonymous)",
    },
  ],
};
