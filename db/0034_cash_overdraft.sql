-- No statement that moves money out of an account takes it below -overdraft_limit, whoever writes
-- it. Checked once per statement over the end-of-day balances of each debited account from the
-- earliest day the statement debits it: a backdated payment may not overdraw the days after it
-- either. The accounts are locked in id order and their ledger_version bumped before the check, so
-- that of two concurrent payments the second waits for the first and then counts it (or, under
-- REPEATABLE READ or SERIALIZABLE, fails with a serialization error and is retried by its caller).

create function cash_overdraft_check() returns trigger
language plpgsql
as $function$
declare
  debited bigint[];
  v record;
begin
  select array_agg(distinct n.account_id order by n.account_id) into debited from new_rows n where n.amount < 0;
  if debited is null then
    return null;
  end if;
  perform 1 from accounts a where a.account_id = any(debited) order by a.account_id for no key update;
  update accounts a set ledger_version = a.ledger_version + 1 where a.account_id = any(debited);

  select r.account_id, r.movement_date, r.balance, a.overdraft_limit, a.currency, a.name
  into v
  from (
    select d.account_id, d.movement_date,
      sum(d.total) over (partition by d.account_id order by d.movement_date) as balance
    from (
      select m.account_id, m.movement_date, sum(m.amount) as total
      from cash_movements m
      where m.account_id = any(debited)
      group by m.account_id, m.movement_date
    ) d
  ) r
  join accounts a on a.account_id = r.account_id
  join (
    select n.account_id, min(n.movement_date) as first_date from new_rows n where n.amount < 0 group by n.account_id
  ) f on f.account_id = r.account_id
  where r.movement_date >= f.first_date and r.balance < -a.overdraft_limit
  order by r.account_id, r.movement_date
  limit 1;
  if found then
    raise exception 'account % (%) would be at % % on %, below its overdraft limit of %',
      v.account_id, v.name, v.balance, v.currency, v.movement_date, v.overdraft_limit
      using errcode = 'check_violation', constraint = 'cash_overdraft',
        detail = json_build_object('accountId', v.account_id::text, 'date', v.movement_date, 'balance', v.balance::text,
          'overdraftLimit', v.overdraft_limit::text, 'currency', v.currency)::text;
  end if;
  return null;
end
$function$;

create trigger cash_overdraft after insert on cash_movements
  referencing new table as new_rows for each statement execute function cash_overdraft_check();
