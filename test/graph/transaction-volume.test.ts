import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../support/database.js';

const db = useTestDatabase();

/** What transaction_daily_volume must equal at every moment. */
async function expectVolumeToMatchTrades(): Promise<void> {
  const [summary, truth] = await Promise.all([
    db.sql`select day, trade_count, buy_count, sell_count, total_amount::text, total_costs::text
           from transaction_daily_volume order by day`,
    db.sql`select transaction_date as day, count(*)::int as trade_count,
                  count(*) filter (where transaction_type = 'BUY')::int as buy_count,
                  count(*) filter (where transaction_type = 'SELL')::int as sell_count,
                  sum(total_amount)::text as total_amount, sum(transaction_costs)::text as total_costs
           from transactions group by transaction_date order by transaction_date`,
  ]);
  expect(summary.map((row) => ({ ...row, total_amount: Number(row.total_amount), total_costs: Number(row.total_costs) }))).toEqual(
    truth.map((row) => ({ ...row, total_amount: Number(row.total_amount), total_costs: Number(row.total_costs) })),
  );
}

describe('transaction_daily_volume', () => {
  beforeAll(async () => {
    await db.sql`insert into portfolios (portfolio_id, name) values (1, 'Core')`;
    await db.sql`insert into asset_master (asset_id, asset_name, asset_type, currency) values (1, 'Alpha', 'EQUITY', 'USD')`;
  });

  it('follows inserts, updates, deletes, COPY and truncate of transactions, whoever writes them', async () => {
    await db.sql`
      insert into transactions (asset_id, transaction_date, transaction_type, quantity, price, total_amount, portfolio_id, transaction_costs)
      values (1, '2025-01-02', 'BUY', 100, 10.5, 1050, 1, 1.25),
             (1, '2025-01-02', 'BUY', 10, 11, 110, 1, 0),
             (1, '2025-01-03', 'SELL', 50, 12, 600, 1, 0.75)`;
    await expectVolumeToMatchTrades();

    await db.sql`update transactions set total_amount = total_amount + 0.01, transaction_costs = 2 where transaction_date = '2025-01-02'`;
    await expectVolumeToMatchTrades();
    await db.sql`update transactions set transaction_date = '2025-02-03', transaction_type = 'BUY' where transaction_type = 'SELL'`;
    await expectVolumeToMatchTrades();
    expect(await db.sql`select day from transaction_daily_volume order by day`).toEqual([{ day: '2025-01-02' }, { day: '2025-02-03' }]);

    await db.sql`delete from transactions where transaction_date = '2025-01-02' and quantity = 10`;
    await expectVolumeToMatchTrades();
    await db.sql`delete from transactions where transaction_date = '2025-02-03'`;
    await expectVolumeToMatchTrades();

    const lines = ['1\t2025-03-03\tBUY\t5\t20\t100\t1\t0.10\n', '1\t2025-03-04\tSELL\t5\t21\t105\t1\t0.10\n'];
    await pipeline(
      Readable.from(lines),
      await db.sql`copy transactions (asset_id, transaction_date, transaction_type, quantity, price, total_amount, portfolio_id, transaction_costs) from stdin`.writable(),
    );
    await expectVolumeToMatchTrades();

    await db.sql.begin(async (tx) => {
      await tx`truncate transactions cascade`;
      await tx`insert into transactions (asset_id, transaction_date, transaction_type, quantity, price, total_amount, portfolio_id)
               values (1, '2025-04-01', 'BUY', 1, 1, 1, 1)`;
    });
    await expectVolumeToMatchTrades();
    expect(await db.sql`select count(*)::int as days from transaction_daily_volume`).toEqual([{ days: 1 }]);
  });
});
