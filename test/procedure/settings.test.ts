import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../support/database.js';
import { expectClose, insertAssets, insertFx, insertPrices, insertRisk, insertTrades, readAsset360 } from './fixtures.js';

const db = useTestDatabase();
const AS_OF = '2024-06-30';

async function build() {
  await db.sql`call create_asset_360(${AS_OF}::date)`;
  return readAsset360(db.sql);
}

beforeAll(async () => {
  await insertAssets(db.sql, [
    { asset_id: 1, currency: 'USD' },
    { asset_id: 2, currency: 'EUR' },
  ]);
  await insertFx(db.sql, [
    ['USD', '2024-06-28', '0.92'],
    ['EUR', '2024-06-28', '1.08'],
  ]);
  await insertPrices(db.sql, [
    [1, '2024-06-28', '100'],
    [2, '2024-06-28', '100'],
  ]);
  await insertTrades(db.sql, [
    [1, '2024-01-02', 'BUY', '5000', '100', '0'],
    [2, '2024-01-02', 'BUY', '5000', '100', '0'],
  ]);
  await insertRisk(db.sql, [
    [1, '2024-05-15', 0.2, 0.3, 1, 1],
    [1, '2024-06-28', 0.2, 0.12, 1, 1],
  ]);
});

describe('asset_360_settings', () => {
  beforeEach(async () => {
    await db.sql`delete from asset_360_settings`;
    await db.sql`insert into asset_360_settings default values`;
  });

  it('is read on every run: a new threshold changes the next build', async () => {
    expect((await build()).get(1)?.risk_category).toBe('HIGH');
    await db.sql`update asset_360_settings set var_high = 0.25`;
    expect((await build()).get(1)?.risk_category).toBe('MEDIUM');
    await db.sql`update asset_360_settings set var_high = 0.5, var_medium = 0.3`;
    expect((await build()).get(1)?.risk_category).toBe('LOW');
  });

  it('converts into a new base currency', async () => {
    const usd = await build();
    expect(usd.get(1)).toMatchObject({ fx_rate: '1', market_value_base: '500000', position_size: 'MEDIUM' });
    expect(usd.get(2)).toMatchObject({ fx_rate: '1.08', market_value_base: '540000.00' });

    await db.sql`update asset_360_settings set base_currency = 'EUR', size_medium = 520000`;
    const eur = await build();
    expect(eur.get(1)).toMatchObject({ fx_rate: '0.92', market_value_base: '460000.00', position_size: 'SMALL' });
    expect(eur.get(2)).toMatchObject({ fx_rate: '1', market_value_base: '500000', position_size: 'SMALL' });
  });

  it('applies a new window', async () => {
    expectClose((await build()).get(1)?.value_at_risk, 0.21);
    await db.sql`update asset_360_settings set risk_window = interval '1 month'`;
    expectClose((await build()).get(1)?.value_at_risk, 0.12);
    await db.sql`update asset_360_settings set risk_window = interval '0'`;
    expect((await build()).get(1)).toMatchObject({ value_at_risk: null, risk_category: 'UNKNOWN' });
  });
});
