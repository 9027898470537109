import { InputError } from "../../validation/errors";

/**
 * Default Rényi orders α at which the accountant tracks privacy loss; ε is the minimum of the
 * RDP→(ε, δ) conversion over them. Same grid as Opacus / dp_accounting: fine steps near 1
 * (large noise or many steps want small α), integers up to 63, and a few large orders for
 * tiny ε with few steps.
 */
function buildDefaultOrders(): readonly number[] {
  const orders: number[] = [];
  // 1.1, 1.2, …, 10.9 written as k/10 so that every value is the double nearest to it.
  for (let k = 11; k <= 109; k++) orders.push(k / 10);
  for (let alpha = 11; alpha <= 64; alpha++) orders.push(alpha);
  orders.push(128, 256);
  return Object.freeze(orders);
}

export const DEFAULT_ORDERS: readonly number[] = buildDefaultOrders();

/** Checks a caller's list of orders: a non-empty array of finite numbers, each > 1. */
export function requireOrders(orders: unknown): readonly number[] {
  const allowed = "a non-empty array of finite Rényi orders, each > 1";
  if (!Array.isArray(orders) || orders.length === 0) throw new InputError("orders", allowed, orders);
  for (const alpha of orders) {
    if (typeof alpha !== "number" || !Number.isFinite(alpha) || alpha <= 1) {
      throw new InputError("orders", allowed, alpha);
    }
  }
  return orders as readonly number[];
}
