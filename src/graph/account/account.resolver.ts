import { Arg, Args, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import { todayUtc } from '../../lib/dates.js';
import { isoDate } from '../common/arguments.js';
import { AGGREGATE_COMPLEXITY, pageComplexity } from '../common/complexity.js';
import type { Page } from '../common/connection.js';
import { parseId } from '../common/ids.js';
import { DecimalScalar } from '../common/scalars.js';
import { Keyset, rootConnection } from '../common/keyset.js';
import type { Context } from '../context.js';
import { CashMovementConnection, MovementArgs, type CashMovement } from '../ledger/movement.type.js';
import type { Organization, User } from '../owner/owner.type.js';
import { Portfolio } from '../portfolio/portfolio.type.js';
import { accountColumns, accountCondition } from './account.sql.js';
import { Account, AccountArgs, AccountConnection, AccountOwner, BalanceArgs } from './account.type.js';
import { Reads } from '../cache/reads.js';

@Resolver(() => Account)
export class AccountResolver {
  @Reads('ledger', 'owners', 'viewer')
  @Query(() => Account, { nullable: true, description: 'One account by id; null when there is none, or when the viewer may not see it.' })
  account(@Arg('id', () => ID) id: string, @Ctx() { loaders }: Context): Promise<Account | null> {
    return loaders.account.byId.load(parseId(id, 'id'));
  }

  @Reads('ledger', 'owners', 'viewer')
  @Query(() => AccountConnection, {
    description:
      'The accounts the viewer may see, by id: the bank ADMIN sees all; a user their own, their organizations’ and, as an ' +
      'organization’s ADMIN, its members’ EXPENSE accounts.',
    complexity: pageComplexity(AGGREGATE_COMPLEXITY),
  })
  accounts(@Args(() => AccountArgs) args: AccountArgs, @Ctx() { sql, viewer }: Context): Promise<Page<Account>> {
    return rootConnection(sql, {
      keyset: new Keyset(sql, [{ name: 'ID', expression: sql`a.account_id`, kind: 'id', direction: 'ASC', nullable: false }]),
      args,
      columns: accountColumns(sql),
      from: sql`accounts a`,
      where: accountCondition(sql, viewer, args.filter),
    });
  }

  @Reads('owners')
  @FieldResolver(() => AccountOwner, { description: 'The user or organization that owns it.' })
  async owner(@Root() account: Account, @Ctx() { loaders }: Context): Promise<User | Organization> {
    const owner =
      account.ownerUserId !== null
        ? await loaders.owner.user.load(account.ownerUserId)
        : await loaders.owner.organization.load(account.ownerOrganizationId!);
    return owner!;
  }

  @Reads('reference')
  @FieldResolver(() => Portfolio, {
    nullable: true,
    description: 'The portfolio whose trades settle in this BROKERAGE account; null when none, or when the viewer may not see it.',
  })
  portfolio(@Root() account: Account, @Ctx() { loaders }: Context): Promise<Portfolio | null> {
    return account.portfolioId === null ? Promise.resolve(null) : loaders.portfolio.byId.load(account.portfolioId);
  }

  @Reads('ledger', 'today')
  @FieldResolver(() => DecimalScalar, {
    description: 'The sum of its movements up to and including asOf (today by default), in the account currency.',
  })
  balance(@Root() account: Account, @Args(() => BalanceArgs) { asOf }: BalanceArgs, @Ctx() { loaders }: Context): Promise<string> {
    return loaders.account.balance.load({ id: account.id, args: asOf ? isoDate(asOf) : todayUtc() });
  }

  @Reads('ledger', 'owners', 'viewer')
  @FieldResolver(() => CashMovementConnection, { description: 'Its movements, newest first.', complexity: pageComplexity(1) })
  movements(
    @Root() account: Account,
    @Args(() => MovementArgs) args: MovementArgs,
    @Ctx() { loaders }: Context,
  ): Promise<Page<CashMovement>> {
    return loaders.movement.page(account.id, args);
  }
}
