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
 */
export function resolveRoles(table: Table, roles: Partial<DatasetRoles>): DatasetRoles {
  rowCount(table);
  if (roles === null || typeof roles !== "object") throw new InputError("roles", "an object { direct, quasi, sensitive, insensitive }", roles);
  const assigned = new Map<string, Role>();
  const out: DatasetRoles = { direct: [], quasi: [], sensitive: [], insensitive: [] };
  for (const role of ROLE_NAMES) {
    const list = roles[role] ?? [];
    if (!Array.isArray(list)) throw new InputError(`roles.${role}`, "an array of column names", list);
    for (const column of list) {
      if (!table.columns.includes(column)) {
        throw new InputError(`roles.${role}`, `column names of the table (${table.columns.join(", ")})`, column);
      }
      const previous = assigned.get(column);
      if (previous) throw new InputError(`roles.${role}`, `columns with one role each ("${column}" is already ${previous})`, column);
      assigned.set(column, role);
      out[role].push(column);
    }
  }
  if (out.quasi.length === 0) throw new InputError("roles.quasi", "at least one quasi-identifier column", roles.quasi);
  for (const column of table.columns) if (!assigned.has(column)) out.insensitive.push(column);
  return out;
}

/** The role of each column, for a trace or a table view. */
export function roleOf(roles: DatasetRoles, column: string): Role | undefined {
  return ROLE_NAMES.find((role) => roles[role].includes(column));
}
