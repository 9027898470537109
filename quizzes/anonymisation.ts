/** Anonymisation: what identifies a person, and removing it for real. */
import { createHash } from "node:crypto";
import type { QuizDefinition, TestCase } from "../src/quiz/types";

type Row = Record<string, string | number>;
type IdentifierArgs = [Row[], string];
const DIRECT_IDENTIFIERS = ["name", "email", "phone"];
/** The key a case passes, and the other one its keyed check compares with. */
const KEY = "quiz-key-0123456789abcdef";
const OTHER_KEY = "another-key-fedcba9876543210";

const letters = (text: string) => text.toLowerCase().replace(/[^a-z0-9]/g, "");
const tokens = (text: string) => text.toLowerCase().split(/[^a-z0-9]+/).filter((t) => t.length >= 3);
const reversed = (text: string) => [...text].reverse().join("");

/** Unkeyed hashes anyone can recompute from a list of known identifiers (lesson 2): hex and base64, of the value as given and normalised. */
function unkeyedHashes(value: string): string[] {
  const forms = [...new Set([value, value.trim().toLowerCase()])];
  return ["md5", "sha1", "sha256", "sha512"].flatMap((algorithm) =>
    forms.flatMap((form) => {
      const digest = createHash(algorithm).update(form).digest();
      return [digest.toString("hex"), digest.toString("base64")];
    }),
  );
}

/** Why `value` still gives away the identifier `original` (read, reversed or hashed without a key), or null. */
function leakOf(value: string, original: string, column: string): string | null {
  const text = value.toLowerCase();
  const plain = letters(original);
  if (text.includes(original.toLowerCase()) || (plain.length >= 4 && letters(value).includes(plain))) return `still contains its ${column}`;
  if (plain.length >= 4 && letters(value).includes(reversed(plain))) return `contains its ${column} reversed: anyone can read it back`;
  const shared = tokens(value).find((t) => tokens(original).some((o) => o === t || o === reversed(t)));
  if (shared) return `still shows "${shared}" from its ${column}: a rewritten identifier is still an identifier`;
  if (unkeyedHashes(original).some((h) => value.includes(h) || value.includes(h.toLowerCase()))) {
    return `holds an unkeyed hash of its ${column}: anyone can hash a list of known ${column}s and compare (lesson 2); use an HMAC with the key, or drop it`;
  }
  return null;
}

/** The same rows with other direct identifiers: shows whether an output column depends on them. */
function otherPeople(rows: Row[]): Row[] {
  return rows.map((r, i) => {
    const out = { ...r };
    for (const column of DIRECT_IDENTIFIERS) if (column in out) out[column] = `${column === "email" ? `zq${i}x@other.test` : `Quentin Zed ${i}`}`;
    return out;
  });
}

function identifierCase(name: string, rows: Row[]): TestCase<IdentifierArgs> {
  return {
    name,
    args: () => [rows.map((r) => ({ ...r })), KEY],
    // The same people under other identifiers, and under another key: see verify.
    variants: () => [
      [otherPeople(rows), KEY],
      [rows.map((r) => ({ ...r })), OTHER_KEY],
    ],
    expected: "the same rows with every name, email and phone removed or replaced by a keyed pseudonym (an HMAC under the key), all other columns unchanged",
    verify: (got, _args, call) => {
      if (!Array.isArray(got) || got.length !== rows.length) return `Keep every row: expected ${rows.length} rows.`;
      // Columns other than the kept ones carry something derived from the identifiers (or nothing).
      const derived = new Set<string>();
      for (let i = 0; i < rows.length; i++) {
        const out = got[i] as Row;
        if (typeof out !== "object" || out === null) return `Row ${i} must be an object.`;
        for (const [column, value] of Object.entries(rows[i])) {
          if (!DIRECT_IDENTIFIERS.includes(column) && out[column] !== value) {
            return `Row ${i} lost or changed "${column}", which is not a direct identifier: keep it.`;
          }
        }
        for (const [column, value] of Object.entries(out)) {
          if (column in rows[i] && !DIRECT_IDENTIFIERS.includes(column)) continue;
          derived.add(column);
          for (const identifier of DIRECT_IDENTIFIERS) {
            const original = rows[i][identifier];
            if (original === undefined) continue;
            const leak = leakOf(String(value), String(original), identifier);
            if (leak) return `Row ${i}'s "${column}" ${leak}.`;
          }
        }
      }
      if (derived.size === 0 || rows.length === 0) return null;
      // A column that changes with the people's identifiers must be keyed: it must change with the key too.
      const others = call(otherPeople(rows), KEY) as Row[];
      const rekeyed = call(rows.map((r) => ({ ...r })), OTHER_KEY) as Row[];
      for (const column of derived) {
        const values = (table: Row[]) => (Array.isArray(table) ? table.map((r) => JSON.stringify(r?.[column] ?? null)) : []);
        const mine = values(got as Row[]);
        const dependsOnIdentifiers = values(others).some((v, i) => v !== mine[i]);
        const dependsOnKey = values(rekeyed).some((v, i) => v !== mine[i]);
        if (dependsOnIdentifiers && !dependsOnKey) {
          return `"${column}" is computed from the identifiers without the key: whoever knows the method can recompute it from a list of known people. Use an HMAC under the key (pseudonym(value, key)), or drop it.`;
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
        "Write removeIdentifiers(rows, key): every row has direct identifiers (name, email, and sometimes phone) and other " +
        "columns. Return the rows with every direct identifier either removed or replaced by a keyed pseudonym (an HMAC under " +
        "the secret key, as pseudonym(value, key) computes), and everything else unchanged. Reversing, rewriting or hashing " +
        "without the key does not count: anyone could undo it.",
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
        "Build each output row from the input row without the keys name, email and phone (the simplest right answer ignores the key).",
        "const { name, email, phone, ...rest } = row; return rest;",
      ],
      solution:
        "function removeIdentifiers(rows: Record<string, string | number>[], key: string) {\n" +
        "  return rows.map(({ name, email, phone, ...rest }) => rest);\n" +
        "}\n" +
        "quiz.q2.check(removeIdentifiers)",
    },
  ],
};
