/**
 * The JSON the command line writes. JSON has no ∞ or NaN: they are written as the strings
 * "Infinity", "-Infinity" and "NaN" (what `Number("Infinity")` reads back), never as null,
 * which would lose them. An ε of "Infinity" means no privacy guarantee.
 */
export function jsonReplacer(_key: string, value: unknown): unknown {
  if (typeof value === "number" && !Number.isFinite(value)) return String(value);
  return value;
}

/** Pretty JSON with the replacer, ending in a newline (what every --json file holds). */
export function toJsonFile(value: unknown): string {
  return JSON.stringify(value, jsonReplacer, 2) + "\n";
}
