import { BadUserInputError } from '../../lib/errors.js';

/** An Int argument that must lie in [min, max]; the error names the argument. */
export function intInRange(value: number, argument: string, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new BadUserInputError(`${argument} must be an integer from ${min} to ${max}, got ${value}`, argument);
  }
  return value;
}

/**
 * graphql-scalars parses a Date input into a JS Date at midnight UTC; the database wants the
 * calendar day, which is that instant's UTC date.
 */
export function isoDate(value: Date): string {
  return value.toISOString().slice(0, 10);
}

/** A string argument of bounded length, so that no one sends a megabyte into a LIKE. */
export function boundedText(value: string, argument: string, maxLength: number): string {
  if (value.length > maxLength) {
    throw new BadUserInputError(`${argument} must be at most ${maxLength} characters long`, argument);
  }
  return value;
}
