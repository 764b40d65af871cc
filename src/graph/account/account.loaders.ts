import type { Viewer } from '../../auth/viewer.js';
import type { Sql } from '../../infra/db.js';
import { loaderById, loaderOfLists, loaderWithArgs } from '../common/batch.js';
import { accountsById, accountsByOwner, balancesAsOf } from './account.sql.js';

export function createAccountLoaders(sql: Sql, viewer: Viewer) {
  return {
    byId: loaderById((ids) => accountsById(sql, viewer, ids)),
    byUser: loaderOfLists(
      (ids) => accountsByOwner(sql, viewer, 'user', ids),
      (account) => account.ownerUserId!,
    ),
    byOrganization: loaderOfLists(
      (ids) => accountsByOwner(sql, viewer, 'organization', ids),
      (account) => account.ownerOrganizationId!,
    ),
    /** Balances of visible accounts, batched by day. */
    balance: loaderWithArgs<string, string>(async (ids, asOf) => {
      const byId = new Map((await balancesAsOf(sql, ids, asOf)).map((row) => [row.id, row.balance]));
      return ids.map((id) => byId.get(id) ?? '0');
    }),
  };
}
