import { Arg, Ctx, ID, Resolver, Root, Subscription } from 'type-graphql';
import { RebuildJobState, RebuildsUnavailableError } from '../../jobs/rebuild.control.js';
import { mapEvents } from '../../lib/events.js';
import { BadUserInputError, ForbiddenError, UnavailableError } from '../../lib/errors.js';
import type { LiveEvents } from '../../live/live-events.js';
import { requireRole } from '../access.js';
import { buildRowById, currentBuildRow } from '../build/build.sql.js';
import { Asset360Build } from '../build/build.type.js';
import type { Context } from '../context.js';
import { createLoaders } from '../loaders.js';
import { rebuildsOf } from '../common/rebuilds.js';
import { RebuildJob } from '../rebuild/rebuild.type.js';
import { tradeById } from '../trade/trade.sql.js';
import { Trade } from '../trade/trade.type.js';

function liveEvents(context: Context): LiveEvents {
  if (!context.live) throw new UnavailableError('this server runs without Redis: subscriptions are unavailable');
  return context.live;
}

/**
 * A subscription's context lives as long as it does: each event gets fresh loaders, so that no
 * event is answered from what an earlier one cached.
 */
function freshLoaders(context: Context): void {
  context.loaders = createLoaders(context.sql, context.viewer);
}

@Resolver()
export class LiveResolver {
  @Subscription(() => Asset360Build, {
    description: 'Each build of asset_360 that succeeds, from whichever worker ran it; after a Redis outage, the current build.',
    subscribe: ({ context }) => {
      const ctx = context as Context;
      return mapEvents(
        liveEvents(ctx).builds(),
        async (buildId) => (buildId === null ? await currentBuildRow(ctx.sql) : await buildRowById(ctx.sql, buildId)) ?? undefined,
      );
    },
  })
  asset360BuildPublished(@Root() build: Asset360Build, @Ctx() context: Context): Asset360Build {
    freshLoaders(context);
    return build;
  }

  // Checked in subscribe (requireRole), before anything is listened to: type-graphql's @Authorized
  // would only run once per event, after the subscription had started.
  @Subscription(() => RebuildJob, {
    description:
      'A rebuild job as it changes: its current state first, then at each change (waiting, active, progress, retry, end); ' +
      'the stream ends once the job has completed or failed for good. Needs OPERATOR.',
    subscribe: ({ args, context }) => {
      const ctx = context as Context;
      requireRole(ctx.viewer, 'OPERATOR', 'Subscription.rebuildJobUpdated');
      const id = String(args.id);
      if (!/^[\w:.-]{1,200}$/.test(id))
        throw new BadUserInputError(`id must be a rebuild job id, got ${JSON.stringify(id.slice(0, 40))}`, 'id');
      const rebuilds = rebuildsOf(ctx);
      const read = async (): Promise<RebuildJob | undefined> => {
        try {
          return (await rebuilds.job(id)) ?? undefined;
        } catch (error) {
          if (error instanceof RebuildsUnavailableError) return undefined;
          throw error;
        }
      };
      const live = liveEvents(ctx);
      return mapEvents(live.rebuildJobs(), async (event) => (event.jobId === id ? read() : undefined), {
        first: async () => {
          await live.jobEventsReady().catch(() => {});
          return read();
        },
        last: (job) => job.state === RebuildJobState.COMPLETED || job.state === RebuildJobState.FAILED,
      });
    },
  })
  rebuildJobUpdated(
    @Arg('id', () => ID, { description: 'The id rebuildAsset360 returned.' }) _id: string,
    @Root() job: RebuildJob,
    @Ctx() context: Context,
  ): RebuildJob {
    freshLoaders(context);
    return job;
  }

  @Subscription(() => Trade, {
    description:
      'Each trade recordTrade records, on any server. A VIEWER hears only the portfolios its token lists, and may not name another. ' +
      'Without portfolioId: every portfolio the token may see.',
    subscribe: ({ args, context }) => {
      const ctx = context as Context;
      const portfolioId = args.portfolioId === undefined || args.portfolioId === null ? undefined : String(args.portfolioId);
      const visible = ctx.viewer.portfolios;
      if (portfolioId !== undefined && visible !== undefined && !visible.includes(portfolioId)) {
        throw new ForbiddenError('a VIEWER may follow only the portfolios its token lists');
      }
      const wanted = (id: string) => (portfolioId === undefined || id === portfolioId) && (visible === undefined || visible.includes(id));
      return mapEvents(liveEvents(ctx).trades(), async (event) => {
        if (!wanted(event.portfolioId)) return undefined;
        const trade = await tradeById(ctx.sql, event.tradeId);
        return trade && wanted(trade.portfolioId) ? trade : undefined;
      });
    },
  })
  tradeRecorded(
    @Arg('portfolioId', () => ID, { nullable: true, description: 'Only this portfolio.' }) _portfolioId: string | null | undefined,
    @Root() trade: Trade,
    @Ctx() context: Context,
  ): Trade {
    freshLoaders(context);
    return trade;
  }
}
