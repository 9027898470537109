import { expect } from "vitest";
import { InputError } from "../../src/validation/errors";

/** Asserts that `run` throws an InputError whose field contains `field` (and whose range matches). */
export function expectInputError(run: () => unknown, field: string, allowed?: RegExp): InputError {
  let caught: unknown;
  try {
    run();
  } catch (error) {
    caught = error;
  }
  return checkInputError(caught, field, allowed);
}

/** The same for an async `run`: its promise must reject with such an InputError. */
export async function expectInputErrorAsync(run: () => Promise<unknown>, field: string, allowed?: RegExp): Promise<InputError> {
  let caught: unknown;
  try {
    await run();
  } catch (error) {
    caught = error;
  }
  return checkInputError(caught, field, allowed);
}

function checkInputError(caught: unknown, field: string, allowed?: RegExp): InputError {
  expect(caught).toBeInstanceOf(InputError);
  const error = caught as InputError;
  expect(error.field).toContain(field);
  if (allowed) expect(error.allowed).toMatch(allowed);
  return error;
}
