import { Field, Int, ObjectType } from 'type-graphql';

@ObjectType({ description: 'Why a file was rejected: where, and what is wrong.' })
export class ImportError {
  @Field(() => Int, { description: 'The line of the file; the header is line 1.' })
  line!: number;

  @Field(() => String, {
    nullable: true,
    description: 'The column at fault, as the format names it; null when it is the whole row or file.',
  })
  column!: string | null;

  @Field(() => String)
  message!: string;
}

@ObjectType({ description: 'The outcome of an import: every trade of the file, or, when errors is not empty, none.' })
export class ImportResult {
  @Field(() => Int, { description: 'The data rows of the file.' })
  rows!: number;

  @Field(() => Int, { description: 'The trades recorded.' })
  imported!: number;

  @Field(() => Int, { description: 'Rows skipped because their external_id was recorded before, or repeats an earlier row of the file.' })
  duplicates!: number;

  @Field(() => [ImportError], { description: 'Every error found, by line; empty when the file was imported.' })
  errors!: ImportError[];
}
