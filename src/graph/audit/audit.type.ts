import { DateTimeResolver, JSONObjectResolver } from 'graphql-scalars';
import { ArgsType, Field, ID, InputType, ObjectType } from 'type-graphql';
import { Connection, ConnectionArgs } from '../common/connection.js';

@ObjectType({ description: 'An entry of the tamper-evident audit log (docs/audit.md).' })
export class AuditEntry {
  @Field(() => ID, { description: 'The gap-free sequence number, from 1.' })
  seq!: string;

  @Field(() => DateTimeResolver, { description: 'When it was written, inside the transaction of the change.' })
  at!: Date;

  @Field(() => String, { description: "The token's subject; `system:<name>` for schedules, workers and command lines." })
  actorSubject!: string;

  @Field(() => String, { nullable: true, description: "The token's role; null for a system actor." })
  actorRole!: string | null;

  @Field(() => String, { description: 'What was done: a stable name such as trade.recorded (docs/audit.md lists them).' })
  action!: string;

  @Field(() => String, { description: 'The kind of thing changed, such as trade or portfolio.' })
  entity!: string;

  @Field(() => String, { nullable: true })
  entityId!: string | null;

  @Field(() => JSONObjectResolver, {
    description: 'What changed: inputs and resulting ids. Re-verify from the database text (audit:verify), not from this JSON.',
  })
  payload!: Record<string, unknown>;

  @Field(() => String, { description: "The previous entry's hash, SHA-256 in hex; 64 zeros for the first." })
  prevHash!: string;

  @Field(() => String, { description: 'SHA-256 in hex of prevHash and the canonical serialization of the entry.' })
  hash!: string;
}

@ObjectType({ description: 'The latest entry of the audit log: keep seq and hash outside the database as a checkpoint.' })
export class AuditLogHead {
  @Field(() => ID)
  seq!: string;

  @Field(() => String)
  hash!: string;

  @Field(() => DateTimeResolver)
  at!: Date;
}

@InputType({ description: 'The conditions all hold together; the time range includes both ends.' })
export class AuditLogFilter {
  @Field(() => String, { nullable: true, description: 'An action name, exactly.' })
  action?: string | null;

  @Field(() => String, { nullable: true, description: 'An actor subject, exactly, such as alice or system:rebuild-worker.' })
  actor?: string | null;

  @Field(() => String, { nullable: true, description: 'An entity kind, exactly.' })
  entity?: string | null;

  @Field(() => String, { nullable: true, description: 'An entity id, exactly; with entity, the history of one thing.' })
  entityId?: string | null;

  @Field(() => DateTimeResolver, { nullable: true })
  from?: Date | null;

  @Field(() => DateTimeResolver, { nullable: true })
  to?: Date | null;
}

@ArgsType()
export class AuditLogArgs extends ConnectionArgs {
  @Field(() => AuditLogFilter, { nullable: true })
  filter?: AuditLogFilter | null;
}

@ObjectType({ description: 'Audit entries, newest first (by seq).' })
export class AuditEntryConnection extends Connection(AuditEntry) {}
