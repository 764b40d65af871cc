-- settle_trades(trade_ids): books the cash leg of each trade whose portfolio is linked to an
-- account, in the trade's own transaction: a BUY debits quantity * price + costs, a SELL credits
-- quantity * price - costs, on the trade date. A trade in another currency than the account's is
-- converted at that day's rate (procedures/fx_rate_between.sql), rounded half away from zero to the cent, and the leg keeps the rate. A trade that nets to zero
-- books nothing; one already settled is skipped. Raises when a rate is missing; the overdraft rule
-- (db/0034) applies as to any other payment. Returns how many legs it booked.
--
-- The one implementation of settlement: recordTrade, importTrades and the demo seed call it.

create or replace function cash_settlement_rate_missing(trade_id bigint, account_id bigint, currencies text, day date) returns numeric
language plpgsql
as $function$
begin
  raise exception 'trade % cannot settle in account %: no % rate on or before %', trade_id, account_id, currencies, day
    using errcode = 'check_violation', constraint = 'cash_settlement_rate';
end
$function$;

create or replace function settle_trades(trade_ids bigint[]) returns integer
language plpgsql
as $function$
declare
  booked integer;
begin
  with legs as (
    select t.transaction_id as trade_id, a.account_id, t.transaction_date as movement_date, a.currency,
      am.currency as asset_currency,
      case t.transaction_type
        when 'BUY' then -(t.quantity * t.price + t.transaction_costs)
        else t.quantity * t.price - t.transaction_costs
      end as gross,
      format('%s %s %s @ %s %s', t.transaction_type, trim_scale(t.quantity), am.asset_name, trim_scale(t.price), am.currency)
        as description,
      c.name as counterparty_name
    -- Joined rather than filtered with = any(trade_ids), which would compare every trade with every id.
    from (select distinct unnest(trade_ids) as trade_id) ids
    join transactions t on t.transaction_id = ids.trade_id
    join accounts a on a.portfolio_id = t.portfolio_id
    join asset_master am on am.asset_id = t.asset_id
    left join counterparty_info c on c.counterparty_id = t.counterparty_id
    where not exists (select from cash_movements m where m.trade_id = t.transaction_id)
  ),
  -- Each rate once per pair of currencies and day, however many trades share it.
  rates as (
    select d.asset_currency, d.currency, d.movement_date, fx_rate_between(d.asset_currency, d.currency, d.movement_date) as rate
    from (select distinct asset_currency, currency, movement_date from legs where asset_currency <> currency) d
  ),
  priced as (
    select l.*,
      case
        when l.asset_currency = l.currency then null
        when r.rate is null then
          cash_settlement_rate_missing(l.trade_id, l.account_id, l.asset_currency || '/' || l.currency, l.movement_date)
        else r.rate
      end as rate
    from legs l
    left join rates r on r.asset_currency = l.asset_currency and r.currency = l.currency and r.movement_date = l.movement_date
  )
  insert into cash_movements (account_id, movement_date, amount, currency, section, category, description, counterparty_name,
    fx_rate, trade_id)
  select p.account_id, p.movement_date, p.amount, p.currency, 'TRANSFER', 'Securities', p.description, p.counterparty_name,
    p.rate, p.trade_id
  from (select priced.*, case when rate is null then gross else round(gross * rate, 2) end as amount from priced) p
  where p.amount <> 0
  order by p.trade_id;
  get diagnostics booked = row_count;
  return booked;
end
$function$;
