import { getNamedType, isLeafType, isObjectType } from 'graphql';
import type postgres from 'postgres';
import { describe, expect, it } from 'vitest';
import { buildGraphSchema } from '../../src/graph/schema.js';
import { useTestDatabase } from '../support/database.js';
import { graphql } from '../support/server.js';
import { seedBook, useGraphServer } from './book.js';

const db = useTestDatabase();
const { url } = useGraphServer(db, (sql) => seedBook(sql, { assets: 40, days: 60, portfolios: 3, seed: 21 }));

/** The dashboard's slices and totals as an aggregate over asset_360 computes them now. */
async function liveDashboard() {
  const slices = await db.sql`
    select d.dimension, d.key, coalesce(sum(a.market_value_base), 0)::text as market_value, count(*)::int as asset_count
    from asset_360 a
    cross join lateral (values ('ASSET_TYPE', a.asset_type), ('SECTOR', a.sector), ('RISK_CATEGORY', a.risk_category)) d(dimension, key)
    group by 1, 2 order by 1, 2`;
  const [totals] = await db.sql`
    select count(*)::int as total_assets, coalesce(sum(market_value_base), 0)::text as total_value,
      coalesce(sum(active_violations), 0)::int as total_active_violations
    from asset_360`;
  return { slices: [...slices], totals };
}

async function storedDashboard(sql: postgres.Sql | postgres.TransactionSql = db.sql) {
  const slices = await sql`
    select dimension, key, market_value::text, asset_count from asset_360_dashboard_slices
    where dimension in ('ASSET_TYPE', 'SECTOR', 'RISK_CATEGORY') order by 1, 2`;
  const [totals] = await sql`select total_assets, total_value::text, total_active_violations from asset_360_dashboard_totals`;
  return { slices: [...slices], totals };
}

describe('the dashboard the build keeps', () => {
  it('equals the aggregates of asset_360 after a build', async () => {
    expect(await storedDashboard()).toEqual(await liveDashboard());
  });

  it('follows any write to asset_360, in the writer’s transaction', async () => {
    const before = await storedDashboard();
    await db.sql.begin(async (tx) => {
      await tx`update asset_360 set market_value_base = market_value_base * 2, sector = 'Moved' where asset_id in (select asset_id from asset_360 order by asset_id limit 5)`;
      await tx`delete from asset_360 where asset_id = (select max(asset_id) from asset_360)`;
      // Others keep reading the published dashboard until the writer commits.
      expect(await storedDashboard()).toEqual(before);
      expect(await storedDashboard(tx)).not.toEqual(before);
    });
    expect(await storedDashboard()).toEqual(await liveDashboard());
    expect((await storedDashboard()).slices).toContainEqual(expect.objectContaining({ dimension: 'SECTOR', key: 'Moved', asset_count: 5 }));
  });
});

describe('asset lists that read only the selected columns', () => {
  it('give every field of Asset the same value as asset(id)', async () => {
    const assetType = (await buildGraphSchema()).getType('Asset');
    if (!isObjectType(assetType)) throw new Error('Asset is not an object type');
    const fields = Object.values(assetType.getFields())
      .filter((field) => field.args.length === 0 && isLeafType(getNamedType(field.type)))
      .map((field) => field.name);
    expect(fields.length).toBeGreaterThan(30);
    const selection = fields.join(' ');
    const listed = await graphql(
      url(),
      `{ assets(first: 40) { edges { node { ${selection} } } } riskMetrics(top: 40) { ${selection} }
         performanceDashboard(top: 40) { topPerformers { ${selection} } } complianceSummary { assets { ${selection} } } }`,
    );
    expect(listed.errors).toBeUndefined();
    const data = listed.data as Record<string, any>;
    const nodes: Array<Record<string, unknown>> = [
      ...data.assets.edges.map((edge: { node: Record<string, unknown> }) => edge.node),
      ...data.riskMetrics,
      ...data.performanceDashboard.topPerformers,
      ...data.complianceSummary.assets,
    ];
    expect(data.complianceSummary.assets.length).toBeGreaterThan(0);
    for (const node of nodes) {
      const single = await graphql(url(), `query($id: ID!) { asset(id: $id) { ${selection} } }`, { id: node.id });
      expect(node).toEqual((single.data as Record<string, unknown>).asset);
    }
  });
});
