import type postgres from 'postgres';
import { copyLines, line } from '../infra/copy.js';
import { epochDay, isoDate } from '../lib/dates.js';
import { formatScaled } from '../lib/decimal.js';
import { settleTrades } from '../ledger/settlement.js';
import { cashLegs, DEMO_RULES } from './cash.js';
import { planOwners } from './owners.js';
import type { DemoWorld } from './world.js';

/** Rows of the ledger tables the demo loaded. */
export interface LedgerReport {
  users: number;
  organizations: number;
  accounts: number;
  movements: number;
  tradeLegs: number;
}

/** Every brokerage account starts with this much more than all its purchases would cost, rounded up to thousands. */
const FUNDING_MARGIN = 1.05;

/**
 * Loads the demo's owners, accounts, category rules and a year of cash (src/demo/cash.ts), then
 * funds each brokerage account on the day it opened (so that a trade backdated into the book settles
 * too) and settles every trade in it with the
 * one settlement implementation (procedures/settle_trades.sql). Runs in the seed's transaction,
 * after the trades; the database's rules check all of it as they would any other write.
 */
export async function seedLedger(tx: postgres.TransactionSql, world: DemoWorld): Promise<LedgerReport> {
  const owners = planOwners(world);
  const users = await copyLines(
    tx,
    'users',
    ['user_id', 'login', 'name'],
    owners.users.map((user) => line([user.id, user.login, user.name])),
  );
  const organizations = await copyLines(
    tx,
    'organizations',
    ['organization_id', 'name'],
    owners.organizations.map((organization) => line([organization.id, organization.name])),
  );
  await copyLines(
    tx,
    'memberships',
    ['organization_id', 'user_id', 'role'],
    owners.organizations.flatMap((organization) =>
      organization.members.map((userId, index) => line([organization.id, userId, index === 0 ? 'ADMIN' : 'MEMBER'])),
    ),
  );
  // Open before anything is booked: the first trade, or the first day of the year of cash.
  const opened = isoDate(Math.min(epochDay(world.calendar.first), epochDay(world.calendar.last) - 365));
  const accounts = await copyLines(
    tx,
    'accounts',
    [
      'account_id',
      'name',
      'kind',
      'owner_user_id',
      'owner_organization_id',
      'currency',
      'overdraft_limit',
      'iban',
      'portfolio_id',
      'opened_on',
    ],
    owners.accounts.map((account) =>
      line([
        account.id,
        account.name,
        account.kind,
        account.ownerUserId,
        account.ownerOrganizationId,
        account.currency,
        formatScaled(account.overdraftCents, 2),
        account.iban,
        account.portfolioId,
        opened,
      ]),
    ),
  );
  await copyLines(
    tx,
    'cash_category_rules',
    ['rule_id', 'field', 'pattern', 'category', 'priority'],
    DEMO_RULES.map(([field, pattern, category], index) => line([index + 1, field, pattern, category, (index + 1) * 10])),
  );
  await tx`select setval(pg_get_serial_sequence('users', 'user_id'), ${owners.users.length})`;
  await tx`select setval(pg_get_serial_sequence('organizations', 'organization_id'), ${owners.organizations.length})`;
  await tx`select setval(pg_get_serial_sequence('accounts', 'account_id'), ${owners.accounts.length})`;
  await tx`select setval(pg_get_serial_sequence('cash_category_rules', 'rule_id'), ${DEMO_RULES.length})`;

  const currencyOf = new Map(owners.accounts.map((account) => [account.id, account.currency]));
  await tx`
    create temp table demo_cash (
      ordinal integer, account_id bigint, movement_date date, amount numeric, currency text, section text, category text,
      description text, counterparty_name text, counterparty_account text, transfer_group uuid
    ) on commit drop`;
  await copyLines(
    tx,
    'demo_cash',
    [
      'ordinal',
      'account_id',
      'movement_date',
      'amount',
      'currency',
      'section',
      'category',
      'description',
      'counterparty_name',
      'counterparty_account',
      'transfer_group',
    ],
    cashLegs(world, owners).map((leg, index) =>
      line([
        index,
        leg.accountId,
        isoDate(leg.day),
        formatScaled(leg.cents, 2),
        currencyOf.get(leg.accountId)!,
        leg.section,
        leg.category,
        leg.description,
        leg.counterpartyName,
        leg.counterpartyAccount,
        leg.transferGroup,
      ]),
    ),
  );
  // One statement, so that the overdraft rule checks each account once; uncategorized rows go through the rules.
  const movements = await tx`
    insert into cash_movements (account_id, movement_date, amount, currency, section, category, description, counterparty_name,
      counterparty_account, transfer_group)
    select account_id, movement_date, amount, currency, section,
      coalesce(category, cash_category(description, counterparty_name, counterparty_account)), description, counterparty_name,
      counterparty_account, transfer_group
    from demo_cash
    order by ordinal`;
  const funding = await tx`
    insert into cash_movements (account_id, movement_date, amount, currency, section, category, description)
    select a.account_id, a.opened_on, ceil(
        sum((t.quantity * t.price + t.transaction_costs) * fx_rate_between(am.currency, a.currency, t.transaction_date))
          * ${FUNDING_MARGIN} / 1000) * 1000,
      a.currency, 'INCOME', 'Opening balance', 'Funding of the brokerage account'
    from accounts a
    join transactions t on t.portfolio_id = a.portfolio_id
    join asset_master am on am.asset_id = t.asset_id
    where t.transaction_type = 'BUY'
    group by a.account_id, a.currency, a.opened_on
    order by a.account_id`;
  const [{ ids }] = await tx<[{ ids: string[] }]>`
    select coalesce(array_agg(transaction_id::text order by transaction_id), '{}') as ids from transactions`;
  const tradeLegs = await settleTrades(tx, ids);
  await tx`set constraints cash_transfer_balanced immediate`;
  await tx.unsafe('analyze users, organizations, memberships, accounts, cash_movements, cash_category_rules');
  return { users, organizations, accounts, movements: movements.count + funding.count + tradeLegs, tradeLegs };
}
