import type { Sql } from '../../infra/db.js';
import type { Membership, Organization, User } from './owner.type.js';

export function usersById(sql: Sql, ids: readonly string[]): Promise<User[]> {
  return sql<User[]>`select user_id::text as id, login, name from users where user_id = any(${[...ids]}::bigint[])`;
}

export async function userByLogin(sql: Sql, login: string): Promise<User | null> {
  const [user] = await sql<User[]>`select user_id::text as id, login, name from users where login = ${login}`;
  return user ?? null;
}

export function organizationsById(sql: Sql, ids: readonly string[]): Promise<Organization[]> {
  return sql<Organization[]>`
    select organization_id::text as id, name from organizations where organization_id = any(${[...ids]}::bigint[])`;
}

export function membershipsByUser(sql: Sql, userIds: readonly string[]): Promise<Membership[]> {
  return sql<Membership[]>`
    select m.organization_id::text as "organizationId", m.user_id::text as "userId", m.role
    from memberships m join organizations o on o.organization_id = m.organization_id
    where m.user_id = any(${[...userIds]}::bigint[])
    order by o.name`;
}
