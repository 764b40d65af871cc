import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';

export enum MembershipRole {
  ADMIN = 'ADMIN',
  MEMBER = 'MEMBER',
}
registerEnumType(MembershipRole, {
  name: 'MembershipRole',
  description: "A user's role in an organization: an ADMIN also sees the members' EXPENSE accounts and pays from the organization's.",
});

@ObjectType({ description: 'A person: an individual client, or an employee of an organization. Tokens name one by login in their sub.' })
export class User {
  @Field(() => ID)
  id!: string;

  @Field(() => String, { description: 'What a token carries as its sub.' })
  login!: string;

  @Field(() => String)
  name!: string;
}

@ObjectType({ description: 'A corporate client, whose accounts its members see.' })
export class Organization {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  name!: string;
}

@ObjectType({ description: "A user's place in an organization." })
export class Membership {
  @Field(() => MembershipRole)
  role!: MembershipRole;

  organizationId!: string;
  userId!: string;
}

@ObjectType({ description: 'Who the request acts for.' })
export class Me {
  @Field(() => String, { description: "The token's role: VIEWER, ANALYST, OPERATOR or ADMIN (every request is ADMIN with AUTH_MODE=off)." })
  role!: string;

  @Field(() => String, { nullable: true, description: "The token's sub." })
  subject!: string | null;

  @Field(() => User, { nullable: true, description: 'The user the sub names; null when it names none.' })
  user!: User | null;

  @Field(() => Boolean, { description: 'True for the bank ADMIN, who sees every account.' })
  seesAllAccounts!: boolean;
}
