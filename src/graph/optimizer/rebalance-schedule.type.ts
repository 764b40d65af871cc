import { Field, ID, Int, ObjectType } from 'type-graphql';
import { DateTimeResolver, JSONObjectResolver } from 'graphql-scalars';

@ObjectType({ description: 'A portfolio’s periodic rebalance proposal: a BullMQ job scheduler that stores a decision at each run.' })
export class RebalanceSchedule {
  @Field(() => ID)
  portfolioId!: string;

  @Field(() => String)
  pattern!: string;

  @Field(() => String)
  tz!: string;

  @Field(() => DateTimeResolver, { nullable: true })
  nextRun!: Date | null;

  @Field(() => Boolean, { description: 'A paused schedule keeps firing but proposes nothing until resumed.' })
  paused!: boolean;

  @Field(() => Int, { description: 'The price window: this many calendar days up to the day of the run.' })
  lookbackDays!: number;

  @Field(() => JSONObjectResolver, { description: 'The optimization settings each run uses (checked, defaults applied).' })
  settings!: Record<string, unknown>;
}
