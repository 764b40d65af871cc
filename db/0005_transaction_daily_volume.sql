-- transactionAnalysis sums these days instead of every trade of its window. Statement triggers keep
-- them equal to an aggregate of transactions whoever writes the trades: the graph, an import, COPY,
-- or another system's SQL.

create table transaction_daily_volume (
  day date primary key,
  trade_count integer not null,
  buy_count integer not null,
  sell_count integer not null,
  total_amount numeric not null,
  total_costs numeric not null
);

-- Adds (TG_ARGV[0] = 1) or takes away (-1) the statement's changed_rows; an UPDATE is both.
create function transaction_daily_volume_apply() returns trigger
language plpgsql
as $function$
declare
  sign constant integer := tg_argv[0]::integer;
begin
  insert into transaction_daily_volume as v (day, trade_count, buy_count, sell_count, total_amount, total_costs)
  select c.transaction_date,
    sign * count(*),
    sign * count(*) filter (where c.transaction_type = 'BUY'),
    sign * count(*) filter (where c.transaction_type = 'SELL'),
    sign * sum(c.total_amount),
    sign * sum(c.transaction_costs)
  from changed_rows c
  group by c.transaction_date
  on conflict (day) do update set
    trade_count = v.trade_count + excluded.trade_count,
    buy_count = v.buy_count + excluded.buy_count,
    sell_count = v.sell_count + excluded.sell_count,
    total_amount = v.total_amount + excluded.total_amount,
    total_costs = v.total_costs + excluded.total_costs;
  if sign < 0 then
    delete from transaction_daily_volume v where v.trade_count = 0;
  end if;
  return null;
end
$function$;

create function transaction_daily_volume_clear() returns trigger
language plpgsql
as $function$
begin
  truncate transaction_daily_volume;
  return null;
end
$function$;

create trigger transactions_volume_inserted after insert on transactions
  referencing new table as changed_rows for each statement execute function transaction_daily_volume_apply('1');
create trigger transactions_volume_deleted after delete on transactions
  referencing old table as changed_rows for each statement execute function transaction_daily_volume_apply('-1');
create trigger transactions_volume_updated_from after update on transactions
  referencing old table as changed_rows for each statement execute function transaction_daily_volume_apply('-1');
create trigger transactions_volume_updated_to after update on transactions
  referencing new table as changed_rows for each statement execute function transaction_daily_volume_apply('1');
create trigger transactions_volume_truncated after truncate on transactions
  for each statement execute function transaction_daily_volume_clear();

insert into transaction_daily_volume (day, trade_count, buy_count, sell_count, total_amount, total_costs)
select transaction_date, count(*), count(*) filter (where transaction_type = 'BUY'),
  count(*) filter (where transaction_type = 'SELL'), sum(total_amount), sum(transaction_costs)
from transactions
group by transaction_date;
