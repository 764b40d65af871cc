import type { Sql } from '../../infra/db.js';
import type { CashCategoryRule } from './category-rule.type.js';

const COLUMNS = 'rule_id::text as id, field, pattern, category, priority, updated_at as "updatedAt"';

/** Every rule, in the order they are tried. */
export function categoryRules(sql: Sql): Promise<CashCategoryRule[]> {
  return sql<CashCategoryRule[]>`select ${sql.unsafe(COLUMNS)} from cash_category_rules order by priority, rule_id`;
}

export async function categoryRuleById(sql: Sql, id: string): Promise<CashCategoryRule | undefined> {
  const [rule] = await sql<CashCategoryRule[]>`select ${sql.unsafe(COLUMNS)} from cash_category_rules where rule_id = ${id}::bigint`;
  return rule;
}
