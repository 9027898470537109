/**
 * Column roles, declared once per dataset (the four attribute types of ARX and of the
 * statistical disclosure control literature, e.g. Hundepool et al. 2012):
 *
 * - direct identifier: points at one person on its own (name, email) → removed;
 * - quasi-identifier: harmless alone, identifying in combination and known to an attacker
 *   from other sources (age, town, ZIP: Sweeney 2002) → generalised until k-anonymous;
 * - sensitive: what must not be learned about a person (a diagnosis, a salary) → kept,
 *   protected by l-diversity / t-closeness within each equivalence class;
 * - insensitive: neither → kept as it is.
 *
 * The roles encode an attacker model: a column is a quasi-identifier because someone could
 * know it about a person. Declaring a column insensitive is a claim that no attacker can.
 */
import { InputError } from "../validation/errors";
import { detectIdentifier, mustBeDropped, type IdentifierFinding } from "./identifiers";
import { rowCount, type Table } from "./table";

export const ROLE_NAMES = ["direct", "quasi", "sensitive", "insensitive"] as const;
export type Role = (typeof ROLE_NAMES)[number];

export interface DatasetRoles {
  direct: string[];
  quasi: string[];
  sensitive: string[];
  insensitive: string[];
}

/**
 * Checks the roles against the table's columns. Columns not mentioned become insensitive;
 * an unknown column, a column with two roles or no quasi-identifier at all is an InputError.
 * `prefix` is how the error names a role: "roles." for the library, "--" for the CLI's flags.
 */
export function resolveRoles(table: Table, roles: Partial<DatasetRoles>, prefix = "roles."): DatasetRoles {
  rowCount(table);
  if (roles === null || typeof roles !== "object") throw new InputError("roles", "an object { direct, quasi, sensitive, insensitive }", roles);
  const assigned = new Map<string, Role>();
  const out: DatasetRoles = { direct: [], quasi: [], sensitive: [], insensitive: [] };
  for (const role of ROLE_NAMES) {
    const list = roles[role] ?? [];
    if (!Array.isArray(list)) throw new InputError(`${prefix}${role}`, "an array of column names", list);
    for (const column of list) {
      if (!table.columns.includes(column)) {
        throw new InputError(`${prefix}${role}`, `column names of the table (${table.columns.join(", ")})`, column);
      }
      const previous = assigned.get(column);
      if (previous === role) throw new InputError(`${prefix}${role}`, "distinct columns", `"${column}" twice`);
      if (previous) throw new InputError(`${prefix}${role}`, `columns with one role each ("${column}" is already ${prefix}${previous})`, column);
      assigned.set(column, role);
      out[role].push(column);
    }
  }
  if (out.quasi.length === 0) throw new InputError(`${prefix}quasi`, "at least one quasi-identifier column", roles.quasi);
  for (const column of table.columns) if (!assigned.has(column)) out.insensitive.push(column);
  return out;
}

/** The role of each column, for a trace or a table view. */
export function roleOf(roles: DatasetRoles, column: string): Role | undefined {
  return ROLE_NAMES.find((role) => roles[role].includes(column));
}

/** How the release check names things: the library's option names, or the CLI's flags. */
export interface RoleWording {
  /** Before a role's name: "roles." (roles.direct) or "--" (--direct). */
  prefix: string;
  /** The field an unclassified column is reported under. */
  columns: string;
  keepUnclassified: string;
  notIdentifiers: string;
}

export const LIBRARY_ROLE_WORDING: RoleWording = {
  prefix: "roles.",
  columns: "every column of the table",
  keepUnclassified: "keepUnclassified: true",
  notIdentifiers: "notIdentifiers",
};

export interface ReleaseRoleOptions {
  /** Keep columns with no declared role as they are (each is reported as a warning). Default false. */
  keepUnclassified?: boolean;
  /** Columns detected as direct identifiers that the caller declares are not (a false positive). */
  notIdentifiers?: readonly string[];
}

export interface ReleaseRoles {
  roles: DatasetRoles;
  /** Columns no role was declared for (kept only with keepUnclassified). */
  unclassified: string[];
  /** Every column that looks like a direct identifier, whatever its role. */
  identifiers: IdentifierFinding[];
  /** Why a column is kept although it was not classified or looks like an identifier. */
  warnings: string[];
}

/**
 * The roles of a release, checked so that nothing leaks by default (ARX's rule: every
 * attribute is classified): a column without a declared role is refused unless
 * `keepUnclassified`, and a column that looks like a direct identifier (see identifiers.ts)
 * is refused unless it is declared direct (dropped), or, for unique free text, a
 * quasi-identifier (generalised), or named in `notIdentifiers`.
 */
export function resolveReleaseRoles(
  table: Table,
  roles: Partial<DatasetRoles>,
  options: ReleaseRoleOptions = {},
  wording: RoleWording = LIBRARY_ROLE_WORDING,
): ReleaseRoles {
  const resolved = resolveRoles(table, roles, wording.prefix);
  const field = (role: Role) => `${wording.prefix}${role}`;
  const declared = new Set(ROLE_NAMES.flatMap((role) => roles[role] ?? []));
  const notIdentifiers = options.notIdentifiers ?? [];
  if (!Array.isArray(notIdentifiers)) throw new InputError(wording.notIdentifiers, "an array of column names", notIdentifiers);
  for (const column of notIdentifiers) {
    if (!table.columns.includes(column)) throw new InputError(wording.notIdentifiers, `columns of the table (${table.columns.join(", ")})`, column);
  }
  const unclassified = table.columns.filter((c) => !declared.has(c));
  const identifiers = table.columns.map((c) => detectIdentifier(c, table.data[c])).filter((f): f is IdentifierFinding => f !== null);
  if (unclassified.length > 0 && !options.keepUnclassified) {
    const kindOf = new Map(identifiers.map((f) => [f.column, f.kind]));
    const listed = unclassified.map((c) => (kindOf.has(c) ? `${c} (looks like ${kindOf.get(c)})` : c));
    throw new InputError(
      wording.columns,
      `given a role (declare each with ${ROLE_NAMES.map(field).join(", ")}, or use ${wording.keepUnclassified} to keep the unclassified ones as they are)`,
      `no role for ${listed.join(", ")}`,
    );
  }
  const warnings: string[] = [];
  for (const finding of identifiers) {
    const role = declared.has(finding.column) ? roleOf(resolved, finding.column) : undefined;
    if (role === "direct") continue;
    if (notIdentifiers.includes(finding.column)) {
      warnings.push(`${finding.column} looks like a direct identifier (${finding.kind}: ${finding.description}) but was declared not to be one; kept as ${role ?? "unclassified"}`);
      continue;
    }
    if (role === "quasi" && !mustBeDropped(finding.kind)) continue;
    const fix =
      `declare it with ${field("direct")} to drop it` +
      (mustBeDropped(finding.kind) ? "" : ` or ${field("quasi")} to generalise it`) +
      `, or list it in ${wording.notIdentifiers} if it is not an identifier`;
    const why = `${finding.kind}: ${finding.description}`;
    if (!role) throw new InputError(`column ${finding.column}`, `declared, not kept unclassified: it looks like a direct identifier (${why}); ${fix}`, "no role");
    throw new InputError(field(role), `free of columns that look like direct identifiers (${finding.column}, ${why}); ${fix}`, finding.column);
  }
  for (const column of unclassified) {
    if (!notIdentifiers.includes(column)) warnings.push(`${column} has no declared role; kept as it is (${wording.keepUnclassified})`);
  }
  return { roles: resolved, unclassified, identifiers, warnings };
}
