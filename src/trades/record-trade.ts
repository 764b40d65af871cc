import type postgres from 'postgres';
import type { Actor } from '../audit/actor.js';
import { type AuditEntry, recordAudit } from '../audit/record.js';
import type { Sql } from '../infra/db.js';
import { BadUserInputError } from '../lib/errors.js';
import { decimalSign } from '../lib/decimal.js';
import { settlementErrors } from '../ledger/settlement.js';
import { uncoveredSales, type UncoveredSale } from './oversell.js';
import { lockPortfolios } from './portfolio-lock.js';
import { type PositionKey, recomputePositions } from './positions.js';

export type TradeSide = 'BUY' | 'SELL';

/** A trade to record; ids parsed, date as YYYY-MM-DD, amounts as exact decimal strings. */
export interface TradeRequest {
  assetId: string;
  portfolioId: string;
  counterpartyId: string | null;
  type: TradeSide;
  date: string;
  quantity: string;
  price: string;
  costs: string;
  currency: string | null;
  externalId: string | null;
}

/**
 * Records one trade, recomputes its position and, when its portfolio is linked to a cash account,
 * settles it there (src/ledger/settlement.ts), or writes nothing and throws BAD_USER_INPUT
 * naming the field of TradeInput at fault. A request whose externalId was recorded before returns
 * that trade when it is the same trade, and is refused when it is not. Returns the trade's id. A
 * recorded trade leaves one entry in the audit log, in the same transaction; a retry leaves none.
 */
export async function recordTrade(sql: Sql, request: TradeRequest, actor: Actor): Promise<string> {
  checkValues(request); // before a transaction is opened for nothing
  return sql.begin(async (tx) => {
    const recorded = await recordTradeIn(tx, request, actor);
    if (recorded.audit) await recordAudit(tx, recorded.audit);
    return recorded.id;
  });
}

/** A trade recordTradeIn recorded, or found recorded before (then `audit` is null: a retry leaves no entry). */
export interface RecordedTrade {
  id: string;
  /** Its trade.recorded entry, for the caller to append last in its transaction. */
  audit: AuditEntry | null;
}

/**
 * recordTrade inside the caller's transaction, for a caller that records several trades all or
 * nothing (executeRebalance): a refusal throws and the caller's transaction rolls back. The audit
 * entry is returned, not appended: appending takes the audit chain's lock, which must be the last
 * lock a transaction takes (procedures/audit.sql), so the caller appends the entries after its
 * last trade.
 */
export async function recordTradeIn(tx: postgres.TransactionSql, request: TradeRequest, actor: Actor): Promise<RecordedTrade> {
  checkValues(request);
  const position: PositionKey = { portfolioId: request.portfolioId, assetId: request.assetId };
  const [portfolio] = await lockPortfolios(tx, [request.portfolioId]);
  if (!portfolio) throw new BadUserInputError(`input.portfolioId ${request.portfolioId} is not a portfolio`, 'input.portfolioId');
  // Before the other checks: a retry must get its trade back even if, say, the asset closed since.
  const recorded = await recordedBefore(tx, request);
  if (recorded !== undefined) return { id: recorded, audit: null };
  await checkReferences(tx, request);
  const [inserted] = await tx<{ id: string }[]>`
    insert into transactions (asset_id, transaction_date, transaction_type, quantity, price, total_amount,
      counterparty_id, portfolio_id, transaction_costs, external_id)
    values (${request.assetId}::bigint, ${request.date}::date, ${request.type}, ${request.quantity}::numeric, ${request.price}::numeric,
      ${request.quantity}::numeric * ${request.price}::numeric, ${request.counterpartyId}::bigint, ${request.portfolioId}::bigint,
      ${request.costs}::numeric, ${request.externalId}::text)
    on conflict (external_id) do nothing
    returning transaction_id::text as id`;
  // Recorded meanwhile under the same externalId for another portfolio, whose lock this one does not hold.
  if (!inserted) return { id: (await recordedBefore(tx, request))!, audit: null };
  const [uncovered] = await uncoveredSales(tx, [position]);
  if (uncovered) throw oversold(uncovered, inserted.id);
  await recomputePositions(tx, [position]);
  const refused = await settlementErrors(tx, [inserted.id]);
  if (refused) throw new BadUserInputError(`input.quantity cannot settle: ${refused.message}`, 'input.quantity');
  // The trade's cash leg, when its portfolio settles in an account, goes into the trade's one entry.
  const [leg] = await tx<CashLeg[]>`
    select movement_id::text, account_id::text, amount::text, currency from cash_movements where trade_id = ${inserted.id}::bigint`;
  return { id: inserted.id, audit: tradeRecorded(inserted.id, request, leg ?? null, actor) };
}

interface CashLeg {
  movement_id: string;
  account_id: string;
  amount: string;
  currency: string;
}

function tradeRecorded(id: string, request: TradeRequest, leg: CashLeg | null, actor: Actor): AuditEntry {
  return {
    actor,
    action: 'trade.recorded',
    entity: 'trade',
    entityId: id,
    payload: {
      trade_id: id,
      asset_id: request.assetId,
      portfolio_id: request.portfolioId,
      counterparty_id: request.counterpartyId,
      type: request.type,
      date: request.date,
      quantity: request.quantity,
      price: request.price,
      costs: request.costs,
      currency: request.currency,
      external_id: request.externalId,
      cash_leg: leg,
    },
  };
}

function checkValues(request: TradeRequest): void {
  if (decimalSign(request.quantity) <= 0) {
    throw new BadUserInputError(`input.quantity must be greater than 0, got ${request.quantity}`, 'input.quantity');
  }
  if (decimalSign(request.price) < 0) throw new BadUserInputError(`input.price must not be negative, got ${request.price}`, 'input.price');
  if (decimalSign(request.costs) < 0) throw new BadUserInputError(`input.costs must not be negative, got ${request.costs}`, 'input.costs');
  if (request.currency !== null && !/^[A-Z]{3}$/.test(request.currency)) {
    throw new BadUserInputError('input.currency must be an ISO 4217 code such as "USD"', 'input.currency');
  }
  if (request.externalId !== null && (request.externalId.length < 1 || request.externalId.length > 100)) {
    throw new BadUserInputError('input.externalId must be 1 to 100 characters long', 'input.externalId');
  }
}

/** The id of the trade recorded under the request's externalId, if there is one and it is this trade. */
async function recordedBefore(tx: postgres.TransactionSql, request: TradeRequest): Promise<string | undefined> {
  if (request.externalId === null) return undefined;
  const [row] = await tx<{ id: string; same: boolean }[]>`
    select t.transaction_id::text as id,
      t.asset_id = ${request.assetId}::bigint and t.portfolio_id = ${request.portfolioId}::bigint
        and t.counterparty_id is not distinct from ${request.counterpartyId}::bigint
        and t.transaction_type = ${request.type} and t.transaction_date = ${request.date}::date
        and t.quantity = ${request.quantity}::numeric and t.price = ${request.price}::numeric
        and t.transaction_costs = ${request.costs}::numeric
        and (${request.currency}::text is null or a.currency = ${request.currency}::text) as same
    from transactions t
    join asset_master a on a.asset_id = t.asset_id
    where t.external_id = ${request.externalId}`;
  if (!row) return undefined;
  if (!row.same) {
    throw new BadUserInputError(
      `input.externalId ${JSON.stringify(request.externalId)} already records trade ${row.id}, which differs from this one`,
      'input.externalId',
    );
  }
  return row.id;
}

async function checkReferences(tx: postgres.TransactionSql, request: TradeRequest): Promise<void> {
  const [row] = await tx<{ status: string | null; currency: string | null; counterparty: boolean; future: boolean }[]>`
    select a.status, a.currency,
      exists (select from counterparty_info c where c.counterparty_id = ${request.counterpartyId}::bigint) as counterparty,
      ${request.date}::date > current_date as future
    from (values (${request.assetId}::bigint)) as requested (asset_id)
    left join asset_master a on a.asset_id = requested.asset_id`;
  if (row!.future) throw new BadUserInputError(`input.date must not be in the future, got ${request.date}`, 'input.date');
  if (row!.status === null) throw new BadUserInputError(`input.assetId ${request.assetId} is not an asset`, 'input.assetId');
  if (row!.status !== 'ACTIVE') {
    throw new BadUserInputError(`input.assetId ${request.assetId} is ${row!.status}; only ACTIVE assets trade`, 'input.assetId');
  }
  if (request.counterpartyId !== null && !row!.counterparty) {
    throw new BadUserInputError(`input.counterpartyId ${request.counterpartyId} is not a counterparty`, 'input.counterpartyId');
  }
  if (request.currency !== null && request.currency !== row!.currency) {
    throw new BadUserInputError(
      `input.currency must be ${row!.currency}, the currency of asset ${request.assetId}, got ${request.currency}`,
      'input.currency',
    );
  }
}

function oversold(sale: UncoveredSale, recordedId: string): BadUserInputError {
  const message =
    sale.transactionId === recordedId
      ? `input.quantity ${sale.quantity} exceeds the ${sale.held} that portfolio ${sale.portfolioId} holds of asset ${sale.assetId} on ${sale.date}`
      : `input.quantity would leave the later SELL ${sale.transactionId} of ${sale.quantity} on ${sale.date} uncovered: portfolio ${sale.portfolioId} would hold ${sale.held} of asset ${sale.assetId} then`;
  return new BadUserInputError(message, 'input.quantity');
}
