-- cash_category(description, counterparty_name, counterparty_account): the category the rules of
-- cash_category_rules give a movement: the first rule in (priority, rule_id) order whose pattern
-- occurs, ignoring case, in its field; null when none matches. The one definition of the
-- classification: the transfer mutation and the CSV import both call it.
create or replace function cash_category(description text, counterparty_name text, counterparty_account text) returns text
language sql stable parallel safe
as $$
  select r.category
  from cash_category_rules r
  where case r.field
    when 'DESCRIPTION' then strpos(lower(description), lower(r.pattern)) > 0
    else strpos(lower(counterparty_name), lower(r.pattern)) > 0 or strpos(lower(counterparty_account), lower(r.pattern)) > 0
  end
  order by r.priority, r.rule_id
  limit 1
$$;
