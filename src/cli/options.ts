/** Turning command-line strings into checked numbers, with errors that name the flag. */
import { InputError } from "../validation/errors";

export function parseNumberFlag(flag: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const trimmed = text.trim().toLowerCase();
  if (trimmed === "inf" || trimmed === "infinity" || trimmed === "∞") return Infinity;
  const value = Number(trimmed);
  if (trimmed === "" || Number.isNaN(value)) throw new InputError(`--${flag}`, "a number", text);
  return value;
}

export function parseNumberListFlag(flag: string, text: string | undefined, fallback: number[]): number[] {
  if (text === undefined) return fallback;
  const parts = text.split(",").filter((part) => part.trim() !== "");
  if (parts.length === 0) throw new InputError(`--${flag}`, "a comma-separated list of numbers", text);
  return parts.map((part) => parseNumberFlag(flag, part, Number.NaN));
}
