import { Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import { seesEverything } from '../../ledger/access.js';
import { listComplexity } from '../common/complexity.js';
import type { Context } from '../context.js';
import { Account } from '../account/account.type.js';
import { userByLogin } from './owner.sql.js';
import { Me, Membership, Organization, User } from './owner.type.js';
import { Reads } from '../cache/reads.js';

/** Estimates for the complexity limit: the accounts of an owner, the organizations of a user. */
const ACCOUNTS_ESTIMATE = 10;
const MEMBERSHIPS_ESTIMATE = 3;

@Resolver(() => Me)
export class MeResolver {
  @Reads('owners', 'viewer')
  @Query(() => Me, { description: 'Who the request acts for: the token’s role and subject, and the user it names.' })
  async me(@Ctx() { sql, viewer }: Context): Promise<Me> {
    return {
      role: viewer.role,
      subject: viewer.subject ?? null,
      user: viewer.subject === undefined ? null : await userByLogin(sql, viewer.subject),
      seesAllAccounts: seesEverything(viewer),
    };
  }
}

@Resolver(() => User)
export class UserResolver {
  @Reads('owners')
  @FieldResolver(() => [Membership], {
    description: 'The organizations the user belongs to, by name.',
    complexity: listComplexity(MEMBERSHIPS_ESTIMATE),
  })
  memberships(@Root() user: User, @Ctx() { loaders }: Context): Promise<Membership[]> {
    return loaders.owner.membershipsByUser.load(user.id);
  }

  @Reads('ledger', 'owners', 'viewer')
  @FieldResolver(() => [Account], {
    description: 'The accounts the user owns that the viewer may see, by id.',
    complexity: listComplexity(ACCOUNTS_ESTIMATE),
  })
  accounts(@Root() user: User, @Ctx() { loaders }: Context): Promise<Account[]> {
    return loaders.account.byUser.load(user.id);
  }
}

@Resolver(() => Organization)
export class OrganizationResolver {
  @Reads('ledger', 'owners', 'viewer')
  @FieldResolver(() => [Account], {
    description: 'The accounts the organization owns that the viewer may see, by id.',
    complexity: listComplexity(ACCOUNTS_ESTIMATE),
  })
  accounts(@Root() organization: Organization, @Ctx() { loaders }: Context): Promise<Account[]> {
    return loaders.account.byOrganization.load(organization.id);
  }
}

@Resolver(() => Membership)
export class MembershipResolver {
  @Reads('owners')
  @FieldResolver(() => Organization)
  async organization(@Root() membership: Membership, @Ctx() { loaders }: Context): Promise<Organization> {
    return (await loaders.owner.organization.load(membership.organizationId))!;
  }
}
