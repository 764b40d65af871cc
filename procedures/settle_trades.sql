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
  insert into cash_movements (account_id, movement_date, amount, currency, section, category, description, counterparty_name,
    fx_rate, trade_id)
  select l.account_id, l.movement_date, l.amount, l.currency, 'TRANSFER', 'Securities', l.description, l.counterparty_name,
    l.rate, l.trade_id
  from (
    select x.*,
      case when x.rate is null then x.gross else round(x.gross * x.rate, 2) end as amount
    from (
      select t.transaction_id as trade_id, a.account_id, t.transaction_date as movement_date, a.currency,
        case t.transaction_type
          when 'BUY' then -(t.quantity * t.price + t.transaction_costs)
          else t.quantity * t.price - t.transaction_costs
        end as gross,
        case
          when am.currency = a.currency then null
          when fx.rate is null then
            cash_settlement_rate_missing(t.transaction_id, a.account_id, am.currency || '/' || a.currency, t.transaction_date)
          else fx.rate
        end as rate,
        format('%s %s %s @ %s %s', t.transaction_type, trim_scale(t.quantity), am.asset_name, trim_scale(t.price), am.currency)
          as description,
        c.name as counterparty_name
      from transactions t
      join accounts a on a.portfolio_id = t.portfolio_id
      join asset_master am on am.asset_id = t.asset_id
      left join counterparty_info c on c.counterparty_id = t.counterparty_id
      left join lateral (select fx_rate_between(am.currency, a.currency, t.transaction_date) as rate) fx on am.currency <> a.currency
      where t.transaction_id = any(trade_ids)
        and not exists (select from cash_movements m where m.trade_id = t.transaction_id)
    ) x
  ) l
  where l.amount <> 0
  order by l.trade_id;
  get diagnostics booked = row_count;
  return booked;
end
$function$;
