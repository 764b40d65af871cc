import { Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { DateTimeResolver } from 'graphql-scalars';

export enum CashRuleField {
  DESCRIPTION = 'DESCRIPTION',
  COUNTERPARTY = 'COUNTERPARTY',
}
registerEnumType(CashRuleField, {
  name: 'CashRuleField',
  description: "What a rule's pattern is looked for in: the description, or the counterparty's name or account.",
});

@ObjectType({
  description:
    'Classifies movements booked without a category: the first rule by (priority, id) whose pattern occurs in its field, ignoring case.',
})
export class CashCategoryRule {
  @Field(() => ID)
  id!: string;

  @Field(() => CashRuleField)
  field!: CashRuleField;

  @Field(() => String)
  pattern!: string;

  @Field(() => String)
  category!: string;

  @Field(() => Int, { description: 'Lower first.' })
  priority!: number;

  @Field(() => DateTimeResolver)
  updatedAt!: Date;
}

@InputType({ description: 'A rule to add (no id) or change.' })
export class CashCategoryRuleInput {
  @Field(() => ID, { nullable: true })
  id?: string | null;

  @Field(() => CashRuleField)
  field!: CashRuleField;

  @Field(() => String, { description: '1 to 200 characters, looked for as written, ignoring case.' })
  pattern!: string;

  @Field(() => String)
  category!: string;

  @Field(() => Int, { nullable: true, defaultValue: 100 })
  priority?: number | null;
}
