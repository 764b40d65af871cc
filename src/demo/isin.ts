/** ISO 6166 check digit: letters become 10..35, then the Luhn algorithm runs over the resulting digits. */
export function isinCheckDigit(countryAndNsin: string): number {
  const digits = [...countryAndNsin.toUpperCase()]
    .map((char) => (char >= '0' && char <= '9' ? char : String(char.charCodeAt(0) - 55)))
    .join('');
  let sum = 0;
  for (let position = 0; position < digits.length; position++) {
    // Counting from the right, the digit next to the future check digit is doubled first.
    let digit = Number(digits[digits.length - 1 - position]);
    if (position % 2 === 0) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return (10 - (sum % 10)) % 10;
}

export function isValidIsin(isin: string): boolean {
  return /^[A-Z]{2}[A-Z0-9]{9}[0-9]$/.test(isin) && isinCheckDigit(isin.slice(0, 11)) === Number(isin[11]);
}

const NSIN_SPACE = 1_000_000_000;
/** Coprime with 10, so multiplying by it permutes the nine-digit numbers and distinct assets get distinct NSINs. */
const NSIN_STRIDE = 611_953;

export function demoIsin(country: string, assetId: number, seed: number): string {
  const offset = (seed * 7_919) % NSIN_SPACE;
  const nsin = Number((BigInt(assetId) * BigInt(NSIN_STRIDE) + BigInt(offset)) % BigInt(NSIN_SPACE));
  const body = country + String(nsin).padStart(9, '0');
  return body + String(isinCheckDigit(body));
}
