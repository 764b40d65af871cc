import type postgres from 'postgres';
import type { ImportError } from '../../lib/csv-import.js';

/** What only the database can tell about the rows to import; duplicates are skipped, so not checked. */
export async function cashReferenceErrors(tx: postgres.TransactionSql): Promise<ImportError[]> {
  return tx<ImportError[]>`
    select r.line, e."column", e.message
    from cash_import r
    cross join lateral (values
      ('account_ref', case when r.account_id is null
        then format('no account you may pay from has the name or IBAN %s', r.account_ref) end),
      ('date', case when r.movement_date > current_date then format('date %s is in the future', r.movement_date) end),
      ('currency', case when r.currency <> r.account_currency
        then format('currency must be %s, the currency of account %s', r.account_currency, r.account_ref) end)
    ) as e("column", message)
    where not r.duplicate and e.message is not null`;
}

/**
 * The transfer groups of the file that would not balance (the rule of db/0033, where a group
 * between two currencies takes its rate from its two amounts), each error at every leg of the group.
 */
export async function cashGroupErrors(tx: postgres.TransactionSql): Promise<ImportError[]> {
  return tx<ImportError[]>`
    with groups as (
      select r.group_ref, count(*) as legs, count(*) filter (where r.duplicate) as duplicates,
        count(distinct r.currency) as currencies, count(distinct r.movement_date) as dates,
        count(distinct r.account_id) as accounts, count(*) filter (where r.amount < 0) as outgoing,
        sum(r.amount) as total, min(r.currency) as currency
      from cash_import r
      where r.group_ref is not null
      group by r.group_ref
    ),
    problems as (
      select g.group_ref, case
        when g.duplicates = g.legs then null
        when g.duplicates > 0 then 'some legs of this transfer group were imported before and others were not'
        when g.legs < 2 then 'this transfer group has one leg; both legs of a transfer must be in the file'
        when g.dates > 1 then 'the legs of this transfer group are on different dates'
        when g.accounts < g.legs then 'two legs of this transfer group are in the same account'
        when g.currencies = 1 and g.total <> 0 then format('the legs of this transfer group sum to %s %s, not zero', g.total, g.currency)
        when g.currencies = 2 and (g.legs <> 2 or g.outgoing <> 1) then
          'a transfer group between two currencies is one leg out (negative) and one leg in (positive)'
        when g.currencies > 2 then format('the legs of this transfer group are in %s currencies; a transfer has one or two', g.currencies)
      end as message
      from groups g
    )
    select r.line, 'transfer_group_id' as "column", format('transfer group %s: %s', r.group_ref, p.message) as message
    from cash_import r
    join problems p on p.group_ref = r.group_ref
    where p.message is not null`;
}
