import { COUNTERPARTIES, CURRENCIES } from './catalog.js';
import { complianceChecks } from './compliance.js';
import { field, type Line, line } from '../infra/copy.js';
import { formatScaled } from '../lib/decimal.js';
import { performanceRows } from './performance.js';
import { bars, FX_DECIMALS, PRICE_DECIMALS } from './prices.js';
import { apportion, type Position, simulateTrading, type Trade } from './trading.js';
import type { DemoWorld } from './world.js';

export const SOURCE_TABLES = [
  'counterparty_info',
  'portfolios',
  'asset_master',
  'fx_rates',
  'market_data',
  'performance_history',
  'risk_metrics',
  'compliance_records',
  'transactions',
  'portfolio_allocation',
] as const;
export type SourceTable = (typeof SOURCE_TABLES)[number];

/** Derived from transactions by recompute_positions (src/trades): emptied with the source tables, recomputed after the load. */
export const DERIVED_TABLES = ['position_lots', 'trade_realizations'] as const;

/** The owners, accounts and cash ledger: they reference portfolios and trades, so they are emptied with them. */
export const LEDGER_TABLES = ['cash_movements', 'accounts', 'memberships', 'organizations', 'users', 'cash_category_rules'] as const;
/**
 * Records about the source rows (rebalance decisions reference portfolios and trades): a seed
 * replaces the world they were taken in, so a reset empties them with it.
 */
export const RECORD_TABLES = ['rebalance_decisions'] as const;

export interface TableContent {
  table: SourceTable;
  columns: readonly string[];
  /** The identity column whose sequence must move past the explicit ids; null for fx_rates. */
  identity: string | null;
  rows: () => Iterable<Line>;
}

const COST_DECIMALS = 2;
/** Allocation percentages have four decimals: 100 % is a million units. */
const PERCENT_DECIMALS = 4;
const HUNDRED_PERCENT_UNITS = 100 * 10 ** PERCENT_DECIMALS;

/** Every source table in load order (referenced tables first), each with a generator of its rows. */
export function tableContents(world: DemoWorld): TableContent[] {
  let trading: { trades: Trade[]; positions: Position[] } | undefined;
  const book = (): { trades: Trade[]; positions: Position[] } => (trading ??= simulateTrading(world));
  return [
    {
      table: 'counterparty_info',
      columns: ['counterparty_id', 'name', 'type', 'rating', 'country', 'status'],
      identity: 'counterparty_id',
      rows: () =>
        COUNTERPARTIES.map((party, index) => line([index + 1, party.name, party.type, party.rating, party.country, party.status])),
    },
    {
      table: 'portfolios',
      columns: ['portfolio_id', 'name', 'owner', 'base_currency', 'created_at'],
      identity: 'portfolio_id',
      rows: () =>
        world.portfolios.map((portfolio) =>
          line([portfolio.id, portfolio.name, portfolio.owner, portfolio.baseCurrency, portfolio.createdAt]),
        ),
    },
    {
      table: 'asset_master',
      columns: [
        'asset_id',
        'asset_name',
        'asset_type',
        'isin',
        'currency',
        'issuer',
        'issue_date',
        'maturity_date',
        'par_value',
        'rating',
        'sector',
        'issuing_country',
        'status',
      ],
      identity: 'asset_id',
      rows: () =>
        world.assets.map((a) =>
          line([
            a.id,
            a.name,
            a.type,
            a.isin,
            a.currency,
            a.issuer,
            a.issueDate,
            a.maturityDate,
            a.parValue,
            a.rating,
            a.sector,
            a.country,
            a.status,
          ]),
        ),
    },
    { table: 'fx_rates', columns: ['currency', 'rate_date', 'rate_to_base'], identity: null, rows: () => fxRows(world) },
    {
      table: 'market_data',
      columns: [
        'data_id',
        'asset_id',
        'price_date',
        'closing_price',
        'opening_price',
        'high_price',
        'low_price',
        'volume',
        'bid_price',
        'ask_price',
        'yield_rate',
      ],
      identity: 'data_id',
      rows: () => marketDataRows(world),
    },
    {
      table: 'performance_history',
      columns: ['performance_id', 'asset_id', 'date', 'daily_return', 'mtd_return', 'ytd_return', 'total_return'],
      identity: 'performance_id',
      rows: () => performanceHistoryRows(world),
    },
    {
      table: 'compliance_records',
      columns: ['compliance_id', 'asset_id', 'check_date', 'rule_id', 'rule_description', 'status', 'violation_details'],
      identity: 'compliance_id',
      rows: () => complianceRows(world),
    },
    {
      table: 'transactions',
      columns: [
        'transaction_id',
        'asset_id',
        'transaction_date',
        'transaction_type',
        'quantity',
        'price',
        'total_amount',
        'counterparty_id',
        'portfolio_id',
        'transaction_costs',
      ],
      identity: 'transaction_id',
      rows: () => transactionRows(world, book().trades),
    },
    {
      table: 'portfolio_allocation',
      columns: ['allocation_id', 'portfolio_id', 'asset_id', 'target_percentage', 'actual_percentage', 'last_rebalance_date'],
      identity: 'allocation_id',
      rows: () => allocationRows(world, book().positions),
    },
  ];
}

function price(ticks: number): string {
  return formatScaled(ticks, PRICE_DECIMALS);
}

function* fxRows(world: DemoWorld): Generator<Line> {
  for (const currency of CURRENCIES) {
    const rates = world.fx[currency];
    for (let t = 0; t < world.calendar.length; t++)
      yield `${currency}\t${world.calendar.date(t)}\t${formatScaled(rates[t] ?? 0, FX_DECIMALS)}\n`;
  }
}

function* marketDataRows(world: DemoWorld): Generator<Line> {
  let id = 0;
  for (const plan of world.assets) {
    const closes = world.closes(plan);
    let t = 0;
    for (const bar of bars(plan, closes, world.seed, world.calendar)) {
      yield `${++id}\t${plan.id}\t${world.calendar.date(t)}\t${price(closes[t] ?? 0)}\t${price(bar.open)}\t${price(bar.high)}\t${price(bar.low)}\t${bar.volume}\t${price(bar.bid)}\t${price(bar.ask)}\t${field(bar.yieldRate)}\n`;
      t++;
    }
  }
}

function* performanceHistoryRows(world: DemoWorld): Generator<Line> {
  let id = 0;
  for (const plan of world.assets) {
    for (const row of performanceRows(world.closes(plan), world.calendar)) {
      yield `${++id}\t${plan.id}\t${world.calendar.date(row.day)}\t${field(row.dailyReturn)}\t${field(row.mtdReturn)}\t${field(row.ytdReturn)}\t${field(row.totalReturn)}\n`;
    }
  }
}

function* complianceRows(world: DemoWorld): Generator<Line> {
  let id = 0;
  for (const plan of world.assets) {
    for (const check of complianceChecks(plan, world.portfolios, world.seed)) {
      yield line([++id, plan.id, world.calendar.date(check.day), check.rule.id, check.rule.description, check.status, check.details]);
    }
  }
}

function* transactionRows(world: DemoWorld, trades: readonly Trade[]): Generator<Line> {
  let id = 0;
  for (const trade of trades) {
    // Whole quantities times four-decimal prices: the product is exact in bigint ticks.
    const totalTicks = BigInt(trade.quantity) * BigInt(trade.priceTicks);
    yield line([
      ++id,
      trade.assetId,
      world.calendar.date(trade.day),
      trade.type,
      trade.quantity,
      formatScaled(trade.priceTicks, PRICE_DECIMALS),
      formatScaled(totalTicks, PRICE_DECIMALS),
      trade.counterpartyId,
      trade.portfolioId,
      formatScaled(trade.costCents, COST_DECIMALS),
    ]);
  }
}

/**
 * Per portfolio, every asset it has traded: the target weight is its intended size, the actual weight
 * its value at the end of the calendar (0 once sold out). Both columns add up to exactly 100 per
 * portfolio (largest-remainder rounding); the rebalance date is the position's last trade.
 */
function* allocationRows(world: DemoWorld, positions: readonly Position[]): Generator<Line> {
  const byPortfolio = new Map<number, Position[]>();
  for (const position of positions) {
    const list = byPortfolio.get(position.portfolioId);
    if (list) list.push(position);
    else byPortfolio.set(position.portfolioId, [position]);
  }
  let id = 0;
  for (const portfolio of world.portfolios) {
    const held = byPortfolio.get(portfolio.id) ?? [];
    const targets = apportion(
      held.map((position) => position.targetUsd),
      HUNDRED_PERCENT_UNITS,
    );
    const actuals = apportion(
      held.map((position) => position.valueUsd),
      HUNDRED_PERCENT_UNITS,
    );
    for (const [index, position] of held.entries()) {
      yield line([
        ++id,
        portfolio.id,
        position.assetId,
        formatScaled(targets[index] ?? 0, PERCENT_DECIMALS),
        formatScaled(actuals[index] ?? 0, PERCENT_DECIMALS),
        world.calendar.date(position.lastTradeDay),
      ]);
    }
  }
}
