import { BadUserInputError } from '../../lib/errors.js';

const MAX_BIGINT = 9223372036854775807n;

/** Ids are bigints sent as strings; anything else is the caller's mistake, named by argument. */
export function parseId(value: string, argument: string): string {
  if (!/^\d{1,19}$/.test(value) || BigInt(value) > MAX_BIGINT || BigInt(value) === 0n) {
    throw new BadUserInputError(`${argument} must be a positive integer id, got ${JSON.stringify(value.slice(0, 40))}`, argument);
  }
  return BigInt(value).toString();
}
