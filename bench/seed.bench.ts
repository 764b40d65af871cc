import { parseArgs } from 'node:util';
import { todayUtc } from '../src/lib/dates.js';
import { seedDemo } from '../src/demo/seed.js';
import { SOURCE_TABLES } from '../src/demo/tables.js';
import { createSql } from '../src/infra/db.js';
import { migrate } from '../src/infra/migrate.js';

/** Seeds a scratch database on the test server and reports seconds and rows per second per table. */
const { values } = parseArgs({
  options: {
    assets: { type: 'string', default: '10000' },
    days: { type: 'string', default: '252' },
    portfolios: { type: 'string', default: '8' },
    seed: { type: 'string', default: '360' },
    'as-of': { type: 'string', default: todayUtc() },
    keep: { type: 'boolean', default: false },
  },
});

const DATABASE = 'asset360_bench_seed';
const adminUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const benchUrl = new URL(adminUrl);
benchUrl.pathname = `/${DATABASE}`;

const admin = createSql(adminUrl, { max: 1 });
await admin`drop database if exists ${admin(DATABASE)} with (force)`;
await admin`create database ${admin(DATABASE)}`;
const sql = createSql(benchUrl.toString(), { max: 2 });
try {
  await migrate(sql);
  const options = {
    assets: Number(values.assets),
    days: Number(values.days),
    portfolios: Number(values.portfolios),
    seed: Number(values.seed),
    asOf: values['as-of'],
  };
  console.log(`seeding ${JSON.stringify(options)} into ${DATABASE}`);
  const report = await seedDemo(sql, options, (message) => console.log(`  ${message}`));
  console.log(`\n${'table'.padEnd(22)}${'rows'.padStart(12)}${'seconds'.padStart(10)}${'rows/s'.padStart(12)}`);
  for (const table of SOURCE_TABLES) {
    const rows = report.rows[table];
    const seconds = report.tableSeconds[table];
    console.log(
      `${table.padEnd(22)}${rows.toLocaleString('en-US').padStart(12)}${seconds.toFixed(2).padStart(10)}${Math.round(
        rows / Math.max(seconds, 1e-6),
      )
        .toLocaleString('en-US')
        .padStart(12)}`,
    );
  }
  const total = Object.values(report.rows).reduce((sum, rows) => sum + rows, 0);
  console.log(
    `${'total'.padEnd(22)}${total.toLocaleString('en-US').padStart(12)}${report.seconds.toFixed(2).padStart(10)}${Math.round(
      total / report.seconds,
    )
      .toLocaleString('en-US')
      .padStart(12)}`,
  );
} finally {
  await sql.end({ timeout: 5 });
  if (!values.keep) await admin`drop database if exists ${admin(DATABASE)} with (force)`;
  await admin.end({ timeout: 5 });
}
