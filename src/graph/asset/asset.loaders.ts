import DataLoader from 'dataloader';
import type { Sql } from '../../infra/db.js';
import type { Asset } from './asset.type.js';

export function createAssetLoaders(sql: Sql) {
  return {
    byId: new DataLoader<string, Asset | null>(async (ids) => {
      const rows = await sql<Asset[]>`
        select asset_id::text as id, asset_name as name, asset_type as "assetType", isin, currency, issuer,
               issue_date as "issueDate", maturity_date as "maturityDate", par_value as "parValue", rating,
               sector, issuing_country as country, status
        from asset_master
        where asset_id = any(${ids as string[]}::bigint[])`;
      const byId = new Map(rows.map((row) => [row.id, row]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
  };
}
