/** Data collection: what in the raw table points at a person, alone or in combination. */
import { equivalenceClasses } from "../src/anonymity/classes";
import { tableFromRecords, type Cell } from "../src/anonymity/table";
import { collect } from "../src/pipeline/collect";
import type { QuizDefinition } from "../src/quiz/types";
import { referenceCase, type Mistake } from "./cases";

type Row = Record<string, Cell>;
const QUASI = ["age", "location"];

/** The library's count: rows alone in their equivalence class on `columns`. */
const uniqueRowsReference = (rows: Row[], columns: string[]): number =>
  equivalenceClasses(tableFromRecords(rows, columns), columns).trace.uniques;

const distinctCombinations = (rows: Row[], columns: string[]): number =>
  equivalenceClasses(tableFromRecords(rows, columns), columns).trace.classes;

const keyedWithoutSeparator = (rows: Row[], columns: string[]): number => {
  const key = (r: Row) => columns.map((c) => String(r[c])).join("");
  const counts = new Map<string, number>();
  for (const r of rows) counts.set(key(r), (counts.get(key(r)) ?? 0) + 1);
  return rows.filter((r) => counts.get(key(r)) === 1).length;
};

const UNIQUE_MISTAKES: Mistake<[Row[], string[]]>[] = [
  {
    value: distinctCombinations,
    message: "That counts the distinct combinations. Count the rows whose combination no other row shares (classes of size 1).",
  },
  {
    value: (rows, columns) => uniqueRowsReference(rows, columns.slice(0, 1)),
    message: "That counts the first column only. A row is singled out by the combination of all the given columns together.",
  },
  {
    value: keyedWithoutSeparator,
    message: 'Two different combinations got the same key (age 1 in "23" and age 12 in "3" both give "123"): separate the values, e.g. JSON.stringify(columns.map((c) => row[c])).',
  },
];

function uniqueCase(name: string, rows: Row[], columns: string[]) {
  return referenceCase(name, [rows, columns] as [Row[], string[]], uniqueRowsReference, { mistakes: UNIQUE_MISTAKES });
}

let customers: Row[] | undefined;
/** The 1000 customers of lesson 1 (the committed dataset), as plain rows. */
const customerRows = (): Row[] => (customers ??= collect().output.customers as unknown as Row[]);
const uniqueCustomers = (columns: string[]): number => uniqueRowsReference(customerRows(), columns);

export const dataCollectionQuiz: QuizDefinition = {
  id: "data-collection",
  title: "Quiz: data collection",
  questions: [
    {
      id: "purchase-history",
      kind: "choice",
      prompt: "The purchase history holds no name and no email. Why is it still a privacy risk?",
      choices: {
        A: "It is not: dates and amounts are just numbers",
        B: "A rare pattern of dates and amounts can single one person out, and can be matched to a receipt or a bank statement",
        C: "It contains each customer's email address",
        D: "It is the outcome the model learns",
      },
      answer: "B",
      feedback: {
        A: "Numbers identify too: few people bought exactly those amounts on exactly those days. Anyone holding one receipt can look for it.",
        C: "The email is its own column (a direct identifier); the history has only dates and amounts.",
        D: "The outcome is buys_next_month; the history is what the features are computed from.",
      },
      hints: [
        "Look at one customer's purchaseHistory: how many other customers share it exactly?",
        "Quasi-identifiers and behaviour identify in combination: a unique pattern is a fingerprint.",
      ],
      solution: '// A unique pattern of purchases is a fingerprint: whoever knows a few of them can find the row.\nquiz.q1.check("B")',
    },
    {
      id: "unique-rows",
      kind: "coding",
      prompt:
        "Write uniqueRows(rows, columns): how many rows have a combination of values in `columns` that no other row " +
        "shares? Those rows are singled out by these columns alone, without a name.",
      cases: [
        uniqueCase(
          "five customers, age and town",
          [
            { age: 34, location: "Northfield" },
            { age: 34, location: "Northfield" },
            { age: 34, location: "Eastham" },
            { age: 51, location: "Northfield" },
            { age: 29, location: "Westford" },
          ],
          QUASI,
        ),
        uniqueCase(
          "one column",
          [{ age: 20 }, { age: 20 }, { age: 21 }, { age: 22 }, { age: 22 }, { age: 22 }],
          ["age"],
        ),
      ],
      hiddenCases: [
        uniqueCase("an empty table", [], QUASI),
        uniqueCase(
          "values that run together",
          [
            { age: 1, location: "23" },
            { age: 12, location: "3" },
            { age: 12, location: "3" },
            { age: 40, location: "Oakham" },
          ],
          QUASI,
        ),
        uniqueCase(
          "three columns, each harmless alone",
          [
            { age: 30, location: "Oakham", sex: "F" },
            { age: 30, location: "Oakham", sex: "M" },
            { age: 30, location: "Fenwick", sex: "F" },
            { age: 41, location: "Oakham", sex: "F" },
            { age: 41, location: "Fenwick", sex: "M" },
            { age: 41, location: "Fenwick", sex: "M" },
            { age: 30, location: "Oakham", sex: "F" },
          ],
          ["age", "location", "sex"],
        ),
        uniqueCase(
          "other columns do not count",
          [
            { age: 25, location: "Eastham", spend: 10 },
            { age: 25, location: "Eastham", spend: 99 },
            { age: 60, location: "Eastham", spend: 10 },
          ],
          QUASI,
        ),
      ],
      hints: [
        "Count how many rows share each combination, then count the rows whose combination occurs once.",
        "Key each row by JSON.stringify(columns.map((c) => row[c])) in a Map from key to count; then rows.filter(...).length.",
      ],
      solution:
        "function uniqueRows(rows: Record<string, any>[], columns: string[]): number {\n" +
        "  const key = (row: Record<string, any>) => JSON.stringify(columns.map((c) => row[c]));\n" +
        "  const counts = new Map<string, number>();\n" +
        "  for (const row of rows) counts.set(key(row), (counts.get(key(row)) ?? 0) + 1);\n" +
        "  return rows.filter((row) => counts.get(key(row)) === 1).length;\n" +
        "}\n" +
        "quiz.q2.check(uniqueRows)",
    },
    {
      id: "unique-customers",
      kind: "numeric",
      prompt:
        "Names and emails aside: how many of the 1000 customers (output.customers) are the only one with their " +
        "combination of age and location? (Your uniqueRows can count them.)",
      expected: () => uniqueCustomers(QUASI),
      tolerance: { absolute: 0 },
      traps: [
        {
          value: () => uniqueCustomers(["age"]),
          relative: 0,
          message: "That is how many are unique by age alone. Count the combination (age, location): harmless alone, identifying together.",
        },
        {
          value: () => uniqueCustomers(["location"]),
          relative: 0,
          message: "That is how many are unique by location alone. Count the combination (age, location).",
        },
        {
          value: () => distinctCombinations(customerRows(), QUASI),
          relative: 0,
          message: "That is the number of distinct (age, location) combinations. Count the customers whose combination occurs only once.",
        },
      ],
      hints: [
        "uniqueRows(output.customers, [\"age\", \"location\"])",
        "Compare with uniqueRows(output.customers, [\"age\"]): each column alone singles out almost nobody.",
      ],
      solution:
        "const customerKey = (c: { age: number; location: string }) => `${c.age}|${c.location}`;\n" +
        "const combinationCounts = new Map<string, number>();\n" +
        "for (const c of output.customers) combinationCounts.set(customerKey(c), (combinationCounts.get(customerKey(c)) ?? 0) + 1);\n" +
        "quiz.q3.check(output.customers.filter((c) => combinationCounts.get(customerKey(c)) === 1).length)",
    },
  ],
};
