import type postgres from 'postgres';
import type { Sql } from '../infra/db.js';
import type { Actor } from '../audit/actor.js';
import { recordAudit } from '../audit/record.js';
import type { Viewer } from '../auth/viewer.js';
import { BadUserInputError, ForbiddenError } from '../lib/errors.js';
import { operableAccounts, visibleAccounts } from './access.js';
import { CASH_DECIMALS, CURRENCY, isPositiveCashAmount } from './amounts.js';
import { ledgerRefusal } from './refusal.js';

/** A movement of money out of an account: to another account of the system, or to an outside counterparty. */
export interface TransferRequest {
  fromAccountId: string;
  /** Set for an internal transfer; null for a payment to the counterparty. */
  toAccountId: string | null;
  counterpartyName: string | null;
  counterpartyAccount: string | null;
  /** Greater than 0, at most two decimals, in `currency`: what leaves the source account. */
  amount: string;
  currency: string;
  /** Between currencies: units of the destination currency per unit of the source; by default the day's rate. */
  fxRate: string | null;
  date: string;
  description: string | null;
  /** By default the category rules' (procedures/cash_category.sql). */
  category: string | null;
  /** A payment to a counterparty may count as an EXPENSE; an internal transfer is always a TRANSFER. */
  section: 'TRANSFER' | 'EXPENSE';
  externalId: string | null;
}

/** What a transfer booked: its legs, the outgoing one first, and the group that links them when internal. */
export interface TransferResult {
  transferGroup: string | null;
  movementIds: string[];
}

/** What the write booked, with the rate it used between currencies. */
interface Booked extends TransferResult {
  fxRate: string | null;
}

interface LockedAccount {
  id: string;
  currency: string;
  visible: boolean;
  operable: boolean;
}

/**
 * Books a transfer as signed legs in one transaction: an internal one as two legs of one transfer
 * group, which the database checks balance at commit (db/0033); a payment as one leg. The database
 * refuses a leg that would overdraw its account (db/0034); the accounts are locked first, so that
 * concurrent transfers from one account queue. A request whose externalId was booked before
 * returns that transfer when it is the same one and is refused when it is not. A booked transfer
 * leaves one entry in the audit log (`cash.transfer`), in its transaction.
 */
export async function transfer(sql: Sql, viewer: Viewer, request: TransferRequest, actor: Actor): Promise<TransferResult> {
  checkValues(request);
  try {
    return await sql.begin(async (tx) => {
      const accounts = await lockAccounts(tx, viewer, [request.fromAccountId, ...(request.toAccountId ? [request.toAccountId] : [])]);
      const from = accounts.get(request.fromAccountId);
      if (!from?.visible)
        throw new BadUserInputError(`input.fromAccountId ${request.fromAccountId} is not an account`, 'input.fromAccountId');
      if (!from.operable) throw new ForbiddenError(`you may not move money out of account ${request.fromAccountId}`);
      const recorded = await recordedBefore(tx, request);
      if (recorded !== undefined) return recorded;
      await checkDate(tx, request.date);
      if (request.currency !== from.currency) {
        throw new BadUserInputError(
          `input.currency must be ${from.currency}, the currency of account ${request.fromAccountId}, got ${request.currency}`,
          'input.currency',
        );
      }
      const result =
        request.toAccountId === null
          ? await bookPayment(tx, request)
          : await bookInternal(tx, request, from, accounts.get(request.toAccountId));
      // The balance of the group is checked now rather than at commit, so that a refusal comes from here.
      await tx`set constraints cash_transfer_balanced immediate`;
      await recordAudit(tx, {
        actor,
        action: 'cash.transfer',
        entity: result.transferGroup === null ? 'cash_movement' : 'transfer_group',
        entityId: result.transferGroup ?? result.movementIds[0]!,
        payload: {
          movement_ids: result.movementIds,
          transfer_group: result.transferGroup,
          from_account_id: request.fromAccountId,
          to_account_id: request.toAccountId,
          counterparty_name: request.counterpartyName,
          counterparty_account: request.counterpartyAccount,
          amount: request.amount,
          currency: request.currency,
          fx_rate: result.fxRate,
          date: request.date,
          section: request.section,
          external_id: request.externalId,
        },
      });
      return { transferGroup: result.transferGroup, movementIds: result.movementIds };
    });
  } catch (error) {
    const refusal = ledgerRefusal(error);
    if (refusal?.rule === 'cash_overdraft') throw new BadUserInputError(`input.amount is not covered: ${refusal.message}`, 'input.amount');
    if (isExternalIdTaken(error)) return sql.begin((tx) => recordedBefore(tx, request).then((found) => found ?? Promise.reject(error)));
    throw error;
  }
}

function checkValues(request: TransferRequest): void {
  if (!isPositiveCashAmount(request.amount)) {
    throw new BadUserInputError(
      `input.amount must be greater than 0 with at most ${CASH_DECIMALS} decimals, got ${request.amount}`,
      'input.amount',
    );
  }
  if (!CURRENCY.test(request.currency))
    throw new BadUserInputError('input.currency must be an ISO 4217 code such as "USD"', 'input.currency');
  if (request.toAccountId === null) {
    if (request.counterpartyName === null || request.counterpartyAccount === null) {
      throw new BadUserInputError(
        'input needs toAccountId, or counterpartyName and counterpartyAccount for a payment out of the system',
        'input.toAccountId',
      );
    }
    if (request.fxRate !== null) throw new BadUserInputError('input.fxRate applies to transfers between accounts only', 'input.fxRate');
  } else {
    if (request.counterpartyName !== null || request.counterpartyAccount !== null) {
      throw new BadUserInputError('input.toAccountId and a counterparty exclude each other', 'input.toAccountId');
    }
    if (request.toAccountId === request.fromAccountId) {
      throw new BadUserInputError('input.toAccountId must differ from input.fromAccountId', 'input.toAccountId');
    }
    if (request.section !== 'TRANSFER')
      throw new BadUserInputError('input.section of a transfer between accounts is TRANSFER', 'input.section');
  }
  const text: Array<[keyof TransferRequest, number]> = [
    ['counterpartyName', 200],
    ['counterpartyAccount', 100],
    ['description', 500],
    ['category', 100],
    ['externalId', 100],
  ];
  for (const [field, max] of text) {
    const value = request[field];
    if (typeof value === 'string' && (value.length < 1 || value.length > max)) {
      throw new BadUserInputError(`input.${field} must be 1 to ${max} characters long`, `input.${field}`);
    }
  }
}

/** Locks the accounts in id order, which the overdraft trigger would do anyway, with what the viewer may do with each. */
async function lockAccounts(tx: postgres.TransactionSql, viewer: Viewer, ids: readonly string[]): Promise<Map<string, LockedAccount>> {
  const rows = await tx<LockedAccount[]>`
    select a.account_id::text as id, a.currency, ${visibleAccounts(tx, viewer, tx`a.account_id`)} as visible,
      ${operableAccounts(tx, viewer, tx`a.account_id`)} as operable
    from accounts a
    where a.account_id = any(${[...ids]}::bigint[])
    order by a.account_id
    for no key update`;
  return new Map(rows.map((row) => [row.id, row]));
}

async function checkDate(tx: postgres.TransactionSql, date: string): Promise<void> {
  const [row] = await tx<[{ future: boolean }]>`select ${date}::date > current_date as future`;
  if (row.future) throw new BadUserInputError(`input.date must not be in the future, got ${date}`, 'input.date');
}

async function bookPayment(tx: postgres.TransactionSql, request: TransferRequest): Promise<Booked> {
  const [leg] = await tx<[{ id: string }]>`
    insert into cash_movements (account_id, movement_date, amount, currency, section, category, description,
      counterparty_name, counterparty_account, external_id)
    values (${request.fromAccountId}::bigint, ${request.date}::date, -${request.amount}::numeric, ${request.currency},
      ${request.section}, coalesce(${request.category}::text, cash_category(${request.description}, ${request.counterpartyName}, ${request.counterpartyAccount})),
      ${request.description}, ${request.counterpartyName}, ${request.counterpartyAccount}, ${request.externalId})
    returning movement_id::text as id`;
  return { transferGroup: null, movementIds: [leg.id], fxRate: null };
}

async function bookInternal(
  tx: postgres.TransactionSql,
  request: TransferRequest,
  from: LockedAccount,
  to: LockedAccount | undefined,
): Promise<Booked> {
  if (!to?.visible) throw new BadUserInputError(`input.toAccountId ${request.toAccountId} is not an account`, 'input.toAccountId');
  let rate: string | null = null;
  if (to.currency !== from.currency) {
    rate = request.fxRate ?? (await dayRate(tx, from.currency, to.currency, request.date));
    if (rate === null) {
      throw new BadUserInputError(
        `input.fxRate is needed: there is no ${from.currency}/${to.currency} rate on or before ${request.date}`,
        'input.fxRate',
      );
    }
  } else if (request.fxRate !== null) {
    throw new BadUserInputError(`input.fxRate applies between currencies; both accounts are in ${from.currency}`, 'input.fxRate');
  }
  const legs = await tx<{ id: string; group: string }[]>`
    with booked as (
      insert into cash_movements (account_id, movement_date, amount, currency, section, category, description, external_id,
        transfer_group, fx_rate)
      select l.account_id, ${request.date}::date, l.amount, l.currency, 'TRANSFER',
        coalesce(${request.category}::text, cash_category(${request.description}, null, null)), ${request.description}, l.external_id,
        g.id, ${rate}::numeric
      from (select gen_random_uuid() as id) g
      cross join (values
        (1, ${from.id}::bigint, -${request.amount}::numeric, ${from.currency}::char(3), ${request.externalId}::text),
        (2, ${to.id}::bigint, round(${request.amount}::numeric * coalesce(${rate}::numeric, 1), ${CASH_DECIMALS}), ${to.currency}::char(3), null)
      ) as l(ordinal, account_id, amount, currency, external_id)
      order by l.ordinal
      returning movement_id, transfer_group
    )
    select movement_id::text as id, transfer_group::text as "group" from booked order by movement_id`;
  return { transferGroup: legs[0]!.group, movementIds: legs.map((leg) => leg.id), fxRate: rate };
}

async function dayRate(tx: postgres.TransactionSql, from: string, to: string, date: string): Promise<string | null> {
  const [row] = await tx<[{ rate: string | null }]>`select fx_rate_between(${from}, ${to}, ${date}::date)::text as rate`;
  return row.rate;
}

/** The transfer booked before under the request's externalId, if there is one and it is this transfer. */
async function recordedBefore(tx: postgres.TransactionSql, request: TransferRequest): Promise<TransferResult | undefined> {
  if (request.externalId === null) return undefined;
  const [row] = await tx<{ group: string | null; ids: string[]; same: boolean }[]>`
    select m.transfer_group::text as "group",
      array(select o.movement_id::text from cash_movements o
        where o.movement_id = m.movement_id or o.transfer_group = m.transfer_group order by o.amount, o.movement_id) as ids,
      m.account_id = ${request.fromAccountId}::bigint and m.amount = -${request.amount}::numeric
        and m.movement_date = ${request.date}::date and m.currency = ${request.currency}
        and (${request.toAccountId}::bigint is null) = (m.transfer_group is null)
        and (${request.toAccountId}::bigint is null or exists (
          select from cash_movements o where o.transfer_group = m.transfer_group and o.account_id = ${request.toAccountId}::bigint))
        and m.counterparty_name is not distinct from ${request.counterpartyName}
        and m.counterparty_account is not distinct from ${request.counterpartyAccount} as same
    from cash_movements m
    where m.external_id = ${request.externalId}`;
  if (!row) return undefined;
  if (!row.same) {
    throw new BadUserInputError(
      `input.externalId ${JSON.stringify(request.externalId)} already records another movement, which differs from this one`,
      'input.externalId',
    );
  }
  return { transferGroup: row.group, movementIds: row.ids };
}

function isExternalIdTaken(error: unknown): boolean {
  const constraint = (error as { code?: string; constraint_name?: string }).constraint_name;
  return (error as { code?: string }).code === '23505' && constraint === 'cash_movements_external_id_key';
}
