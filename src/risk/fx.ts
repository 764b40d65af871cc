import type { Sql } from '../infra/db.js';
import type { Fragment } from './metrics.js';

/**
 * The FX rate into the base currency of each currency and calendar day of the window: exactly 1
 * for the base currency, else the latest fx_rates row on or before the day (as Position.marketValueBase
 * and fxRate take it), each row spread over the days until the next one. No row for a day before a
 * currency's first rate.
 */
export function dailyFx(sql: Sql, currencies: Fragment, window: { from: string; to: string }): Fragment {
  return sql`
    select s.base_currency as currency, day::date as day, 1::float8 as rate
    from asset_360_settings s, generate_series(${window.from}::date, ${window.to}::date, interval '1 day') day
    where s.base_currency in (${currencies})
    union all
    select f.currency, day::date, f.rate
    from (
      select f.currency, f.rate_date, f.rate_to_base::float8 as rate,
        lead(f.rate_date) over (partition by f.currency order by f.rate_date) as next_date
      from fx_rates f
      where f.currency in (${currencies}) and f.rate_date <= ${window.to}::date
        and f.currency <> (select base_currency from asset_360_settings)
    ) f,
    generate_series(greatest(f.rate_date, ${window.from}::date), least(coalesce(f.next_date - 1, ${window.to}::date), ${window.to}::date), interval '1 day') day
    where coalesce(f.next_date, 'infinity') > ${window.from}::date`;
}
