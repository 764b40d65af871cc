import { Args, Authorized, Ctx, Query, Resolver } from 'type-graphql';
import type { Role } from '../../auth/viewer.js';
import { AGGREGATE_COMPLEXITY, pageComplexity } from '../common/complexity.js';
import type { Page } from '../common/connection.js';
import type { Context } from '../context.js';
import { auditLogHead, auditLogPage } from './audit.sql.js';
import { AuditEntry, AuditEntryConnection, AuditLogArgs, AuditLogHead } from './audit.type.js';
import { Reads } from '../cache/reads.js';

@Resolver(() => AuditEntry)
export class AuditResolver {
  @Authorized<Role>('OPERATOR')
  @Reads('audit')
  @Query(() => AuditEntryConnection, {
    description: 'The audit log, newest first. Needs OPERATOR.',
    complexity: pageComplexity(AGGREGATE_COMPLEXITY),
  })
  auditLog(@Args(() => AuditLogArgs) args: AuditLogArgs, @Ctx() { sql }: Context): Promise<Page<AuditEntry>> {
    return auditLogPage(sql, args);
  }

  @Authorized<Role>('OPERATOR')
  @Reads('audit')
  @Query(() => AuditLogHead, { nullable: true, description: 'The latest audit entry; null while the log is empty. Needs OPERATOR.' })
  auditLogHead(@Ctx() { sql }: Context): Promise<AuditLogHead | null> {
    return auditLogHead(sql);
  }
}
