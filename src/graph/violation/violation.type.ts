import { Field, ID, ObjectType } from 'type-graphql';
import { DateScalar } from '../common/scalars.js';

@ObjectType({
  description:
    'A rule the asset breaks: the latest check of the rule in the compliance window of the current build is a VIOLATION. ' +
    'An asset has as many as its activeViolations.',
})
export class Violation {
  @Field(() => ID, { description: 'The compliance_id of that latest check.' })
  id!: string;

  @Field(() => DateScalar)
  checkDate!: string;

  @Field(() => String)
  ruleId!: string;

  @Field(() => String, { nullable: true })
  ruleDescription!: string | null;

  @Field(() => String, { nullable: true })
  details!: string | null;

  assetId!: string;
}
