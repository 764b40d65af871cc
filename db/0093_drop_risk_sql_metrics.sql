-- The risk metrics moved to TypeScript (src/risk/metrics.ts), the normal quantile and the max
-- drawdown with them: their SQL versions, which procedures/ no longer re-creates, go, so that each
-- metric keeps one implementation.
drop function if exists normal_quantile(double precision);
drop function if exists risk_max_drawdown(double precision[]);
