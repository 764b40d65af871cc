import type { Sql } from '../infra/db.js';
import type { Fragment } from './prices.js';

/**
 * The FX rate into the base currency of each currency and calendar day of the window, by the
 * database's rule (procedures/fx_rate_to_base.sql, the rule fx_rate_to_base is written over, as
 * Position.marketValueBase and fxRate take it): exactly 1 for the base currency, else the latest
 * fx_rates row on or before the day. No row for a day before a currency's first rate.
 */
export function dailyFx(sql: Sql, currencies: Fragment, window: { from: string; to: string }): Fragment {
  return sql`
    select c.currency, f.day, f.rate_to_base::float8 as rate
    from (${currencies}) c (currency)
    cross join lateral fx_rates_to_base(c.currency, ${window.from}::date, ${window.to}::date) f
    where f.rate_to_base is not null`;
}

/**
 * The same rates as one float8 array per currency (`by_day`), element k + 1 the rate of day
 * window.from + k: a close is converted by its day's offset, a lookup instead of a join that would
 * break market_data's (asset_id, price_date) order. NaN, not null, for a day before the currency's
 * first rate: PostgreSQL finds an element of an array with nulls by counting them, of one without
 * in one step.
 */
export function fxByDay(sql: Sql, currencies: Fragment, window: { from: string; to: string }): Fragment {
  return sql`
    select c.currency, array(
      select coalesce(f.rate_to_base::float8, 'NaN') from fx_rates_to_base(c.currency, ${window.from}::date, ${window.to}::date) f order by f.day
    ) as by_day
    from (${currencies}) c (currency)`;
}
