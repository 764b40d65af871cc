import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { DateTimeResolver } from 'graphql-scalars';
import { Connection } from '../common/connection.js';
import { DateScalar } from '../common/scalars.js';

/** The values are what asset_360_builds.status stores. */
export enum BuildStatus {
  RUNNING = 'running',
  SUCCEEDED = 'succeeded',
  FAILED = 'failed',
}
registerEnumType(BuildStatus, { name: 'BuildStatus' });

@ObjectType({ description: 'One run of create_asset_360: a row of asset_360_builds.' })
export class Asset360Build {
  @Field(() => ID)
  id!: string;

  @Field(() => DateScalar)
  asOf!: string;

  @Field(() => BuildStatus)
  status!: BuildStatus;

  @Field(() => DateTimeResolver)
  startedAt!: Date;

  @Field(() => DateTimeResolver, { nullable: true })
  finishedAt!: Date | null;

  @Field(() => Int, { nullable: true, description: 'Rows published; null until the build succeeds.' })
  rowCount!: number | null;

  @Field(() => String, { nullable: true, description: 'Why the build failed.' })
  error!: string | null;
}

@ObjectType({ description: 'Builds, newest first.' })
export class Asset360BuildConnection extends Connection(Asset360Build) {}
