import { Readable } from 'node:stream';
import { Arg, Authorized, Ctx, Mutation, Resolver } from 'type-graphql';
import { viewerActor } from '../../audit/actor.js';
import { importTrades } from '../../trades/import/import-trades.js';
import { recordTrade } from '../../trades/record-trade.js';
import type { Role } from '../../auth/viewer.js';
import type { Context } from '../context.js';
import { ImportResult } from './trade.import.type.js';
import { TradeInput, tradeRequest } from './trade.inputs.js';
import { tradeById } from './trade.sql.js';
import { Trade } from './trade.type.js';

@Resolver()
export class TradeMutationResolver {
  @Authorized<Role>('ANALYST')
  @Mutation(() => Trade, {
    description:
      'Records a trade and recomputes the lots and realized P&L of its position; refused with BAD_USER_INPUT, naming the field, ' +
      'when the input is invalid or the trade would oversell. Needs ANALYST.',
  })
  async recordTrade(@Arg('input', () => TradeInput) input: TradeInput, @Ctx() { sql, viewer, live }: Context): Promise<Trade> {
    const request = tradeRequest(input);
    const id = await recordTrade(sql, request, viewerActor(viewer));
    // Committed already: an announcement Redis could not take is logged, and the trade stands.
    await live?.publishTrade({ tradeId: id, portfolioId: request.portfolioId });
    return (await tradeById(sql, id))!;
  }

  @Authorized<Role>('ANALYST')
  @Mutation(() => ImportResult, {
    description:
      'Imports a CSV of trades (format in docs/trades.md), all or nothing: a file with any bad row imports nothing and lists every error. ' +
      'Rows whose external_id is known are skipped. Bounded by the request size limit; larger files go through npm run import. Needs ANALYST.',
  })
  importTrades(@Arg('csv', () => String) csv: string, @Ctx() { sql, viewer }: Context): Promise<ImportResult> {
    return importTrades(sql, Readable.from([csv]), viewerActor(viewer));
  }
}
