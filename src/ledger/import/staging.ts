import type postgres from 'postgres';
import type { Viewer } from '../../auth/viewer.js';
import { operableAccounts } from '../access.js';

/** The file's well-formed rows, as COPY loads them; dropped with the import's transaction. */
export async function createCashStaging(tx: postgres.TransactionSql): Promise<void> {
  await tx`
    create temp table cash_import_rows (
      line integer not null,
      external_id text,
      account_ref text not null,
      movement_date date not null,
      amount numeric not null,
      currency text not null,
      section text not null,
      category text,
      description text,
      counterparty_name text,
      counterparty_account text,
      group_ref text
    ) on commit drop`;
}

/**
 * The staged rows with their account (by name, else by IBAN, among those the viewer may pay from),
 * whether each is a duplicate (its external_id booked before or earlier in the file), and, for the
 * rest, the movement id it will get, in line order.
 */
export async function resolveCashStaging(tx: postgres.TransactionSql, viewer: Viewer): Promise<void> {
  await tx`
    create temp table cash_import on commit drop as
    with refs as (
      select ref.account_ref, a.account_id, a.currency
      from (select distinct account_ref from cash_import_rows) ref
      cross join lateral (
        select a.account_id, a.currency
        from accounts a
        where (a.name = ref.account_ref or a.iban = upper(replace(ref.account_ref, ' ', '')))
          and ${operableAccounts(tx, viewer, tx`a.account_id`)}
        order by a.name = ref.account_ref desc
        limit 1
      ) a
    )
    select s.*, case when not s.duplicate then nextval(pg_get_serial_sequence('cash_movements', 'movement_id')) end as movement_id
    from (
      select r.*, refs.account_id, refs.currency as account_currency,
        r.external_id is not null and (
          row_number() over (partition by r.external_id order by r.line) > 1
          or exists (select from cash_movements m where m.external_id = r.external_id)) as duplicate
      from cash_import_rows r
      left join refs on refs.account_ref = r.account_ref
      order by r.line
    ) s`;
  await tx`analyze cash_import`;
}
