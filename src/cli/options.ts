/**
 * The command line's option layer: flags parsed strictly (an unknown flag, a missing value or a
 * stray argument is an InputError naming the flag as typed), numbers read as decimal numbers
 * only and checked against their range before any work starts.
 */
import { parseArgs, type ParseArgsConfig } from "node:util";
import { InputError, requireNumber, requireOneOf } from "../validation/errors";
import { ACCOUNTANT_KINDS, requireAccountantChoice, type AccountantChoice } from "../privacy/accountant";

type Options = NonNullable<ParseArgsConfig["options"]>;
/** What parseArgs returns for these options (named, so the package's declarations can say it). */
export type ParsedFlags<O extends Options> = ReturnType<typeof parseArgs<{ args: string[]; options: O; allowPositionals: boolean; strict: true }>>;

/** A negative number after a flag that takes a value is that value ("--noise -1"), not a flag. */
const NEGATIVE_VALUE = /^-(?:\d|\.\d|inf)/i;

/**
 * parseArgs, strict, with its errors as InputErrors that name the flag; `--flag -1` is read as
 * `--flag=-1`. Positionals only when `positionals` names what they are (e.g. "FILE").
 */
export function parseFlags<const O extends Options>(command: string, args: string[], options: O, positionals?: string): ParsedFlags<O> {
  const joined: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const name = arg.startsWith("--") && !arg.includes("=") ? arg.slice(2) : undefined;
    const next = args[i + 1];
    if (name !== undefined && options[name]?.type === "string" && next !== undefined && NEGATIVE_VALUE.test(next)) {
      joined.push(`${arg}=${next}`);
      i++;
    } else joined.push(arg);
  }
  try {
    return parseArgs({ args: joined, options, allowPositionals: positionals !== undefined, strict: true });
  } catch (error) {
    throw parseArgsError(command, error, options);
  }
}

/** parseArgs's TypeError (code ERR_PARSE_ARGS_*) as an InputError naming the flag; anything else unchanged. */
export function parseArgsError(command: string, error: unknown, options: Options = {}): unknown {
  const code = (error as { code?: string })?.code;
  if (typeof code !== "string" || !code.startsWith("ERR_PARSE_ARGS_")) return error;
  const message = (error as Error).message;
  const quoted = /'([^']+)'/.exec(message)?.[1] ?? "";
  const flag = quoted.replace(/ <value>$/, "");
  const known = Object.keys(options).map((o) => `--${o}`);
  const list = known.length > 0 ? `one of ${known.join(", ")}` : "none: it takes no options";
  if (code === "ERR_PARSE_ARGS_UNKNOWN_OPTION") return new InputError(flag, `an option of "${command}" (${list})`, "an unknown option");
  if (code === "ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL") return new InputError(`"${command}"`, `given options only (${list})`, quoted);
  if (/does not take an argument/.test(message)) return new InputError(flag, "given without a value (it is a switch)", "a value");
  if (/argument missing/.test(message)) return new InputError(flag, "followed by a value", "nothing");
  return new InputError(flag || command, "a valid option", message.split("\n")[0]);
}

/** Decimal numbers ("12", "-0.5", "1e-5") and inf; not hex, binary, octal or "1_000". */
const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?$/i;

export function parseNumberFlag(flag: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const trimmed = text.trim().toLowerCase();
  if (trimmed === "inf" || trimmed === "infinity" || trimmed === "∞" || trimmed === "+inf") return Infinity;
  if (trimmed === "-inf" || trimmed === "-infinity") return -Infinity;
  if (!DECIMAL.test(trimmed)) throw new InputError(`--${flag}`, "a number", text);
  const value = Number(trimmed);
  if (Number.isNaN(value)) throw new InputError(`--${flag}`, "a number", text);
  return value;
}

export function parseNumberListFlag(flag: string, text: string | undefined, fallback: number[]): number[] {
  if (text === undefined) return fallback;
  const parts = text.split(",").filter((part) => part.trim() !== "");
  if (parts.length === 0) throw new InputError(`--${flag}`, "a comma-separated list of numbers", text);
  return parts.map((part) => parseNumberFlag(flag, part, Number.NaN));
}

/** Privacy budgets: numbers > 0, "inf" for no privacy. */
export function epsilonListFlag(flag: string, text: string | undefined, fallback: number[]): number[] {
  const list = parseNumberListFlag(flag, text, fallback);
  for (const e of list) if (!(e > 0)) throw new InputError(`--${flag}`, "numbers > 0 (or inf)", e);
  return list;
}

export interface FlagRange {
  min?: number;
  max?: number;
  minExclusive?: boolean;
  maxExclusive?: boolean;
  integer?: boolean;
  /** Why the range is what it is, said in the error (e.g. why epochs are bounded). */
  why?: string;
}

/** A number flag checked against its range; the error names the flag and the range. */
export function numberFlag(flag: string, text: string | undefined, fallback: number, range: FlagRange = {}): number {
  const value = parseNumberFlag(flag, text, fallback);
  try {
    return requireNumber(`--${flag}`, value, range);
  } catch (error) {
    if (error instanceof InputError && range.why) throw new InputError(error.field, `${error.allowed} (${range.why})`, error.got);
    throw error;
  }
}

/** Like numberFlag, undefined when the flag is absent (the library then picks its default). */
export function optionalNumberFlag(flag: string, text: string | undefined, range: FlagRange = {}): number | undefined {
  return text === undefined ? undefined : numberFlag(flag, text, Number.NaN, range);
}

/** Seeds are 32-bit integers (seedrandom's and tfjs's): checked before any work. */
export const SEED_RANGE: FlagRange = { min: 0, max: 2 ** 31 - 1, integer: true };

/**
 * Training epochs: 1 to 1000. More never helps these small tables (the loss has long
 * converged, and with DP every extra epoch adds noise and spends budget); 1e9 only ran for
 * minutes with the loss diverging.
 */
export const EPOCH_RANGE: FlagRange = { min: 1, max: 1000, integer: true, why: "more epochs only spend budget on these tables" };

/** A path flag: present, non-empty. */
export function requirePathFlag(flag: string, text: string | undefined, what: string): string {
  if (text === undefined || text.trim() === "") throw new InputError(`--${flag}`, what, text);
  return text;
}

/** `--accountant rdp|pld` and `--discretisation H` (PLD's loss grid), shared by the commands that account. */
export const ACCOUNTANT_FLAGS = {
  accountant: { type: "string" },
  discretisation: { type: "string" },
} as const;

export function parseAccountantFlags(values: { accountant?: string; discretisation?: string }): AccountantChoice | undefined {
  const kind = values.accountant === undefined ? undefined : requireOneOf("--accountant", values.accountant, ACCOUNTANT_KINDS);
  if (values.discretisation === undefined) return kind;
  if (kind !== "pld") throw new InputError("--discretisation", "given only with --accountant pld", values.discretisation);
  const discretisation = values.discretisation.trim() === "auto" ? "auto" : parseNumberFlag("discretisation", values.discretisation, Number.NaN);
  return requireAccountantChoice({ kind: "pld", discretisation });
}
