import type postgres from 'postgres';
import type { Sql } from '../infra/db.js';
import { isIsoDate, todayUtc } from '../lib/dates.js';
import { copyLines } from '../infra/copy.js';
import { recomputeAllPositions } from '../trades/positions.js';
import { writeRiskMetrics } from '../risk/engine.js';
import { INDEX_ASSET_ID } from './assets.js';
import { type LedgerReport, seedLedger } from './ledger.js';
import { DERIVED_TABLES, LEDGER_TABLES, RECORD_TABLES, SOURCE_TABLES, type SourceTable, tableContents } from './tables.js';
import { DemoWorld } from './world.js';

export interface SeedOptions {
  assets: number;
  days: number;
  portfolios: number;
  seed: number;
  /** The last day of the generated history (the last weekday on or before it); today (UTC) by default. */
  asOf?: string;
  /** Replace whatever the source tables hold; without it, seeding refuses to touch tables with data. */
  reset?: boolean;
}

export interface SeedReport {
  asOf: string;
  firstDate: string;
  lastDate: string;
  seconds: number;
  rows: Record<SourceTable, number>;
  tableSeconds: Record<SourceTable, number>;
  /** The owners, accounts and cash of src/demo/ledger.ts. */
  ledger: LedgerReport;
}

export const SEED_LIMITS = {
  assets: { min: 1, max: 1_000_000 },
  days: { min: 2, max: 5_000 },
  portfolios: { min: 1, max: 1_000 },
  seed: { min: 0, max: 2 ** 31 - 1 },
} as const;

export class SeedError extends Error {
  constructor(
    readonly code: 'SEED_REFUSED' | 'SEED_INVALID',
    message: string,
  ) {
    super(message);
    this.name = 'SeedError';
  }
}

/** The annual risk-free rate of the demo's Sharpe ratios. */
const DEMO_RISK_FREE_RATE = 0.03;

/** Any fixed bigint works; this one spells "seeddemo" in ASCII. */
const SEED_LOCK = 0x7365656464656d6fn;

/**
 * Fills the source tables with deterministic demo data in one transaction: all of it or none.
 * The same options (with an explicit asOf) always give the same rows, ids included.
 */
export async function seedDemo(sql: Sql, options: SeedOptions, log: (message: string) => void = () => {}): Promise<SeedReport> {
  const asOf = options.asOf ?? todayUtc();
  validate({ ...options, asOf });
  const started = performance.now();
  const world = new DemoWorld({ ...options, asOf });
  const rows = {} as Record<SourceTable, number>;
  const tableSeconds = {} as Record<SourceTable, number>;
  let ledger: LedgerReport | undefined;

  await sql.begin(async (tx) => {
    // Losing a demo load to a crash right after commit costs nothing; waiting for the WAL flush does.
    await tx`set local synchronous_commit = off`;
    await tx`select pg_advisory_xact_lock(${SEED_LOCK.toString()}::bigint)`;
    await emptyTables(tx, options.reset ?? false);
    const foreignKeys = await dropForeignKeys(tx);

    const contents = tableContents(world);
    for (const content of contents) {
      const tableStarted = performance.now();
      rows[content.table] = await copyLines(tx, content.table, content.columns, content.rows(), { freeze: true });
      tableSeconds[content.table] = (performance.now() - tableStarted) / 1000;
      log(`${content.table}: ${rows[content.table].toLocaleString('en-US')} rows in ${tableSeconds[content.table].toFixed(1)} s`);
    }

    const checking = performance.now();
    // One statement for all sequences: each statement right after a COPY waits out a delayed TCP ack.
    const identities = contents.flatMap((content) =>
      content.identity === null
        ? []
        : [
            `setval(pg_get_serial_sequence('${content.table}', '${content.identity}'), (select max(${content.identity}) from ${content.table}))`,
          ],
    );
    await tx.unsafe(`select ${identities.join(', ')}`);
    for (const foreignKey of foreignKeys) {
      await tx.unsafe(`alter table ${foreignKey.table} add constraint ${foreignKey.name} ${foreignKey.definition}`);
    }
    await tx.unsafe(`analyze ${SOURCE_TABLES.join(', ')}`);
    log(`sequences set, foreign keys checked and statistics gathered in ${((performance.now() - checking) / 1000).toFixed(1)} s`);

    const recomputing = performance.now();
    await recomputeAllPositions(tx);
    await tx.unsafe(`analyze ${DERIVED_TABLES.join(', ')}`);
    log(`lots and realized results computed in ${((performance.now() - recomputing) / 1000).toFixed(1)} s`);

    const ledgering = performance.now();
    ledger = await seedLedger(tx, world);
    log(
      `ledger: ${ledger.accounts} accounts of ${ledger.users} users and ${ledger.organizations} organizations, ` +
        `${ledger.movements.toLocaleString('en-US')} cash movements (${ledger.tradeLegs.toLocaleString('en-US')} trade settlements) ` +
        `in ${((performance.now() - ledgering) / 1000).toFixed(1)} s`,
    );

    // risk_metrics come from the risk engine, the one implementation of the figures, for every Friday
    // of the build's risk window: what asset_360 averages. The demo measures against its index at 3 %.
    const risking = performance.now();
    await tx`update asset_360_settings set risk_benchmark_asset_id = ${INDEX_ASSET_ID}, risk_free_rate = ${DEMO_RISK_FREE_RATE}`;
    const [{ fridays }] = await tx<[{ fridays: string[] | null }]>`
      select array_agg(d::date::text order by d) as fridays
      from asset_360_settings s, generate_series(${world.calendar.last}::date - s.risk_window, ${world.calendar.last}::date, interval '1 day') d
      where extract(isodow from d) = 5 and d::date >= ${world.calendar.first}::date`;
    const risk = await writeRiskMetrics(tx, fridays ?? []);
    rows.risk_metrics = risk.rows;
    tableSeconds.risk_metrics = (performance.now() - risking) / 1000;
    await tx.unsafe('analyze risk_metrics');
    log(`risk_metrics: ${risk.rows.toLocaleString('en-US')} rows from the risk engine in ${tableSeconds.risk_metrics.toFixed(1)} s`);
  });

  return {
    asOf,
    firstDate: world.calendar.first,
    lastDate: world.calendar.last,
    seconds: (performance.now() - started) / 1000,
    rows,
    tableSeconds,
    ledger: ledger!,
  };
}

function validate(options: SeedOptions & { asOf: string }): void {
  for (const [name, { min, max }] of Object.entries(SEED_LIMITS)) {
    const value = options[name as keyof typeof SEED_LIMITS];
    if (!Number.isInteger(value) || value < min || value > max) {
      throw new SeedError('SEED_INVALID', `${name} must be an integer from ${min} to ${max} (got ${value})`);
    }
  }
  if (!isIsoDate(options.asOf))
    throw new SeedError('SEED_INVALID', `asOf must be a date written YYYY-MM-DD (got ${JSON.stringify(options.asOf)})`);
}

/**
 * Refuses to overwrite data unless told to. Truncating even empty tables is deliberate: COPY FREEZE
 * is allowed only into a table truncated (or created) in the same transaction, and frozen rows are
 * visible to index-only scans at once and spare the first reader from rewriting every page.
 * asset_360 (once a migration creates it) mirrors asset_master, so it goes with it; the build
 * history goes only on reset.
 */
async function emptyTables(tx: postgres.TransactionSql, reset: boolean): Promise<void> {
  const occupied: string[] = [];
  for (const table of [...SOURCE_TABLES, ...RECORD_TABLES]) {
    const [row] = await tx<{ occupied: boolean }[]>`select exists (select from ${tx(table)}) as occupied`;
    if (row?.occupied) occupied.push(table);
  }
  if (occupied.length > 0 && !reset) {
    throw new SeedError('SEED_REFUSED', `refusing to seed: ${occupied.join(', ')} already hold data; pass --reset to replace everything`);
  }
  const [derived] = await tx<{ asset_360: boolean }[]>`
    select exists (select from pg_class where oid = to_regclass('asset_360') and relkind in ('r', 'p')) as asset_360`;
  const tables = [
    ...SOURCE_TABLES,
    ...DERIVED_TABLES,
    ...LEDGER_TABLES,
    ...RECORD_TABLES,
    ...(derived?.asset_360 ? ['asset_360'] : []),
    ...(reset ? ['asset_360_builds'] : []),
  ];
  await tx`truncate ${tx(tables)} restart identity`;
}

interface ForeignKey {
  table: string;
  name: string;
  definition: string;
}

/**
 * Checking foreign keys row by row more than doubles the time of the COPY; one validating join per
 * constraint after the load is far cheaper. (Deferring the indexes too gained nothing: the load is
 * then bound by generating the rows.) The definitions are read back from the catalog, so re-adding
 * them restores exactly what the migrations created.
 */
async function dropForeignKeys(tx: postgres.TransactionSql): Promise<ForeignKey[]> {
  const foreignKeys = await tx<ForeignKey[]>`
    select quote_ident(c.relname) as "table", quote_ident(k.conname) as name, pg_get_constraintdef(k.oid) as definition
    from pg_constraint k
    join pg_class c on c.oid = k.conrelid
    where k.contype = 'f' and k.conrelid = any(${[...SOURCE_TABLES]}::regclass[])
    order by c.relname, k.conname`;
  for (const foreignKey of foreignKeys) {
    await tx.unsafe(`alter table ${foreignKey.table} drop constraint ${foreignKey.name}`);
  }
  return [...foreignKeys];
}
