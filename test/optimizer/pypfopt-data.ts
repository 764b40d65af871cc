import { readFileSync } from 'node:fs';

/** A price CSV of PyPortfolioOpt's tests: dates, tickers, and one column per ticker (NaN where empty). */
export interface PriceTable {
  dates: string[];
  tickers: string[];
  columns: Float64Array[];
}

export function readPrices(name: 'stock_prices.csv' | 'spy_prices.csv'): PriceTable {
  const [header, ...rows] = readFileSync(new URL(`../fixtures/pypfopt/${name}`, import.meta.url), 'utf8')
    .trim()
    .split('\n');
  const tickers = header!.split(',').slice(1);
  const columns = tickers.map(() => new Float64Array(rows.length));
  const dates = rows.map((row, t) => {
    const cells = row.split(',');
    tickers.forEach((_, i) => (columns[i]![t] = cells[i + 1] === '' ? NaN : Number(cells[i + 1])));
    return cells[0]!;
  });
  return { dates, tickers, columns };
}

/** A column of `table` re-indexed on `dates` (NaN where it has no price): a left join on the date. */
export function alignTo(table: PriceTable, column: number, dates: readonly string[]): Float64Array {
  const at = new Map(table.dates.map((d, t) => [d, table.columns[column]![t]!]));
  return Float64Array.from(dates, (d) => at.get(d) ?? NaN);
}
