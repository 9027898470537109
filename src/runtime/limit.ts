/** Running promises side by side: a semaphore (at most `slots` tasks at a time, the others wait their turn, first come first served), and waiting for all of them. */
import { requireNumber } from "../validation/errors";

/** Runs `task` once a slot is free, and frees the slot when the task settles. */
export type Limit = <T>(task: () => Promise<T>) => Promise<T>;

export function concurrencyLimit(slots: number): Limit {
  requireNumber("slots", slots, { min: 1, integer: true });
  let active = 0;
  const waiting: (() => void)[] = [];
  return async (task) => {
    if (active < slots) active++;
    else await new Promise<void>((resolve) => waiting.push(resolve));
    try {
      return await task();
    } finally {
      // The slot passes straight to the next in line, so that no newcomer can take it meanwhile.
      const next = waiting.shift();
      if (next) next();
      else active--;
    }
  };
}

/** Promise.all that waits for every task, so that none is still running (e.g. a sandbox still alive) when it throws the first error. */
export async function settleAll<T>(tasks: Promise<T>[]): Promise<T[]> {
  const settled = await Promise.allSettled(tasks);
  const failed = settled.find((s): s is PromiseRejectedResult => s.status === "rejected");
  if (failed) throw failed.reason;
  return settled.map((s) => (s as PromiseFulfilledResult<T>).value);
}
