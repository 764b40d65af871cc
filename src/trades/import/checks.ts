import type postgres from 'postgres';
import type { UncoveredSale } from '../oversell.js';
import type { ImportError } from './result.js';

/** What only the database can tell about the rows to import (duplicates are skipped, so not checked). */
export async function referenceErrors(tx: postgres.TransactionSql): Promise<ImportError[]> {
  return tx<ImportError[]>`
    select r.line, e."column", e.message
    from import_trades r
    cross join lateral (values
      ('account_ref', case when r.portfolio_id is null then format('no portfolio is named %s', r.account_ref) end),
      (case when r.isin is null then 'symbol' else 'isin' end, case
        when r.isin is not null and r.asset_id is null then format('no asset has the ISIN %s', r.isin)
        when r.assets_named > 1 then format('%s assets are named %s: give the isin', r.assets_named, r.symbol)
        when r.asset_id is null then format('no asset is named %s', r.symbol)
        when r.asset_status <> 'ACTIVE' then format('asset %s is %s; only ACTIVE assets trade', r.asset_id, r.asset_status)
      end),
      ('currency', case when r.currency <> r.asset_currency then format('currency must be %s, the currency of asset %s', r.asset_currency, r.asset_id) end),
      ('trade_time', case when r.trade_date > current_date then format('trade_time %s is in the future', r.trade_date) end)
    ) as e("column", message)
    where not r.duplicate and e.message is not null`;
}

/**
 * Each uncovered sale at the line that caused it: its own when it comes from the file, otherwise the
 * file's last SELL before it in the same position, the one that leaves it short.
 */
export async function oversellErrors(tx: postgres.TransactionSql, sales: readonly UncoveredSale[]): Promise<ImportError[]> {
  if (sales.length === 0) return [];
  return tx<ImportError[]>`
    select r.line, 'qty' as "column",
      case when r.transaction_id = u.transaction_id
        then format('qty %s exceeds the %s that portfolio %s holds of asset %s on %s', u.quantity, u.held, u.portfolio_id, u.asset_id, u.trade_date)
        else format('this SELL leaves the later SELL %s of %s on %s uncovered: portfolio %s would hold %s of asset %s then',
          u.transaction_id, u.quantity, u.trade_date, u.portfolio_id, u.held, u.asset_id)
      end as message
    from unnest(
      ${sales.map((sale) => sale.transactionId)}::bigint[], ${sales.map((sale) => sale.portfolioId)}::bigint[],
      ${sales.map((sale) => sale.assetId)}::bigint[], ${sales.map((sale) => sale.date)}::date[],
      ${sales.map((sale) => sale.quantity)}::numeric[], ${sales.map((sale) => sale.held)}::numeric[]
    ) as u(transaction_id, portfolio_id, asset_id, trade_date, quantity, held)
    cross join lateral (
      select r.line, r.transaction_id
      from import_trades r
      where r.portfolio_id = u.portfolio_id and r.asset_id = u.asset_id and r.side = 'SELL' and r.transaction_id is not null
        and (r.trade_date, r.transaction_id) <= (u.trade_date, u.transaction_id)
      order by r.trade_date desc, r.transaction_id desc
      limit 1
    ) r`;
}
