import { decimalSign } from '../lib/decimal.js';

/** Cash amounts are written with at most this many decimals; settlement and conversion round to it. */
export const CASH_DECIMALS = 2;

/** True for an amount greater than zero with at most CASH_DECIMALS decimals, as DecimalScalar writes it. */
export function isPositiveCashAmount(value: string): boolean {
  return decimalSign(value) > 0 && (value.split('.')[1]?.length ?? 0) <= CASH_DECIMALS;
}

export const CURRENCY = /^[A-Z]{3}$/;
