import { Readable } from 'node:stream';
import { Arg, Args, Authorized, Ctx, FieldResolver, Mutation, Query, Resolver, Root } from 'type-graphql';
import { viewerActor } from '../../audit/actor.js';
import type { Role } from '../../auth/viewer.js';
import { BadUserInputError } from '../../lib/errors.js';
import { importCashTransactions } from '../../ledger/import/import-cash.js';
import { transfer } from '../../ledger/transfer.js';
import { Account } from '../account/account.type.js';
import { isoDate } from '../common/arguments.js';
import { AGGREGATE_COMPLEXITY, listComplexity } from '../common/complexity.js';
import { parseId } from '../common/ids.js';
import type { Context } from '../context.js';
import { cashFlow, spendingByCategory } from './cash-analytics.sql.js';
import { CashImportResult } from './cash-import.type.js';
import { CashFlowArgs, CashFlowInterval, CashFlowPeriod, CategorySpending, SpendingArgs } from './cash-analytics.type.js';
import { movementsById } from './movement.sql.js';
import { CashMovement } from './movement.type.js';
import { Transfer, TransferInput, transferRequest } from './transfer.type.js';
import { Reads } from '../cache/reads.js';

/** Estimates for the complexity limit: categories and currencies of a period, periods of a range. */
const CATEGORIES_ESTIMATE = 30;
const PERIODS_ESTIMATE = 60;
/** Weekly flows over twenty years at most: a statement of bounded size. */
const MAX_PERIODS = 1100;

/** A period's bounds and accounts, checked; each error names its argument. */
function period({ from, to, accountIds }: SpendingArgs): { from: string; to: string; accountIds: string[] | null } {
  const range = { from: isoDate(from), to: isoDate(to) };
  if (range.from > range.to) throw new BadUserInputError('to must not be before from', 'to');
  if (accountIds != null && accountIds.length > 500) throw new BadUserInputError('accountIds may list at most 500 accounts', 'accountIds');
  return { ...range, accountIds: accountIds == null ? null : accountIds.map((id) => parseId(id, 'accountIds')) };
}

@Resolver(() => CashMovement)
export class CashMovementResolver {
  @Reads('ledger', 'owners', 'viewer')
  @FieldResolver(() => Account, { description: 'The account the leg is booked in.' })
  async account(@Root() movement: CashMovement, @Ctx() { loaders }: Context): Promise<Account> {
    return (await loaders.account.byId.load(movement.accountId))!;
  }
}

@Resolver()
export class LedgerResolver {
  @Reads('ledger', 'owners', 'viewer', 'settings', 'fx')
  @Query(() => [CategorySpending], {
    description: 'Spending (EXPENSE legs, refunds netted) by category and currency over a period, in the accounts the viewer sees.',
    complexity: listComplexity(CATEGORIES_ESTIMATE, AGGREGATE_COMPLEXITY),
  })
  spendingByCategory(@Args(() => SpendingArgs) args: SpendingArgs, @Ctx() { sql, viewer }: Context): Promise<CategorySpending[]> {
    return spendingByCategory(sql, viewer, period(args));
  }

  @Reads('ledger', 'owners', 'viewer', 'settings', 'fx')
  @Query(() => [CashFlowPeriod], {
    description:
      'Inflow and outflow by month or week and currency over a period, oldest first, every period included, in the accounts the ' +
      'viewer sees; transfers between two of those accounts are left out.',
    complexity: listComplexity(PERIODS_ESTIMATE, AGGREGATE_COMPLEXITY),
  })
  cashFlow(@Args(() => CashFlowArgs) args: CashFlowArgs, @Ctx() { sql, viewer }: Context): Promise<CashFlowPeriod[]> {
    const range = period(args);
    const days = (Date.parse(range.to) - Date.parse(range.from)) / 86_400_000;
    const interval = args.interval ?? CashFlowInterval.MONTH;
    if (days / (interval === CashFlowInterval.WEEK ? 7 : 28) > MAX_PERIODS) {
      throw new BadUserInputError(`from and to span more than ${MAX_PERIODS} periods of the interval`, 'from');
    }
    return cashFlow(sql, viewer, { ...range, interval });
  }

  @Authorized<Role>('VIEWER')
  @Mutation(() => Transfer, {
    description:
      'Moves money out of an account the viewer may pay from: to another account as two legs that sum to zero, or to a ' +
      'counterparty as one leg. Refused with BAD_USER_INPUT when the account would go below its overdraft limit. Any role.',
  })
  async transfer(@Arg('input', () => TransferInput) input: TransferInput, @Ctx() { sql, viewer }: Context): Promise<Transfer> {
    const result = await transfer(sql, viewer, transferRequest(input), viewerActor(viewer));
    return { transferGroup: result.transferGroup, movements: await movementsById(sql, viewer, result.movementIds) };
  }

  @Authorized<Role>('ANALYST')
  @Mutation(() => CashImportResult, {
    description:
      'Imports a CSV of cash movements (format in the README) into the accounts the viewer may pay from, all or nothing: a file with ' +
      'any bad row imports nothing and lists every error by line and column. Rows whose external_id is known are skipped; rows ' +
      'without a category are classified by the category rules. Larger files go through npm run import:cash. Needs ANALYST.',
  })
  importCashTransactions(@Arg('csv', () => String) csv: string, @Ctx() { sql, viewer }: Context): Promise<CashImportResult> {
    return importCashTransactions(sql, viewer, Readable.from([csv]), viewerActor(viewer));
  }
}
