-- risk_max_drawdown(returns): the largest fall of the wealth compounded from the returns, in order,
-- starting from 1 before the first: min over t of wealth(t) / max(wealth up to t) − 1 (a negative
-- fraction, or 0 when the wealth never falls), as empyrical's max_drawdown. peak and trough are
-- positions in the wealth series: 0 is the start, k the wealth after the k-th return. The wealth
-- is multiplied out step by step, as numpy's cumprod. Null elements are skipped as a flat day.
create or replace function risk_max_drawdown(returns double precision[], out drawdown double precision, out peak integer, out trough integer)
language plpgsql immutable strict parallel safe
as $$
declare
  wealth double precision := 1;
  high double precision := 1;
  high_at integer := 0;
  fall double precision;
begin
  drawdown := 0;
  peak := 0;
  trough := 0;
  for k in 1..coalesce(array_length(returns, 1), 0) loop
    wealth := wealth * (1 + coalesce(returns[k], 0));
    if wealth > high then
      high := wealth;
      high_at := k;
    end if;
    fall := (wealth - high) / high;
    if fall < drawdown then
      drawdown := fall;
      peak := high_at;
      trough := k;
    end if;
  end loop;
end
$$;
