/**
 * Bad input gets a clear error that names the field and the allowed range. Nothing is
 * silently clamped or dropped.
 */
export class InputError extends Error {
  constructor(
    readonly field: string,
    readonly allowed: string,
    readonly got: unknown,
  ) {
    super(`${field} must be ${allowed}; got ${describe(got)}`);
    this.name = "InputError";
  }
}

function describe(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number" && Number.isNaN(value)) return "NaN";
  if (Array.isArray(value)) return `an array of ${value.length}`;
  return String(value);
}

interface Range {
  min?: number;
  max?: number;
  /** Exclude the bound itself (ε > 0, δ < 1). */
  minExclusive?: boolean;
  maxExclusive?: boolean;
  integer?: boolean;
}

export function describeRange(range: Range): string {
  const kind = range.integer ? "an integer" : "a number";
  const low =
    range.min === undefined ? undefined : `${range.minExclusive ? ">" : "≥"} ${range.min}`;
  const high =
    range.max === undefined ? undefined : `${range.maxExclusive ? "<" : "≤"} ${range.max}`;
  if (low && high) {
    const open = range.minExclusive ? "(" : "[";
    const close = range.maxExclusive ? ")" : "]";
    return `${kind} in ${open}${range.min}, ${range.max}${close}`;
  }
  if (low) return `${kind} ${low}`;
  if (high) return `${kind} ${high}`;
  return `a finite ${kind.replace(/^an? /, "")}`;
}

/** Returns the value if it is a finite number inside the range, else throws an InputError. */
export function requireNumber(field: string, value: unknown, range: Range = {}): number {
  const allowed = describeRange(range);
  if (typeof value !== "number" || !Number.isFinite(value)) {
    throw new InputError(field, allowed, value);
  }
  if (range.integer && !Number.isInteger(value)) throw new InputError(field, allowed, value);
  if (range.min !== undefined && (range.minExclusive ? value <= range.min : value < range.min)) {
    throw new InputError(field, allowed, value);
  }
  if (range.max !== undefined && (range.maxExclusive ? value >= range.max : value > range.max)) {
    throw new InputError(field, allowed, value);
  }
  return value;
}

export function requireOneOf<T extends string>(
  field: string,
  value: unknown,
  options: readonly T[],
): T {
  if (typeof value === "string" && (options as readonly string[]).includes(value)) {
    return value as T;
  }
  throw new InputError(field, `one of ${options.join(", ")}`, value);
}
