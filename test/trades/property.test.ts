import { describe, expect, it } from 'vitest';
import { systemActor } from '../../src/audit/actor.js';
import { recordTrade, type TradeRequest } from '../../src/trades/record-trade.js';
import { recomputePositions } from '../../src/trades/positions.js';
import { useTestDatabase } from '../support/database.js';
import { decimal, exact, SCALE } from './support.js';
import { seededRandom } from '../support/random.js';

/*
 * Random valid trade sequences, checked against a deliberately plain model of the cost methods,
 * written from docs/trades.md over exact bigint decimals (10^-20 units) and sharing no code with
 * recompute_positions.
 */

const db = useTestDatabase();
const UNIT = 10n ** SCALE;
/** Shares of a cost are rounded half up to 10 places. */
const ROUNDING = 10n ** (SCALE - 10n);

type Method = 'FIFO' | 'AVERAGE';
interface Trade {
  id: number;
  date: string;
  type: 'BUY' | 'SELL';
  quantity: bigint;
  price: bigint;
  costs: bigint;
}
interface ModelLot {
  id: number;
  quantity: bigint;
  remaining: bigint;
  cost: bigint;
}
interface Outcome {
  lots: Array<{ id: number; remaining: string; cost: string }>;
  sales: Array<{ id: number; gross: string; net: string; gain: string }>;
}

const product = (a: bigint, b: bigint) => (a * b) / UNIT;

/** amount × part / whole, rounded half up to 10 places (all of them non-negative). */
function share(amount: bigint, part: bigint, whole: bigint): bigint {
  const numerator = amount * part;
  const denominator = whole * ROUNDING;
  const quotient = numerator / denominator;
  return (2n * (numerator % denominator) >= denominator ? quotient + 1n : quotient) * ROUNDING;
}

function model(trades: readonly Trade[], method: Method): Outcome {
  const lots: ModelLot[] = [];
  const sales: Outcome['sales'] = [];
  for (const trade of [...trades].sort((a, b) => a.date.localeCompare(b.date) || a.id - b.id)) {
    const amount = product(trade.quantity, trade.price);
    if (trade.type === 'BUY') {
      lots.push({ id: trade.id, quantity: trade.quantity, remaining: trade.quantity, cost: amount + trade.costs });
      continue;
    }
    const open = lots.filter((lot) => lot.remaining > 0n);
    const held = open.reduce((sum, lot) => sum + lot.remaining, 0n);
    const basis = open.reduce((sum, lot) => sum + lot.cost, 0n);
    let gross = 0n;
    if (method === 'AVERAGE') gross = trade.quantity === held ? basis : share(basis, trade.quantity, held);
    let left = trade.quantity;
    for (const lot of open) {
      if (left === 0n) break;
      const taken = lot.remaining < left ? lot.remaining : left;
      if (method === 'FIFO') {
        const cost = taken === lot.remaining ? lot.cost : share(lot.cost, taken, lot.remaining);
        gross += cost;
        lot.cost -= cost;
      }
      lot.remaining -= taken;
      left -= taken;
    }
    if (method === 'AVERAGE') {
      // Every lot still open shares what is left of the pool, by cumulative quantity.
      const still = lots.filter((lot) => lot.remaining > 0n);
      const pool = basis - gross;
      const quantity = still.reduce((sum, lot) => sum + lot.remaining, 0n);
      let cumulative = 0n;
      let assigned = 0n;
      still.forEach((lot, index) => {
        cumulative += lot.remaining;
        const upTo = index === still.length - 1 ? pool : share(pool, cumulative, quantity);
        lot.cost = upTo - assigned;
        assigned = upTo;
      });
    }
    sales.push({ id: trade.id, gross: decimal(gross), net: decimal(gross + trade.costs), gain: decimal(amount - trade.costs - gross) });
  }
  return {
    lots: lots
      .filter((lot) => lot.remaining > 0n)
      .map((lot) => ({ id: lot.id, remaining: decimal(lot.remaining), cost: decimal(lot.cost) })),
    sales,
  };
}

/** A valid sequence: dates ascending with repeats, amounts of up to 4 places, no sale beyond the holding. */
function sequence(next: () => number, firstId: number): Trade[] {
  const count = 2 + Math.floor(next() * 30);
  const trades: Trade[] = [];
  let day = Date.UTC(2024, 0, 2);
  let held = 0n;
  const amount = (max: number, places: number) => exact((Math.floor(next() * max * 10 ** places) / 10 ** places).toFixed(places));
  for (let index = 0; index < count; index++) {
    if (next() < 0.7) day += 86_400_000 * (1 + Math.floor(next() * 5));
    const sell = held > 0n && next() < 0.45;
    let quantity: bigint;
    if (sell) {
      // Often the whole holding, else a random part of it of at most 4 places.
      quantity = next() < 0.2 ? held : ((held * BigInt(1 + Math.floor(next() * 9999))) / 10000n / (UNIT / 10000n)) * (UNIT / 10000n);
      if (quantity === 0n) quantity = held;
    } else {
      quantity = amount(1000, next() < 0.5 ? 0 : 4) + UNIT;
    }
    held += sell ? -quantity : quantity;
    trades.push({
      id: firstId + index,
      date: new Date(day).toISOString().slice(0, 10),
      type: sell ? 'SELL' : 'BUY',
      quantity,
      price: amount(500, next() < 0.5 ? 2 : 4),
      costs: next() < 0.5 ? 0n : amount(20, 2),
    });
  }
  return trades;
}

async function outcome(portfolioId: number, assetId: number): Promise<Outcome> {
  const lots = await db.sql<{ id: string; remaining: string; cost: string }[]>`
    select transaction_id::text as id, remaining_quantity::text as remaining, remaining_cost::text as cost
    from position_lots where portfolio_id = ${portfolioId} and asset_id = ${assetId} order by open_date, transaction_id`;
  const sales = await db.sql<{ id: string; gross: string; net: string; gain: string }[]>`
    select r.transaction_id::text as id, r.gross_cost::text as gross, r.net_cost::text as net, r.realized_gain_loss::text as gain
    from trade_realizations r join transactions t using (transaction_id)
    where r.portfolio_id = ${portfolioId} and r.asset_id = ${assetId} order by t.transaction_date, t.transaction_id`;
  const same = (text: string) => decimal(exact(text));
  return {
    lots: lots.map((lot) => ({ id: Number(lot.id), remaining: same(lot.remaining), cost: same(lot.cost) })),
    sales: sales.map((sale) => ({ id: Number(sale.id), gross: same(sale.gross), net: same(sale.net), gain: same(sale.gain) })),
  };
}

const SEQUENCES = 300;

describe('lots and realized results', () => {
  it(`match a plain model on ${SEQUENCES} random sequences under both methods`, async () => {
    const next = seededRandom(20_251_106, 'trades');
    await db.sql`insert into portfolios (portfolio_id, name, cost_method) values (1, 'Fifo', 'FIFO'), (2, 'Average', 'AVERAGE')`;
    await db.sql`insert into asset_master (asset_id, asset_name, asset_type, currency) select n, 'Asset ' || n, 'EQUITY', 'USD' from generate_series(1, ${SEQUENCES}) n`;
    const sequences: Trade[][] = [];
    let id = 1;
    for (let asset = 1; asset <= SEQUENCES; asset++) {
      const trades = sequence(next, id);
      id += trades.length * 2;
      sequences.push(trades);
    }
    // Stored in a shuffled order under explicit ids: what counts is (date, id), not when a row arrived.
    const rows = sequences.flatMap((trades, index) =>
      [1, 2].flatMap((portfolio) =>
        trades.map((trade) => ({
          transaction_id: trade.id * 2 - 2 + portfolio,
          asset_id: index + 1,
          portfolio_id: portfolio,
          transaction_date: trade.date,
          transaction_type: trade.type,
          quantity: decimal(trade.quantity),
          price: decimal(trade.price),
          total_amount: decimal(product(trade.quantity, trade.price)),
          transaction_costs: decimal(trade.costs),
        })),
      ),
    );
    rows.sort(() => next() - 0.5);
    for (let start = 0; start < rows.length; start += 2000)
      await db.sql`insert into transactions ${db.sql(rows.slice(start, start + 2000))}`;
    await db.sql`select setval(pg_get_serial_sequence('transactions', 'transaction_id'), (select max(transaction_id) from transactions))`;
    await db.sql.begin((tx) =>
      recomputePositions(
        tx,
        sequences.flatMap((_trades, index) => [1, 2].map((portfolio) => ({ portfolioId: String(portfolio), assetId: String(index + 1) }))),
      ),
    );

    let sales = 0;
    for (const [index, trades] of sequences.entries()) {
      for (const [portfolio, method] of [
        [1, 'FIFO'],
        [2, 'AVERAGE'],
      ] as const) {
        const stored = trades.map((trade) => ({ ...trade, id: trade.id * 2 - 2 + portfolio }));
        const expected = model(stored, method);
        sales += expected.sales.length;
        expect(
          await outcome(portfolio, index + 1),
          `${method} sequence ${index + 1}: ${JSON.stringify(trades.map((t) => [t.date, t.type, decimal(t.quantity), decimal(t.price), decimal(t.costs)]))}`,
        ).toEqual(expected);
      }
    }
    expect(sales).toBeGreaterThan(SEQUENCES);
  });

  it('come out the same when the trades are recorded one by one, backdated', async () => {
    const next = seededRandom(7, 'trades');
    await db.sql`insert into portfolios (portfolio_id, name, cost_method) values (3, 'Backdated fifo', 'FIFO'), (4, 'Backdated average', 'AVERAGE')`;
    for (let asset = 1; asset <= 12; asset++) {
      // Distinct dates, so that the order of the timeline does not depend on the order of the ids.
      const valid: Trade[] = [];
      let held = 0n;
      for (const trade of sequence(next, 0)) {
        if (trade.date === valid[valid.length - 1]?.date || (trade.type === 'SELL' && trade.quantity > held)) continue;
        held += trade.type === 'BUY' ? trade.quantity : -trade.quantity;
        valid.push(trade);
      }
      // Every BUY first, then the SELLs, each group shuffled: every state on the way is valid.
      const buys = valid.filter((trade) => trade.type === 'BUY').sort(() => next() - 0.5);
      const sells = valid.filter((trade) => trade.type === 'SELL').sort(() => next() - 0.5);
      for (const [portfolio, method] of [
        [3, 'FIFO'],
        [4, 'AVERAGE'],
      ] as const) {
        const ids = new Map<Trade, number>();
        for (const trade of [...buys, ...sells]) {
          const request: TradeRequest = {
            assetId: String(asset),
            portfolioId: String(portfolio),
            counterpartyId: null,
            type: trade.type,
            date: trade.date,
            quantity: decimal(trade.quantity),
            price: decimal(trade.price),
            costs: decimal(trade.costs),
            currency: null,
            externalId: null,
          };
          ids.set(trade, Number(await recordTrade(db.sql, request, systemActor('property-test'))));
        }
        const expected = model(
          valid.map((trade) => ({ ...trade, id: ids.get(trade)! })),
          method,
        );
        expect(await outcome(portfolio, asset), `${method} asset ${asset}`).toEqual(expected);
      }
    }
  });
});
