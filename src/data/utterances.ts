/**
 * The voice-assistant example: fictional users' spoken commands, the kind of text a phone's
 * assistant or keyboard learns its next-word model from. Nobody here exists: every user, name,
 * number and street comes from the course's seeded RNG and the small word lists below.
 *
 * Users are unlike each other on purpose, as real ones are: each has their own taste in
 * commands (weights drawn per user), and activity is heavy-tailed (a log-normal number of
 * utterances: most users say a dozen things, a few say hundreds). Some ordinary users mention
 * their own phone number, address or name once. A few users are SECRET HOLDERS: they repeat
 * one personal secret many times ("my number is four seven one nine"), the way a real person
 * leaks, repeatedly and on their own. These are the secret sharer's canaries (Carlini et al.
 * 2019), inserted as one person's habit rather than as copies spread across the data.
 *
 * The CSV is one utterance per line (user id, text) and the secrets go to a small JSON, both
 * written with a fixed layout so `npm run datasets` rewrites them byte for byte.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import Papa from "papaparse";
import { createRng, type Rng } from "../random/rng";
import { InputError, requireNumber } from "../validation/errors";
import { writeFileSafely } from "../runtime/safeWrite";
import { PACKAGE_ROOT } from "../runtime/packageRoot";

export const DIGITS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"] as const;
export const FIRST_NAMES = ["ada", "bruno", "chiara", "dmitri", "elena", "farid", "greta", "hugo", "ines", "jonas", "kemal", "lena"] as const;
export const LAST_NAMES = ["abara", "berg", "costa", "dufour", "eklund", "falk", "gallo", "horvat", "ivanov", "jansen", "kowal", "lindqvist"] as const;
export const STREETS = ["maple", "harbour", "station", "mill", "orchard", "church", "bridge", "meadow"] as const;
const MINUTES = ["five", "ten", "fifteen", "twenty", "thirty", "forty"] as const;
const GENRES = ["jazz", "rock", "classical", "pop", "folk", "ambient"] as const;
const CITIES = ["lisbon", "oslo", "vienna", "dublin", "porto", "riga"] as const;
const DAYS = ["today", "tomorrow", "tonight"] as const;
const TASKS = ["buy milk", "water the plants", "take my pills", "walk the dog", "pay the rent", "call mum"] as const;
const ROOMS = ["kitchen", "bedroom", "hallway", "bathroom", "garden"] as const;
const ITEMS = ["eggs", "bread", "apples", "coffee", "rice", "butter", "cheese", "tea"] as const;

/** The three kinds of personal detail: a fixed prefix, then slots each filled from a word list. */
export const SECRET_KINDS = {
  phone: { prefix: ["my", "number", "is"], slots: [DIGITS, DIGITS, DIGITS, DIGITS], suffix: [] as string[] },
  address: { prefix: ["i", "live", "at"], slots: [DIGITS, DIGITS, STREETS], suffix: ["street"] },
  name: { prefix: ["my", "name", "is"], slots: [FIRST_NAMES, LAST_NAMES], suffix: [] as string[] },
} as const;
export type SecretKind = keyof typeof SECRET_KINDS;
export const SECRET_KIND_NAMES = Object.keys(SECRET_KINDS) as SecretKind[];

/** The sentence that says a secret: prefix, the secret's words, suffix. */
export function secretSentence(kind: SecretKind, secret: readonly string[]): string {
  const k = SECRET_KINDS[kind];
  return [...k.prefix, ...secret, ...k.suffix].join(" ");
}

function pick<T>(rng: Rng, list: readonly T[]): T {
  return list[rng.int(list.length)];
}

function drawSecret(rng: Rng, kind: SecretKind): string[] {
  const slots: readonly (readonly string[])[] = SECRET_KINDS[kind].slots;
  return slots.map((slot) => pick(rng, slot));
}

/** Ordinary commands. Each user weighs them differently (their habits). */
const COMMANDS: readonly ((rng: Rng) => string)[] = [
  (r) => `set a timer for ${pick(r, MINUTES)} minutes`,
  (r) => `play some ${pick(r, GENRES)} music`,
  (r) => `what is the weather in ${pick(r, CITIES)} ${pick(r, DAYS)}`,
  (r) => `call ${pick(r, FIRST_NAMES)}`,
  (r) => `remind me to ${pick(r, TASKS)} at ${pick(r, DIGITS.slice(1))} pm`,
  (r) => `turn ${r.uniform() < 0.5 ? "on" : "off"} the ${pick(r, ROOMS)} lights`,
  (r) => `add ${pick(r, ITEMS)} to my shopping list`,
  (r) => `set an alarm for ${pick(r, DIGITS.slice(1))} am`,
  () => "what time is it",
  () => "tell me a joke",
  (r) => `send a message to ${pick(r, FIRST_NAMES)} saying i am running late`,
  (r) => `how is the traffic to ${pick(r, STREETS)} street`,
];

/** Every word the generator can produce, in a fixed order (the model's vocabulary). */
export const UTTERANCE_WORDS: readonly string[] = Object.freeze(
  [
    ...new Set(
      [
        "set a timer for minutes play some music what is the weather in call remind me to at pm turn on off the lights",
        "add to my shopping list an alarm am time it tell joke send message saying i running late how traffic street",
        "number name live",
        ...TASKS,
        ...MINUTES,
        ...GENRES,
        ...CITIES,
        ...DAYS,
        ...ROOMS,
        ...ITEMS,
        ...DIGITS,
        ...FIRST_NAMES,
        ...LAST_NAMES,
        ...STREETS,
      ].flatMap((s) => s.split(" ")),
    ),
  ],
);

export interface PlantedSecret {
  userId: string;
  kind: SecretKind;
  /** The secret's words, one per slot. */
  secret: string[];
  /** How many of the user's utterances say it. */
  repeats: number;
}

export interface UtteranceUser {
  userId: string;
  utterances: string[];
}

export interface UtteranceDataset {
  users: UtteranceUser[];
  secrets: PlantedSecret[];
  seed: number;
}

export interface GenerateUtterancesOptions {
  users?: number;
  seed?: number;
  /** One secret holder per entry: how often that user says their secret. */
  secretRepeats?: readonly number[];
  /** Median utterances of an ordinary user (log-normal, spread 0.9 in log space). */
  medianUtterances?: number;
  /** Share of ordinary users who mention one personal detail of their own once. */
  personalMentionRate?: number;
}

export const UTTERANCE_DEFAULTS = {
  users: 300,
  seed: 2026,
  secretRepeats: [60, 40, 20] as readonly number[],
  medianUtterances: 10,
  personalMentionRate: 0.6,
} as const;

/** Secret kinds by holder: phone, address, name, then round again. */
const HOLDER_KINDS: readonly SecretKind[] = ["phone", "address", "name"];

export function generateUtterances(options: GenerateUtterancesOptions = {}): UtteranceDataset {
  const users = requireNumber("users", options.users ?? UTTERANCE_DEFAULTS.users, { min: 2, max: 100_000, integer: true });
  const seed = requireNumber("seed", options.seed ?? UTTERANCE_DEFAULTS.seed, { integer: true });
  const repeats = [...(options.secretRepeats ?? UTTERANCE_DEFAULTS.secretRepeats)];
  if (repeats.length >= users) throw new InputError("secretRepeats", `fewer secret holders than users (${users})`, repeats);
  repeats.forEach((r, i) => requireNumber(`secretRepeats[${i}]`, r, { min: 1, max: 10_000, integer: true }));
  const median = requireNumber("medianUtterances", options.medianUtterances ?? UTTERANCE_DEFAULTS.medianUtterances, {
    min: 1,
    max: 1000,
  });
  const mentionRate = requireNumber("personalMentionRate", options.personalMentionRate ?? UTTERANCE_DEFAULTS.personalMentionRate, {
    min: 0,
    max: 1,
  });

  const root = createRng(seed);
  // Secret holders are spread over the ids by the seed, not the first users.
  const holderIndex = new Map<number, number>();
  const order = root.fork("holders");
  while (holderIndex.size < repeats.length) {
    const i = order.int(users);
    if (!holderIndex.has(i)) holderIndex.set(i, holderIndex.size);
  }

  const width = String(users - 1).length;
  const secrets: PlantedSecret[] = [];
  const out: UtteranceUser[] = [];
  for (let u = 0; u < users; u++) {
    const rng = root.fork(`user${u}`);
    const userId = `u${String(u).padStart(width, "0")}`;
    // Habits: gamma(0.5)-like weights (squared normals) make each user favour a few commands.
    const weights = COMMANDS.map(() => rng.normal() ** 2 + 0.05);
    const total = weights.reduce((a, b) => a + b, 0);
    const count = Math.max(2, Math.round(median * Math.exp(0.9 * rng.normal())));
    const utterances: string[] = [];
    for (let i = 0; i < count; i++) {
      let x = rng.uniform() * total;
      let c = 0;
      while (c + 1 < COMMANDS.length && x >= weights[c]) x -= weights[c++];
      utterances.push(COMMANDS[c](rng));
    }
    if (rng.uniform() < mentionRate) {
      const kind = pick(rng, SECRET_KIND_NAMES);
      utterances.splice(rng.int(utterances.length + 1), 0, secretSentence(kind, drawSecret(rng, kind)));
    }
    const holder = holderIndex.get(u);
    if (holder !== undefined) {
      const kind = HOLDER_KINDS[holder % HOLDER_KINDS.length];
      const secret = drawSecret(rng.fork("secret"), kind);
      for (let k = 0; k < repeats[holder]; k++) {
        utterances.splice(rng.int(utterances.length + 1), 0, secretSentence(kind, secret));
      }
      secrets.push({ userId, kind, secret, repeats: repeats[holder] });
    }
    out.push({ userId, utterances });
  }
  secrets.sort((a, b) => a.userId.localeCompare(b.userId));
  return { users: out, secrets, seed };
}

export const UTTERANCES_CSV = "utterances.csv";
export const UTTERANCE_SECRETS_JSON = "utterances-secrets.json";
const DATASET_DIR = path.resolve(PACKAGE_ROOT, "datasets");

export function utterancesToCsv(dataset: UtteranceDataset): string {
  const rows = dataset.users.flatMap((u) => u.utterances.map((text) => [u.userId, text]));
  return Papa.unparse({ fields: ["user_id", "utterance"], data: rows }, { newline: "\n" }) + "\n";
}

/** One secret per line keeps the file readable and its bytes stable. */
export function secretsToJson(dataset: UtteranceDataset): string {
  const lines = dataset.secrets.map((s) => `    ${JSON.stringify(s)}`);
  return `{\n  "seed": ${dataset.seed},\n  "secrets": [\n${lines.join(",\n")}\n  ]\n}\n`;
}

export function parseUtterancesCsv(text: string): UtteranceUser[] {
  const parsed = Papa.parse<string[]>(text.trim(), { skipEmptyLines: true });
  const [header, ...rows] = parsed.data;
  if (!header || header.join(",") !== "user_id,utterance") {
    throw new InputError(`${UTTERANCES_CSV} header`, "user_id,utterance", header?.join(","));
  }
  const byUser = new Map<string, string[]>();
  rows.forEach((row, i) => {
    if (row.length !== 2 || row[0] === "" || row[1] === "") {
      throw new InputError(`${UTTERANCES_CSV} line ${i + 2}`, "a user id and a non-empty utterance", row.join(","));
    }
    const list = byUser.get(row[0]) ?? [];
    list.push(row[1]);
    byUser.set(row[0], list);
  });
  return [...byUser].map(([userId, utterances]) => ({ userId, utterances }));
}

/** Both files' text, without touching the disk. */
export function utteranceDatasetFiles(options: GenerateUtterancesOptions = {}): { csv: string; secretsJson: string } {
  const dataset = generateUtterances(options);
  return { csv: utterancesToCsv(dataset), secretsJson: secretsToJson(dataset) };
}

/** Writes datasets/utterances.csv and utterances-secrets.json (or into `dir`); returns their paths. */
export function writeUtteranceDataset(dir: string = DATASET_DIR, options: GenerateUtterancesOptions = {}): string[] {
  const { csv, secretsJson } = utteranceDatasetFiles(options);
  fs.mkdirSync(dir, { recursive: true });
  const files = [path.join(dir, UTTERANCES_CSV), path.join(dir, UTTERANCE_SECRETS_JSON)];
  writeFileSafely(files[0], csv, { flag: "datasets", explicit: false });
  writeFileSafely(files[1], secretsJson, { flag: "datasets", explicit: false });
  return files;
}

export function loadUtterances(dir: string = DATASET_DIR): UtteranceDataset {
  const users = parseUtterancesCsv(fs.readFileSync(path.join(dir, UTTERANCES_CSV), "utf8"));
  const meta = JSON.parse(fs.readFileSync(path.join(dir, UTTERANCE_SECRETS_JSON), "utf8")) as {
    seed: number;
    secrets: PlantedSecret[];
  };
  return { users, secrets: meta.secrets, seed: meta.seed };
}
