import { Readable } from 'node:stream';
import { beforeAll, describe, expect, it } from 'vitest';
import { systemActor, viewerActor } from '../../src/audit/actor.js';
import { ADMIN } from '../../src/auth/viewer.js';
import { deleteCategoryRule, setCategoryRule } from '../../src/ledger/category-rules.js';
import { importCashTransactions } from '../../src/ledger/import/import-cash.js';
import { transfer, type TransferRequest } from '../../src/ledger/transfer.js';
import { recordTrade } from '../../src/trades/record-trade.js';
import { entriesAfter, headSeq } from '../audit/support.js';
import { useTestDatabase } from '../support/database.js';
import { tradingBook } from '../trades/support.js';
import { deposit, ledgerBook } from './support.js';

const db = useTestDatabase();
const alice = { role: 'VIEWER' as const, subject: 'alice', portfolios: ['1'] };

beforeAll(async () => {
  await tradingBook(db.sql);
  await ledgerBook(db.sql);
  await deposit(db.sql, '1', '1000', '2025-01-02');
  await deposit(db.sql, '3', '5000', '2025-01-02');
});

const TRANSFER: TransferRequest = {
  fromAccountId: '1',
  toAccountId: '2',
  counterpartyName: null,
  counterpartyAccount: null,
  amount: '10',
  currency: 'USD',
  fxRate: null,
  date: '2025-02-03',
  description: null,
  category: null,
  section: 'TRANSFER',
  externalId: 'audit-1',
};

describe('the audit log of the ledger', () => {
  it('records one cash.transfer per booked transfer, none for a retry or a refusal', async () => {
    const before = await headSeq(db.sql);
    const booked = await transfer(db.sql, alice, TRANSFER, viewerActor(alice));
    await transfer(db.sql, alice, TRANSFER, viewerActor(alice));
    await expect(transfer(db.sql, alice, { ...TRANSFER, amount: '99999', externalId: null }, viewerActor(alice))).rejects.toThrow();
    const entries = await entriesAfter(db.sql, before);
    expect(entries).toEqual([
      expect.objectContaining({
        actorSubject: 'alice',
        actorRole: 'VIEWER',
        action: 'cash.transfer',
        entity: 'transfer_group',
        entityId: booked.transferGroup,
        payload: expect.objectContaining({ movement_ids: booked.movementIds, amount: '10', from_account_id: '1', to_account_id: '2' }),
      }),
    ]);
  });

  it('records one cash.imported per accepted file, none for a rejected one', async () => {
    const before = await headSeq(db.sql);
    const header = 'external_id,account_ref,date,amount,currency,section\n';
    await importCashTransactions(
      db.sql,
      ADMIN,
      Readable.from([`${header}a-1,Alice Checking,2025-02-04,5,USD,INCOME\n`]),
      systemActor('test'),
      'a.csv',
    );
    const rejected = await importCashTransactions(
      db.sql,
      ADMIN,
      Readable.from([`${header}a-2,Nobody,2025-02-04,5,USD,INCOME\n`]),
      systemActor('test'),
    );
    expect(rejected.errors).toHaveLength(1);
    const entries = await entriesAfter(db.sql, before);
    expect(entries).toEqual([
      expect.objectContaining({
        action: 'cash.imported',
        entity: 'cash_file',
        payload: expect.objectContaining({
          file: 'a.csv',
          rows: 1,
          imported: 1,
          duplicates: 0,
          sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
        }),
      }),
    ]);
  });

  it('records cash_rule.set and cash_rule.deleted, and nothing for a rule that was not there', async () => {
    const before = await headSeq(db.sql);
    const id = await setCategoryRule(
      db.sql,
      { id: null, field: 'DESCRIPTION', pattern: 'rent', category: 'Housing', priority: 1 },
      systemActor('test'),
    );
    expect(await deleteCategoryRule(db.sql, id, systemActor('test'))).toBe(true);
    expect(await deleteCategoryRule(db.sql, id, systemActor('test'))).toBe(false);
    expect((await entriesAfter(db.sql, before)).map((entry) => [entry.action, entry.entityId])).toEqual([
      ['cash_rule.set', id],
      ['cash_rule.deleted', id],
    ]);
  });

  it('keeps a trade and its cash leg in the trade’s one entry', async () => {
    const before = await headSeq(db.sql);
    const tradeId = await recordTrade(
      db.sql,
      {
        assetId: '1',
        portfolioId: '1',
        counterpartyId: null,
        type: 'BUY',
        date: '2025-01-06',
        quantity: '2',
        price: '100',
        costs: '1',
        currency: null,
        externalId: null,
      },
      systemActor('test'),
    );
    const entries = await entriesAfter(db.sql, before);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      action: 'trade.recorded',
      entityId: tradeId,
      payload: { cash_leg: { account_id: '3', amount: '-201', currency: 'USD' } },
    });
  });
});
