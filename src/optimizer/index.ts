export { optimizeFromPrices, type OptimizeOptions, type Optimized, type ExpectedReturnsModel } from './optimize.js';
export { type Objective, type SectorLimit, performance } from './objectives.js';
export { type RiskModel } from './risk-models.js';
