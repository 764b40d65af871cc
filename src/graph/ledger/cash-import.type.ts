import { Field, Int, ObjectType } from 'type-graphql';
import { ImportError } from '../trade/trade.import.type.js';

@ObjectType({ description: 'The outcome of a cash import: every movement of the file, or, when errors is not empty, none.' })
export class CashImportResult {
  @Field(() => Int, { description: 'The data rows of the file.' })
  rows!: number;

  @Field(() => Int, { description: 'The movements booked.' })
  imported!: number;

  @Field(() => Int, { description: 'Rows skipped because their external_id was booked before, or repeats an earlier row of the file.' })
  duplicates!: number;

  @Field(() => [ImportError], { description: 'Every error found, by line and column; empty when the file was imported.' })
  errors!: ImportError[];
}
