/** Anonymisation: what identifies a person, and removing it for real. */
import type { QuizDefinition, TestCase } from "../src/quiz/types";

type Row = Record<string, string | number>;
const DIRECT_IDENTIFIERS = ["name", "email", "phone"];

function identifierCase(name: string, rows: Row[]): TestCase<[Row[]]> {
  return {
    name,
    args: () => [rows.map((r) => ({ ...r }))],
    expected: "the same rows with every name, email and phone removed or masked, all other columns unchanged",
    verify: (got) => {
      if (!Array.isArray(got) || got.length !== rows.length) return `Keep every row: expected ${rows.length} rows.`;
      for (let i = 0; i < rows.length; i++) {
        const out = got[i] as Row;
        if (typeof out !== "object" || out === null) return `Row ${i} must be an object.`;
        const text = JSON.stringify(out).toLowerCase();
        for (const column of DIRECT_IDENTIFIERS) {
          const value = rows[i][column];
          if (value !== undefined && text.includes(String(value).toLowerCase())) {
            return `Row ${i} still contains its ${column} (${column} is a direct identifier).`;
          }
        }
        for (const [column, value] of Object.entries(rows[i])) {
          if (!DIRECT_IDENTIFIERS.includes(column) && out[column] !== value) {
            return `Row ${i} lost or changed "${column}", which is not a direct identifier: keep it.`;
          }
        }
      }
      return null;
    },
  };
}

export const anonymisationQuiz: QuizDefinition = {
  id: "anonymisation",
  title: "Quiz: anonymisation",
  questions: [
    {
      id: "quasi-identifiers",
      kind: "choice",
      prompt: "In the customer table, which columns are quasi-identifiers (harmless alone, identifying together)?",
      choices: {
        A: "name and email",
        B: "age and location",
        C: "buys_next_month",
        D: "none: once name and email are removed nobody can be identified",
      },
      answer: "B",
      feedback: {
        A: "Name and email are direct identifiers: each points at one person on its own.",
        C: "That is the outcome the model learns, not something that identifies a person.",
        D: "Age and town together can single someone out: that is how linkage attacks work.",
      },
      hints: ["Which columns could you look up in a public register together?"],
      solution: '// Age and location: combined (with a distinctive purchase history) they can single a person out.\nquiz.q1.check("B")',
    },
    {
      id: "drop-identifiers",
      kind: "coding",
      prompt:
        "Write removeIdentifiers(rows): every row has direct identifiers (name, email, and sometimes phone) and other " +
        "columns. Return the rows with every direct identifier dropped or masked, and everything else unchanged.",
      cases: [
        identifierCase("two customers", [
          { name: "Ada Lovelace", email: "ada@example.org", age: 36, town: "Northfield" },
          { name: "Alan Turing", email: "alan@example.org", age: 41, town: "Southbury" },
        ]),
        identifierCase("with a phone number", [{ name: "Grace Hopper", email: "grace@example.org", phone: "+44 20 7946 0000", age: 85, town: "Westford" }]),
      ],
      hiddenCases: [
        identifierCase("an empty table", []),
        identifierCase("three rows, one phone", [
          { name: "Edsger Dijkstra", email: "ewd@example.org", age: 72, town: "Eastham", spend: 12.5 },
          { name: "Barbara Liskov", email: "liskov@example.org", phone: "555-0100", age: 84, town: "Northfield", spend: 40 },
          { name: "Donald Knuth", email: "knuth@example.org", age: 87, town: "Southbury", spend: 7.25 },
        ]),
      ],
      hints: [
        "Build each output row from the input row without the keys name, email and phone.",
        "const { name, email, phone, ...rest } = row; return rest;",
      ],
      solution:
        "function removeIdentifiers(rows: Record<string, string | number>[]) {\n" +
        "  return rows.map(({ name, email, phone, ...rest }) => rest);\n" +
        "}\n" +
        "quiz.q2.check(removeIdentifiers)",
    },
  ],
};
