import type { Viewer } from '../../auth/viewer.js';
import type { Sql } from '../../infra/db.js';
import { loaderWithArgs } from '../common/batch.js';
import type { Page } from '../common/connection.js';
import type { KeyValue } from '../common/keyset.js';
import { movementCountsByAccount, movementCriteria, movementKeyset, movementRowsByAccount, type MovementCriteria } from './movement.sql.js';
import type { CashMovement, MovementArgs } from './movement.type.js';

interface PageArgs {
  first: number;
  after: KeyValue[] | null;
  criteria: MovementCriteria;
}

export function createMovementLoaders(sql: Sql, viewer: Viewer) {
  const keyset = movementKeyset(sql);
  const counts = loaderWithArgs<MovementCriteria, number>((ids, criteria) => movementCountsByAccount(sql, viewer, ids, criteria));
  const pages = loaderWithArgs<PageArgs, Page<CashMovement>>(async (ids, args) => {
    const rows = await movementRowsByAccount(sql, viewer, ids, args, keyset);
    return ids.map((id, index) =>
      keyset.connection<CashMovement>(rows[index]!, args.first, () => counts.load({ id, args: args.criteria })),
    );
  });
  return {
    /** One page of an account's movements, batched with the same page of the other accounts. */
    page(accountId: string, args: MovementArgs): Promise<Page<CashMovement>> {
      const { first, after } = keyset.request(args);
      return pages.load({ id: accountId, args: { first, after, criteria: movementCriteria(args.filter) } });
    },
  };
}
