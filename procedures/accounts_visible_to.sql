-- accounts_visible_to(login): the accounts the user whose login a token names as its subject may
-- see: their own; every account of the organizations they belong to; and, in the organizations
-- they administer, the EXPENSE accounts of the members. The one definition of who sees what; every
-- statement of the graph that reads accounts or their movements puts it in its WHERE (the bank's
-- ADMIN role sees everything and skips it). An inlinable SQL function, so that the planner sees
-- through it.
create or replace function accounts_visible_to(subject text) returns table (account_id bigint)
language sql stable parallel safe
as $$
  select a.account_id
  from users u
  join accounts a on a.owner_user_id = u.user_id
  where u.login = subject
  union
  select a.account_id
  from users u
  join memberships m on m.user_id = u.user_id
  join accounts a on a.owner_organization_id = m.organization_id
  where u.login = subject
  union
  select a.account_id
  from users u
  join memberships admin on admin.user_id = u.user_id and admin.role = 'ADMIN'
  join memberships member on member.organization_id = admin.organization_id
  join accounts a on a.owner_user_id = member.user_id and a.kind = 'EXPENSE'
  where u.login = subject
$$;
