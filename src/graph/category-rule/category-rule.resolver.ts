import { Arg, Authorized, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import { viewerActor } from '../../audit/actor.js';
import type { Role } from '../../auth/viewer.js';
import { deleteCategoryRule, setCategoryRule } from '../../ledger/category-rules.js';
import { listComplexity } from '../common/complexity.js';
import { parseId } from '../common/ids.js';
import type { Context } from '../context.js';
import { categoryRuleById, categoryRules } from './category-rule.sql.js';
import { CashCategoryRule, CashCategoryRuleInput } from './category-rule.type.js';
import { Reads } from '../cache/reads.js';

const RULES_ESTIMATE = 50;

@Resolver(() => CashCategoryRule)
export class CategoryRuleResolver {
  @Authorized<Role>('ANALYST')
  @Reads('ledger')
  @Query(() => [CashCategoryRule], {
    description: 'The category rules in the order they are tried. Needs ANALYST.',
    complexity: listComplexity(RULES_ESTIMATE),
  })
  cashCategoryRules(@Ctx() { sql }: Context): Promise<CashCategoryRule[]> {
    return categoryRules(sql);
  }

  @Authorized<Role>('ANALYST')
  @Mutation(() => CashCategoryRule, {
    description: 'Adds or changes a category rule; it classifies what is booked from then on. Needs ANALYST.',
  })
  async setCashCategoryRule(
    @Arg('input', () => CashCategoryRuleInput) input: CashCategoryRuleInput,
    @Ctx() { sql, viewer }: Context,
  ): Promise<CashCategoryRule> {
    const id = await setCategoryRule(
      sql,
      {
        id: input.id == null ? null : parseId(input.id, 'input.id'),
        field: input.field,
        pattern: input.pattern,
        category: input.category,
        priority: input.priority ?? 100,
      },
      viewerActor(viewer),
    );
    return (await categoryRuleById(sql, id))!;
  }

  @Authorized<Role>('ANALYST')
  @Mutation(() => Boolean, { description: 'Removes a category rule; false when there was none. Needs ANALYST.' })
  deleteCashCategoryRule(@Arg('id', () => ID) id: string, @Ctx() { sql, viewer }: Context): Promise<boolean> {
    return deleteCategoryRule(sql, parseId(id, 'id'), viewerActor(viewer));
  }
}
