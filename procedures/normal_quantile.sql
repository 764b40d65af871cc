-- normal_quantile(p): the p-quantile of the standard normal distribution, to full double precision
-- (z(0.95) = 1.6448536269514722, as scipy's ndtri). Acklam's rational approximation (relative error
-- 1.15e-9) refined by two Halley steps on the CDF's error, which is computed where it keeps its
-- precision: from the series of Φ(x) − 1/2 near the centre, and from the upper tail
-- Q(x) = φ(x) / (x + 1/(x + 2/(x + 3/(x + …)))), a continued fraction evaluated backwards, further out.
create or replace function normal_quantile(p double precision) returns double precision
language plpgsql immutable strict parallel safe
as $$
declare
  a constant double precision[] := array[-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02,
                                         1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00];
  b constant double precision[] := array[-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
                                         6.680131188771972e+01, -1.328068155288572e+01];
  c constant double precision[] := array[-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
                                         -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00];
  d constant double precision[] := array[7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00,
                                         3.754408661907416e+00];
  sqrt_two_pi constant double precision := sqrt(2 * pi());
  upper boolean := p > 0.5;
  tail double precision;   -- the probability of the tail beyond |x|, exact for p in [0.25, 1)
  x double precision;
  q double precision;
  r double precision;
  excess double precision; -- Φ(|x|) − the target, for the upper half
  term double precision;
  total double precision;
  fraction double precision;
  u double precision;
begin
  if p <= 0 or p >= 1 or p = 'NaN' then
    raise exception 'normal_quantile: p must lie strictly between 0 and 1, got %', p using errcode = '22003';
  end if;
  if p = 0.5 then return 0; end if;
  tail := case when upper then 1 - p else p end;
  -- Acklam, for the upper half: x > 0 with Q(x) = tail.
  if tail < 0.02425 then
    q := sqrt(-2 * ln(tail));
    x := -(((((c[1] * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) * q + c[6])
         / ((((d[1] * q + d[2]) * q + d[3]) * q + d[4]) * q + 1);
  else
    q := 0.5 - tail;
    r := q * q;
    x := (((((a[1] * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * r + a[6]) * q
         / (((((b[1] * r + b[2]) * r + b[3]) * r + b[4]) * r + b[5]) * r + 1);
  end if;
  for step in 1..2 loop
    if x < 1 then
      -- Φ(x) − 1/2 = φ(x) · Σ x^(2n+1) / (1·3·…·(2n+1)): all terms positive, no cancellation.
      term := x;
      total := x;
      for n in 1..100 loop
        term := term * x * x / (2 * n + 1);
        exit when term <= total * 1e-17;
        total := total + term;
      end loop;
      excess := exp(-x * x / 2) / sqrt_two_pi * total - (0.5 - tail);
    else
      fraction := x;
      for k in reverse 600..1 loop
        fraction := x + k / fraction;
      end loop;
      excess := tail - exp(-x * x / 2) / sqrt_two_pi / fraction;
    end if;
    u := excess * sqrt_two_pi * exp(x * x / 2);
    x := x - u / (1 + x * u / 2);
  end loop;
  return case when upper then x else -x end;
end
$$;
