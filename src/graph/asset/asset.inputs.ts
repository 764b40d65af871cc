import { Field, InputType, registerEnumType } from 'type-graphql';
import { MAX_TEXT_LENGTH } from '../../lib/input.js';
import { OrderDirection, PerformanceCategory, PositionSize, RiskCategory } from '../common/enums.js';

export enum AssetOrderField {
  NAME = 'NAME',
  MARKET_VALUE = 'MARKET_VALUE',
  TOTAL_RETURN = 'TOTAL_RETURN',
  VALUE_AT_RISK = 'VALUE_AT_RISK',
  SHARPE_RATIO = 'SHARPE_RATIO',
  ACTIVE_VIOLATIONS = 'ACTIVE_VIOLATIONS',
}
registerEnumType(AssetOrderField, {
  name: 'AssetOrderField',
  valuesConfig: { MARKET_VALUE: { description: 'marketValueBase, so that assets in different currencies compare.' } },
});

@InputType({
  description: `Each list matches any of its values; the conditions all hold together. Each text is at most ${MAX_TEXT_LENGTH} characters, without NUL.`,
})
export class AssetFilter {
  @Field(() => [String], { nullable: true })
  assetType?: string[] | null;

  @Field(() => [String], { nullable: true })
  sector?: string[] | null;

  @Field(() => [String], { nullable: true, description: 'ISO 3166-1 alpha-2 codes of the issuing country.' })
  country?: string[] | null;

  @Field(() => [RiskCategory], { nullable: true })
  riskCategory?: RiskCategory[] | null;

  @Field(() => [PerformanceCategory], { nullable: true })
  performanceCategory?: PerformanceCategory[] | null;

  @Field(() => [PositionSize], { nullable: true })
  positionSize?: PositionSize[] | null;

  @Field(() => String, {
    nullable: true,
    description: `Part of the name or ISIN, case-insensitive; at most ${MAX_TEXT_LENGTH} characters.`,
  })
  search?: string | null;

  @Field(() => Boolean, { nullable: true, description: 'true: activeViolations > 0; false: none (or not yet built).' })
  hasActiveViolations?: boolean | null;
}

@InputType({ description: 'NULL values sort last in both directions; ties are broken by id, ascending.' })
export class AssetOrder {
  @Field(() => AssetOrderField)
  field!: AssetOrderField;

  @Field(() => OrderDirection, { defaultValue: OrderDirection.ASC })
  direction!: OrderDirection;
}
