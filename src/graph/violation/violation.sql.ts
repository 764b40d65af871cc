import type { Sql } from '../../infra/db.js';
import { currentBuild } from '../build/build.sql.js';
import type { Violation } from './violation.type.js';

/**
 * The rules these assets break: latest_compliance_checks over the window that create_asset_360 used
 * for the current build (it ends at the build's as_of), so the list agrees with activeViolations; an
 * asset the build lacks has none. The build's as_of reaches the function laterally, not as a sub-select,
 * so the planner inlines it and the asset filter reaches the index.
 */
export function violationsOfAssets(sql: Sql, assetIds: readonly string[]): Promise<Violation[]> {
  return sql<Violation[]>`
    select c.compliance_id::text as id, c.check_date as "checkDate", c.rule_id as "ruleId",
      c.rule_description as "ruleDescription", c.violation_details as details, c.asset_id::text as "assetId"
    from ${currentBuild(sql)} b
    cross join lateral latest_compliance_checks(b.as_of) c
    where c.asset_id = any(${assetIds}::bigint[])
      and c.status = 'VIOLATION'
      and exists (select from asset_360 a where a.asset_id = c.asset_id)
    order by c.asset_id, c.check_date desc, c.rule_id`;
}
