import type { Sql } from '../../infra/db.js';
import type { Violation } from './violation.type.js';

/**
 * The rules these assets break. The window is the one create_asset_360 used for the asset's row: it
 * ends at that row's as_of, so the list agrees with activeViolations; an asset the build lacks has none.
 */
export function violationsOfAssets(sql: Sql, assetIds: readonly string[]): Promise<Violation[]> {
  return sql<Violation[]>`
        select v.id, v."checkDate", v."ruleId", v."ruleDescription", v.details, v."assetId"
        from (
          select distinct on (c.asset_id, c.rule_id)
            c.compliance_id::text as id, c.check_date as "checkDate", c.rule_id as "ruleId",
            c.rule_description as "ruleDescription", c.violation_details as details, c.asset_id::text as "assetId",
            c.status, c.asset_id, c.compliance_id
          from compliance_records c
          join asset_360 a on a.asset_id = c.asset_id
          cross join asset_360_settings s
          where c.asset_id = any(${assetIds}::bigint[])
            and c.check_date >= (a.as_of - s.compliance_window)::date and c.check_date <= a.as_of
          order by c.asset_id, c.rule_id, c.check_date desc, c.compliance_id desc
        ) v
        where v.status = 'VIOLATION'
        order by v.asset_id, v."checkDate" desc, v."ruleId"`;
}
