-- recompute_positions: rebuilds position_lots and trade_realizations of (portfolio, asset) pairs from
-- their trades, in (transaction_date, transaction_id) order, by the portfolio's cost_method.
--
-- The only place where lots and realized results are computed: recordTrade, importTrades, the cost
-- method switch and the demo seed all call it, inside their own transaction, after taking the
-- portfolio lock (see src/trades/portfolio-lock.ts). Amounts stay numeric throughout; the one
-- rounding, half up to 10 decimals, is position_share's.

-- amount * part / whole, rounded half up to 10 decimals, for non-negative amounts and parts of a
-- positive whole. div and mod are exact on numeric, where a plain division would first round to a
-- scale of its own choosing.
create or replace function position_share(amount numeric, part numeric, whole numeric) returns numeric
language sql immutable strict parallel safe
as $$
  select trim_scale(
    (div(amount * part * 10000000000, whole) + (2 * mod(amount * part * 10000000000, whole) >= whole)::int) * 0.0000000001)
$$;

create or replace function recompute_positions(portfolio_ids bigint[], asset_ids bigint[]) returns void
language plpgsql
as $function$
declare
  pair record;
  t record;
  -- The lots of the current position, oldest first; lots before `head` are sold out.
  lot_id bigint[];
  lot_date date[];
  lot_quantity numeric[];
  lot_remaining numeric[];
  lot_cost numeric[];
  head integer;
  lots integer;
  -- AVERAGE: the lots up to this one were open at the last sale and share the pool's average cost.
  pooled integer;
  held numeric;
  basis numeric;
  sale_id bigint[];
  sale_gross numeric[];
  sale_net numeric[];
  sale_gain numeric[];
  sales integer;
  unsold numeric;
  relieved numeric;
  share numeric;
  pool_cost numeric;
  pool_quantity numeric;
  cumulative_quantity numeric;
  assigned numeric;
  rounded numeric;
begin
  delete from position_lots l
  using unnest(portfolio_ids, asset_ids) k(portfolio_id, asset_id)
  where l.portfolio_id = k.portfolio_id and l.asset_id = k.asset_id;
  delete from trade_realizations r
  using unnest(portfolio_ids, asset_ids) k(portfolio_id, asset_id)
  where r.portfolio_id = k.portfolio_id and r.asset_id = k.asset_id;

  for pair in
    select distinct k.portfolio_id, k.asset_id, p.cost_method
    from unnest(portfolio_ids, asset_ids) k(portfolio_id, asset_id)
    join portfolios p on p.portfolio_id = k.portfolio_id
    order by k.portfolio_id, k.asset_id
  loop
    lot_id := '{}'; lot_date := '{}'; lot_quantity := '{}'; lot_remaining := '{}'; lot_cost := '{}';
    head := 1; lots := 0; pooled := 0; held := 0; basis := 0;
    sale_id := '{}'; sale_gross := '{}'; sale_net := '{}'; sale_gain := '{}'; sales := 0;

    for t in
      select transaction_id, transaction_date, transaction_type, quantity, price, transaction_costs
      from transactions
      where portfolio_id = pair.portfolio_id and asset_id = pair.asset_id
      order by transaction_date, transaction_id
    loop
      if t.transaction_type = 'BUY' then
        lots := lots + 1;
        lot_id[lots] := t.transaction_id;
        lot_date[lots] := t.transaction_date;
        lot_quantity[lots] := t.quantity;
        lot_remaining[lots] := t.quantity;
        lot_cost[lots] := t.quantity * t.price + t.transaction_costs;
        held := held + t.quantity;
        basis := basis + lot_cost[lots];
        continue;
      end if;

      -- Callers refuse oversells before they get here; trades written around them must not be
      -- given lots that do not exist.
      if t.quantity > held then
        raise exception 'recompute_positions: SELL % of % sells more than portfolio % holds of asset % (%)',
          t.transaction_id, t.quantity, pair.portfolio_id, pair.asset_id, held
          using errcode = 'check_violation';
      end if;

      unsold := t.quantity;
      if pair.cost_method = 'AVERAGE' then
        relieved := case when t.quantity = held then basis else position_share(basis, t.quantity, held) end;
        -- The lots still say which purchases are held: their quantities go oldest first.
        while unsold > 0 loop
          share := least(unsold, lot_remaining[head]);
          lot_remaining[head] := lot_remaining[head] - share;
          unsold := unsold - share;
          if lot_remaining[head] = 0 then head := head + 1; end if;
        end loop;
        pooled := lots;
      else
        relieved := 0;
        while unsold > 0 loop
          if lot_remaining[head] <= unsold then
            relieved := relieved + lot_cost[head];
            unsold := unsold - lot_remaining[head];
            lot_remaining[head] := 0;
            lot_cost[head] := 0;
            head := head + 1;
          else
            share := position_share(lot_cost[head], unsold, lot_remaining[head]);
            relieved := relieved + share;
            lot_cost[head] := lot_cost[head] - share;
            lot_remaining[head] := lot_remaining[head] - unsold;
            unsold := 0;
          end if;
        end loop;
      end if;

      held := held - t.quantity;
      basis := basis - relieved;
      sales := sales + 1;
      sale_id[sales] := t.transaction_id;
      sale_gross[sales] := relieved;
      sale_net[sales] := relieved + t.transaction_costs;
      sale_gain[sales] := t.quantity * t.price - relieved - t.transaction_costs;
    end loop;

    -- AVERAGE: the pool (what the lots open at the last sale cost now) is spread over those lots by
    -- cumulative quantity, so that each share is rounded once and the shares add up exactly.
    if pooled >= head then
      pool_cost := basis;
      for i in pooled + 1 .. lots loop
        pool_cost := pool_cost - lot_cost[i];
      end loop;
      pool_quantity := 0;
      for i in head .. pooled loop
        pool_quantity := pool_quantity + lot_remaining[i];
      end loop;
      cumulative_quantity := 0;
      assigned := 0;
      for i in head .. pooled loop
        cumulative_quantity := cumulative_quantity + lot_remaining[i];
        rounded := case when i = pooled then pool_cost else position_share(pool_cost, cumulative_quantity, pool_quantity) end;
        lot_cost[i] := rounded - assigned;
        assigned := rounded;
      end loop;
    end if;

    insert into position_lots (transaction_id, portfolio_id, asset_id, open_date, quantity, remaining_quantity, remaining_cost)
    select l.id, pair.portfolio_id, pair.asset_id, l.open_date, l.quantity, l.remaining, trim_scale(l.cost)
    from unnest(lot_id[head:lots], lot_date[head:lots], lot_quantity[head:lots], lot_remaining[head:lots], lot_cost[head:lots])
      as l(id, open_date, quantity, remaining, cost);

    insert into trade_realizations (transaction_id, portfolio_id, asset_id, gross_cost, net_cost, realized_gain_loss)
    select s.id, pair.portfolio_id, pair.asset_id, trim_scale(s.gross), trim_scale(s.net), trim_scale(s.gain)
    from unnest(sale_id, sale_gross, sale_net, sale_gain) as s(id, gross, net, gain);
  end loop;
end;
$function$;
