import { expect } from "vitest";
import { ParseError } from "../../src/errors.js";

/** The ParseError that `fn` throws (the test fails when it throws nothing or something else). */
export function thrown(fn: () => unknown): ParseError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ParseError);
    return error as ParseError;
  }
  throw new Error("expected a ParseError");
}
