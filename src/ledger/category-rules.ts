import type { Actor } from '../audit/actor.js';
import { recordAudit } from '../audit/record.js';
import type { Sql } from '../infra/db.js';
import { BadUserInputError } from '../lib/errors.js';

export type RuleField = 'DESCRIPTION' | 'COUNTERPARTY';

/** A classification rule (db/0035): the first rule by (priority, id) whose pattern occurs in its field gives the category. */
export interface CategoryRuleRequest {
  /** The rule to change; null adds one. */
  id: string | null;
  field: RuleField;
  pattern: string;
  category: string;
  priority: number;
}

/**
 * Adds or changes a rule and returns its id. Rules classify the movements booked after the change;
 * the movements already booked keep their category, as the ledger is never rewritten.
 */
export async function setCategoryRule(sql: Sql, request: CategoryRuleRequest, actor: Actor): Promise<string> {
  const pattern = request.pattern.trim();
  const category = request.category.trim();
  if (pattern.length < 1 || pattern.length > 200)
    throw new BadUserInputError('input.pattern must be 1 to 200 characters long', 'input.pattern');
  if (category.length < 1 || category.length > 100) {
    throw new BadUserInputError('input.category must be 1 to 100 characters long', 'input.category');
  }
  if (!Number.isInteger(request.priority) || Math.abs(request.priority) > 1_000_000) {
    throw new BadUserInputError('input.priority must be an integer from -1000000 to 1000000', 'input.priority');
  }
  return sql.begin(async (tx) => {
    const [row] =
      request.id === null
        ? await tx<{ id: string }[]>`
            insert into cash_category_rules (field, pattern, category, priority)
            values (${request.field}, ${pattern}, ${category}, ${request.priority})
            returning rule_id::text as id`
        : await tx<{ id: string }[]>`
            update cash_category_rules
            set field = ${request.field}, pattern = ${pattern}, category = ${category}, priority = ${request.priority}, updated_at = now()
            where rule_id = ${request.id}::bigint
            returning rule_id::text as id`;
    if (!row) throw new BadUserInputError(`input.id ${request.id} is not a category rule`, 'input.id');
    await recordAudit(tx, {
      actor,
      action: 'cash_rule.set',
      entity: 'cash_category_rule',
      entityId: row.id,
      payload: { rule_id: row.id, added: request.id === null, field: request.field, pattern, category, priority: request.priority },
    });
    return row.id;
  });
}

/** Removes a rule; false when there was none with this id. */
export async function deleteCategoryRule(sql: Sql, id: string, actor: Actor): Promise<boolean> {
  return sql.begin(async (tx) => {
    const [removed] = await tx<{ field: string; pattern: string; category: string; priority: number }[]>`
      delete from cash_category_rules where rule_id = ${id}::bigint returning field, pattern, category, priority`;
    if (!removed) return false;
    await recordAudit(tx, {
      actor,
      action: 'cash_rule.deleted',
      entity: 'cash_category_rule',
      entityId: id,
      payload: { rule_id: id, ...removed },
    });
    return true;
  });
}
