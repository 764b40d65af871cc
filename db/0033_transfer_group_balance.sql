-- Every transfer group balances, whoever writes it (the graph, an import, raw SQL), checked at
-- commit so that its legs may be inserted one by one. The rule (docs/ledger.md):
--   * the legs are all TRANSFER, on one date, in distinct accounts, at least two of them;
--   * in one currency: the amounts sum to exactly zero, and no leg carries an fx_rate;
--   * in two currencies: exactly two legs, one out (negative) and one in (positive), both carrying
--     the same fx_rate r, the price of one unit of the outgoing currency in the incoming one, and
--     in = round(-out * r, 2): beancount's "-100 EUR @ 1.0850 USD" balanced against "108.50 USD";
--   * more currencies are refused.

create function cash_transfer_group_check() returns trigger
language plpgsql
as $function$
declare
  g record;
  problem text;
begin
  select count(*) as legs,
    count(distinct m.currency) as currencies,
    count(distinct m.account_id) as accounts,
    count(distinct m.movement_date) as dates,
    bool_and(m.section = 'TRANSFER') as transfers,
    sum(m.amount) as total,
    count(m.fx_rate) as rated,
    count(distinct m.fx_rate) as rates,
    min(m.fx_rate) as rate,
    min(m.amount) filter (where m.amount < 0) as outgoing,
    count(*) filter (where m.amount < 0) as outgoing_legs,
    max(m.amount) filter (where m.amount > 0) as incoming,
    min(m.currency) filter (where m.amount < 0) as outgoing_currency,
    min(m.currency) filter (where m.amount > 0) as incoming_currency
  into g
  from cash_movements m
  where m.transfer_group = new.transfer_group;

  problem := case
    when g.legs is null or g.legs = 0 then null -- rolled back or never there
    when g.legs < 2 then format('it has %s leg; a transfer needs at least two', g.legs)
    when not g.transfers then 'every leg of a transfer group must be in section TRANSFER'
    when g.dates > 1 then 'its legs are on different dates'
    when g.accounts < g.legs then 'two of its legs are in the same account'
    when g.currencies = 1 and g.rated > 0 then 'a transfer in one currency carries no fx_rate'
    when g.currencies = 1 and g.total <> 0 then format('its legs sum to %s %s, not zero', g.total, (
      select min(m.currency) from cash_movements m where m.transfer_group = new.transfer_group))
    when g.currencies = 2 and (g.legs <> 2 or g.outgoing_legs <> 1) then
      'a transfer between two currencies is exactly one leg out and one leg in'
    when g.currencies = 2 and (g.rated <> 2 or g.rates <> 1) then
      'both legs of a transfer between currencies carry the same fx_rate'
    when g.currencies = 2 and g.incoming <> round(-g.outgoing * g.rate, 2) then
      format('%s %s at %s make %s %s, not %s', -g.outgoing, g.outgoing_currency, trim_scale(g.rate),
        round(-g.outgoing * g.rate, 2), g.incoming_currency, g.incoming)
    when g.currencies > 2 then format('its legs are in %s currencies; a transfer has one or two', g.currencies)
  end;
  if problem is not null then
    raise exception 'transfer group % does not balance: %', new.transfer_group, problem
      using errcode = 'check_violation', constraint = 'cash_transfer_balanced';
  end if;
  return null;
end
$function$;

create constraint trigger cash_transfer_balanced after insert on cash_movements
  deferrable initially deferred
  for each row when (new.transfer_group is not null)
  execute function cash_transfer_group_check();
