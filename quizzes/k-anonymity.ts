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

/** The most information a release may lose: the average loss per quasi-identifier cell (see informationLoss). */
export const MAX_INFORMATION_LOSS = 0.7;
/** The share of rows that must be released (the rest may be suppressed). */
export const MIN_KEPT_SHARE = 0.8;
const AGE_DOMAIN = 100;

/**
 * The information a release loses, in [0, 1]: the mean, over the 2 quasi-identifier cells of every
 * original row, of each cell's loss (Iyengar 2002's loss metric): an exact value 0; an age interval
 * [a, b] (b − a) / 100 (ages span 0–100); a region (REGIONS) (towns in it − 1) / (all towns − 1);
 * "*" 1; a suppressed row 1 for both cells.
 */
export function informationLoss(original: readonly Row[], released: readonly Row[]): number {
  if (original.length === 0) return 0;
  const towns = Object.keys(REGIONS);
  const ageLoss = (cell: Cell): number => {
    if (typeof cell === "number") return 0;
    const m = typeof cell === "string" ? /^\[?\s*(\d+)\s*(?:,|-|–)\s*(\d+)\s*[\])]?$/.exec(cell.trim()) : null;
    return m ? Math.min(1, (Number(m[2]) - Number(m[1])) / AGE_DOMAIN) : 1;
  };
  const locationLoss = (cell: Cell): number => {
    if (typeof cell === "string" && cell in REGIONS) return 0;
    const inRegion = towns.filter((t) => REGIONS[t] === cell).length;
    return inRegion > 0 ? (inRegion - 1) / (towns.length - 1) : 1;
  };
  const kept = released.reduce((sum, r) => sum + ageLoss(r.age) + locationLoss(r.location), 0);
  const suppressed = 2 * (original.length - released.length);
  return (kept + suppressed) / (2 * original.length);
}

/** The full-domain generalisations the prompt allows: age exact, decade or "*" × town, region or "*". */
const AGE_LEVELS: ((age: number) => Cell)[] = [(a) => a, (a) => `[${Math.floor(a / 10) * 10}, ${Math.floor(a / 10) * 10 + 9}]`, () => "*"];
const LOCATION_LEVELS: ((town: string) => Cell)[] = [(t) => t, (t) => REGIONS[t], () => "*"];

/** The least lossy full-domain release (classes under k suppressed) within both limits, or null when there is none. */
export function bestFullDomainRelease(rows: readonly Row[], k = 3): { rows: Row[]; loss: number } | null {
  let best: { rows: Row[]; loss: number } | null = null;
  for (const age of AGE_LEVELS) {
    for (const location of LOCATION_LEVELS) {
      const generalised = rows.map((r) => ({ ...r, age: age(r.age as number), location: location(r.location as string) }));
      const key = (r: Row) => `${String(r.age)}|${String(r.location)}`;
      const sizes = new Map<string, number>();
      for (const r of generalised) sizes.set(key(r), (sizes.get(key(r)) ?? 0) + 1);
      const kept = generalised.filter((r) => (sizes.get(key(r)) ?? 0) >= k);
      const loss = informationLoss(rows, kept);
      if (kept.length >= MIN_KEPT_SHARE * rows.length && loss <= MAX_INFORMATION_LOSS && (best === null || loss < best.loss)) best = { rows: kept, loss };
    }
  }
  return best;
}

function anonymityCase(name: string, rows: Row[], { k = 3 } = {}): TestCase<[Row[]]> {
  const minRows = Math.ceil(MIN_KEPT_SHARE * rows.length);
  const possible = bestFullDomainRelease(rows, k);
  return {
    name,
    args: () => [rows.map((r) => ({ ...r }))],
    expected: possible
      ? `at least ${minRows} of the ${rows.length} rows, each generalised (age → interval or "*", town → region or "*"), every (age, location) combination shared by ≥ ${k} rows, information loss ≤ ${MAX_INFORMATION_LOSS} (e.g. ${possible.loss.toFixed(2)})`
      : `null: no release of this table is ${k}-anonymous within both limits`,
    verify: (got) => {
      if (got === null) {
        return possible
          ? `A release within both limits exists (information loss ${possible.loss.toFixed(2)} with one level for every row): return it rather than null.`
          : null;
      }
      if (!Array.isArray(got)) return "Return an array of rows, or null when no release meets both limits.";
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
      const loss = informationLoss(rows, got as Row[]);
      if (loss > MAX_INFORMATION_LOSS) {
        return `k-anonymous, but the release loses too much: information loss ${loss.toFixed(2)} > ${MAX_INFORMATION_LOSS} (informationLoss(rows, released)). Generalise less${possible ? "" : ", or return null: no release of this table meets both limits"}.`;
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
        "Count the rows of each class (VISITS, shown above, has 17); k is the smallest count.",
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
        "Return the rows 3-anonymous on (age, location) within two limits, as a real release has: keep at least 80% of the rows " +
        `(suppress at most 20%), and lose at most ${MAX_INFORMATION_LOSS} of the information, as informationLoss(rows, released) ` +
        'measures it (0 = nothing generalised, 1 = everything "*" or suppressed). You may generalise age to an ' +
        'interval such as "[30, 39]" or "*", the town to its region (REGIONS[town]) or "*", and suppress (leave out) ' +
        "whole rows. Keep every id and every other column as it is. When no release meets both limits, return null: " +
        'releasing nothing is then the answer (rows.map(r => ({ ...r, age: "*", location: "*" })) is 3-anonymous and useless).',
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
          "everyone different: no useful release exists",
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
        "Try a generalisation, count the rows of every (age, location) combination, and drop the combinations with fewer than 3 rows; if that drops more than 20% or informationLoss is above the limit, try the next one; if none is left, return null.",
        'A ladder that works: age to decades ("[30, 39]"); then also town to region; then age "*" with the region. Check each with informationLoss(rows, kept).',
      ],
      solution:
        "function makeThreeAnonymous(rows: Record<string, any>[]): Record<string, any>[] | null {\n" +
        "  const decade = (age: number) => `[${Math.floor(age / 10) * 10}, ${Math.floor(age / 10) * 10 + 9}]`;\n" +
        "  const ladder: ((r: Record<string, any>) => Record<string, any>)[] = [\n" +
        "    (r: Record<string, any>) => ({ ...r, age: decade(r.age) }),\n" +
        "    (r: Record<string, any>) => ({ ...r, age: decade(r.age), location: REGIONS[r.location] }),\n" +
        '    (r: Record<string, any>) => ({ ...r, age: "*", location: REGIONS[r.location] }),\n' +
        "  ];\n" +
        "  for (const generalise of ladder) {\n" +
        "    const out = rows.map(generalise);\n" +
        "    const sizes = new Map<string, number>();\n" +
        "    for (const r of out) sizes.set(`${r.age}|${r.location}`, (sizes.get(`${r.age}|${r.location}`) ?? 0) + 1);\n" +
        "    const kept = out.filter((r) => sizes.get(`${r.age}|${r.location}`)! >= 3);\n" +
        "    if (kept.length >= 0.8 * rows.length && informationLoss(rows, kept) <= 0.7) return kept;\n" +
        "  }\n" +
        "  return null;\n" +
        "}\n" +
        "quiz.q2.check(makeThreeAnonymous)",
    },
  ],
};
