import type postgres from 'postgres';

/**
 * The file's well-formed rows, as COPY loads them. Temporary: each import has its own, dropped when
 * its transaction ends.
 */
export async function createStaging(tx: postgres.TransactionSql): Promise<void> {
  await tx`
    create temp table import_rows (
      line integer not null,
      account_ref text not null,
      trade_date date not null,
      symbol text,
      isin text,
      side text not null,
      quantity numeric not null,
      price numeric not null,
      fees numeric not null,
      currency text,
      external_id text
    ) on commit drop`;
}

/**
 * The staged rows with their portfolio and asset looked up, whether each is a duplicate, and, for
 * the rest, the transaction id it will get: taken in line order, so that trades of the same day keep
 * the order of the file.
 */
export async function resolveStaging(tx: postgres.TransactionSql): Promise<void> {
  await tx`
    create temp table import_trades on commit drop as
    select s.*, case when not s.duplicate then nextval(pg_get_serial_sequence('transactions', 'transaction_id')) end as transaction_id
    from (
      select r.*, p.portfolio_id, a.asset_id, a.status as asset_status, a.currency as asset_currency,
        coalesce(by_name.assets, 0) as assets_named,
        r.external_id is not null and (
          row_number() over (partition by r.external_id order by r.line) > 1
          or exists (select from transactions t where t.external_id = r.external_id)) as duplicate
      from import_rows r
      left join portfolios p on p.name = r.account_ref
      left join asset_master by_isin on by_isin.isin = r.isin
      left join (
        select asset_name, min(asset_id) as asset_id, count(*) as assets from asset_master group by asset_name
      ) by_name on r.isin is null and by_name.asset_name = r.symbol
      left join asset_master a on a.asset_id = coalesce(by_isin.asset_id, case when by_name.assets = 1 then by_name.asset_id end)
      order by r.line
    ) s`;
  await tx`create index on import_trades (portfolio_id, asset_id, trade_date, transaction_id)`;
}
