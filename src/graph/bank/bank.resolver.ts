import { Args, Authorized, Ctx, Query, Resolver } from 'type-graphql';
import type { Role } from '../../auth/viewer.js';
import { isoDate as dayOf, epochDay, todayUtc } from '../../lib/dates.js';
import { BadUserInputError } from '../../lib/errors.js';
import { intInRange, isoDate } from '../common/arguments.js';
import { AGGREGATE_COMPLEXITY, sizedListComplexity } from '../common/complexity.js';
import type { Context } from '../context.js';
import { accountsAtRisk, baseCurrency, largestOutflows, ownerTotals, topCategories } from './bank.sql.js';
import { BankOverview, BankOverviewArgs } from './bank.type.js';
import { Reads } from '../cache/reads.js';

const DEFAULT_DAYS = 30;

@Resolver()
export class BankResolver {
  @Authorized<Role>('ADMIN')
  @Reads('ledger', 'owners', 'viewer', 'settings', 'fx', 'today')
  @Query(() => BankOverview, {
    description:
      'Totals by organization and by individual, the accounts below zero or near their limit, the largest outflows and the top ' +
      'spending categories of a period. Needs ADMIN, the bank admin.',
    complexity: sizedListComplexity('top', 10, 100, 4 * AGGREGATE_COMPLEXITY),
  })
  async bankOverview(@Args(() => BankOverviewArgs) args: BankOverviewArgs, @Ctx() { sql }: Context): Promise<BankOverview> {
    const asOf = args.asOf ? isoDate(args.asOf) : todayUtc();
    const from = args.from ? isoDate(args.from) : dayOf(epochDay(asOf) - (DEFAULT_DAYS - 1));
    if (from > asOf) throw new BadUserInputError('from must not be after asOf', 'from');
    const top = intInRange(args.top ?? 10, 'top', 1, 100);
    const nearLimitShare = args.nearLimitShare ?? 0.1;
    if (!(nearLimitShare >= 0 && nearLimitShare <= 1)) {
      throw new BadUserInputError('nearLimitShare must be from 0 to 1', 'nearLimitShare');
    }
    const period = { asOf, from };
    const [organizations, individuals, atRisk, outflows, categories, base] = await Promise.all([
      ownerTotals(sql, 'organization', period),
      ownerTotals(sql, 'user', period),
      accountsAtRisk(sql, period, nearLimitShare, 100),
      largestOutflows(sql, period, top),
      topCategories(sql, period, top),
      baseCurrency(sql),
    ]);
    return {
      asOf,
      from,
      baseCurrency: base,
      organizations,
      individuals,
      accountsAtRisk: atRisk,
      largestOutflows: outflows,
      topCategories: categories,
    };
  }
}
