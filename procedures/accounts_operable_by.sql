-- accounts_operable_by(login): the accounts the user may move money out of (transfer, import):
-- their own, and those of the organizations they administer. A subset of accounts_visible_to.
create or replace function accounts_operable_by(subject text) returns table (account_id bigint)
language sql stable parallel safe
as $$
  select a.account_id
  from users u
  join accounts a on a.owner_user_id = u.user_id
  where u.login = subject
  union
  select a.account_id
  from users u
  join memberships m on m.user_id = u.user_id and m.role = 'ADMIN'
  join accounts a on a.owner_organization_id = m.organization_id
  where u.login = subject
$$;
