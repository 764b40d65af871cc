import type { Sql } from '../../infra/db.js';
import { loaderById, loaderOfLists } from '../common/batch.js';
import { membershipsByUser, organizationsById, usersById } from './owner.sql.js';

export function createOwnerLoaders(sql: Sql) {
  return {
    user: loaderById((ids) => usersById(sql, ids)),
    organization: loaderById((ids) => organizationsById(sql, ids)),
    membershipsByUser: loaderOfLists(
      (ids) => membershipsByUser(sql, ids),
      (membership) => membership.userId,
    ),
  };
}
