/**
 * Seeded randomness. Everything random in the course takes a seed so that notebooks,
 * quizzes and tests give the same numbers on every run.
 *
 * Not cryptographically secure: a deployment of DP-SGD that must resist an adversary who
 * can predict the noise needs a secure generator (Opacus calls this "secure mode"). The
 * training trace says so.
 */
import seedrandom from "seedrandom";

export interface Rng {
  /** Uniform in [0, 1). */
  uniform(): number;
  /** Standard normal, by the Box–Muller transform. */
  normal(): number;
  /** Integer in [0, n). */
  int(n: number): number;
  /** A 32-bit seed for a tfjs op (tf.randomNormal, initialisers), drawn from this stream. */
  seed(): number;
  /** An independent stream named by a label, so adding draws in one place never shifts another. */
  fork(label: string): Rng;
}

export function createRng(seed: number | string): Rng {
  const key = String(seed);
  const next = seedrandom.alea(key);
  let spare: number | undefined;
  const rng: Rng = {
    uniform: () => next(),
    normal() {
      if (spare !== undefined) {
        const value = spare;
        spare = undefined;
        return value;
      }
      let u = 0;
      while (u === 0) u = next();
      const v = next();
      const radius = Math.sqrt(-2 * Math.log(u));
      spare = radius * Math.sin(2 * Math.PI * v);
      return radius * Math.cos(2 * Math.PI * v);
    },
    int: (n: number) => Math.floor(next() * n),
    seed: () => Math.floor(next() * 2 ** 31),
    fork: (label: string) => createRng(`${key}/${label}`),
  };
  return rng;
}
