-- Trades recorded through the graph or imported, and what recompute_positions derives from them:
-- the open lots of every (portfolio, asset) and the cost and result of every sale.

-- A client's own id for a trade: recording it twice returns the first trade instead of a second one.
alter table transactions add column external_id text unique check (length(external_id) between 1 and 100);

-- recompute_positions and the oversell check read one position's trades in this order.
create index transactions_position on transactions (portfolio_id, asset_id, transaction_date, transaction_id);

alter table portfolios add column cost_method text not null default 'FIFO' check (cost_method in ('FIFO', 'AVERAGE'));

-- The lots still open: a BUY opens one, sales consume them (FIFO: oldest first). remaining_cost
-- includes the purchase's share of its costs; under AVERAGE the lots opened before the last sale
-- share the position's average cost.
create table position_lots (
  transaction_id bigint primary key references transactions on delete cascade,
  portfolio_id bigint not null,
  asset_id bigint not null,
  open_date date not null,
  quantity numeric not null check (quantity > 0),
  remaining_quantity numeric not null check (remaining_quantity > 0 and remaining_quantity <= quantity),
  remaining_cost numeric not null check (remaining_cost >= 0)
);
create index position_lots_position on position_lots (portfolio_id, asset_id, open_date, transaction_id);

-- One row per SELL: gross_cost is the cost basis of the units sold, net_cost adds the sale's own
-- costs, and realized_gain_loss = quantity * price - net_cost.
create table trade_realizations (
  transaction_id bigint primary key references transactions on delete cascade,
  portfolio_id bigint not null,
  asset_id bigint not null,
  gross_cost numeric not null,
  net_cost numeric not null,
  realized_gain_loss numeric not null
);
create index trade_realizations_position on trade_realizations (portfolio_id, asset_id);
