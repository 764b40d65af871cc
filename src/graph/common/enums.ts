import { registerEnumType } from 'type-graphql';

export enum OrderDirection {
  ASC = 'ASC',
  DESC = 'DESC',
}
registerEnumType(OrderDirection, { name: 'OrderDirection' });

/** The stored values of asset_360.risk_category, from value_at_risk and the settings' thresholds. */
export enum RiskCategory {
  LOW = 'LOW',
  MEDIUM = 'MEDIUM',
  HIGH = 'HIGH',
  UNKNOWN = 'UNKNOWN',
}
registerEnumType(RiskCategory, {
  name: 'RiskCategory',
  description: 'From valueAtRisk and the build settings; UNKNOWN when the asset has no risk metrics in the window.',
});

export enum PerformanceCategory {
  OUTPERFORMING = 'OUTPERFORMING',
  NEUTRAL = 'NEUTRAL',
  UNDERPERFORMING = 'UNDERPERFORMING',
  UNKNOWN = 'UNKNOWN',
}
registerEnumType(PerformanceCategory, {
  name: 'PerformanceCategory',
  description: 'From totalReturn and the build settings; UNKNOWN when the asset has no returns in the window.',
});

export enum PositionSize {
  LARGE = 'LARGE',
  MEDIUM = 'MEDIUM',
  SMALL = 'SMALL',
  UNKNOWN = 'UNKNOWN',
}
registerEnumType(PositionSize, {
  name: 'PositionSize',
  description: 'From marketValueBase and the build settings; UNKNOWN when there is no price or FX rate.',
});
