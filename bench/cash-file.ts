import { Random } from '../src/demo/random.js';
import { epochDay, isoDate } from '../src/lib/dates.js';
import { formatScaled } from '../src/lib/decimal.js';

const FIRST_DAY = epochDay('2025-07-01');
const DAYS = 365;

export interface CashAccount {
  name: string;
  currency: string;
}

/**
 * Valid movements in date order over the year after the book: each account opens with income, then
 * expenses, income, payments to counterparties and transfers between accounts of one currency; an
 * outflow an account cannot cover becomes income instead, so that no row breaks an overdraft limit.
 */
export function cashCsv(accounts: readonly CashAccount[], rows: number, run: string): string {
  const random = new Random(1, 'bench-cash');
  const balance = new Map<CashAccount, number>();
  const byCurrency = new Map<string, CashAccount[]>();
  for (const account of accounts) byCurrency.set(account.currency, [...(byCurrency.get(account.currency) ?? []), account]);
  const lines = [
    'external_id,account_ref,date,amount,currency,section,category,description,counterparty_name,counterparty_account,transfer_group_id',
  ];
  const row = (account: CashAccount, day: string, cents: number, section: string, description: string, counterparty = '', group = '') =>
    lines.push(
      `${run}-${lines.length},"${account.name}",${day},${formatScaled(cents, 2)},${account.currency},${section},,${description},${counterparty},,${group}`,
    );
  for (const account of accounts) {
    const cents = random.int(100_000, 5_000_000);
    row(account, isoDate(FIRST_DAY), cents, 'INCOME', 'Opening balance');
    balance.set(account, cents);
  }
  while (lines.length - 1 < rows) {
    const day = isoDate(FIRST_DAY + Math.floor(((lines.length - 1) / rows) * DAYS));
    const account = random.pick(accounts);
    const held = balance.get(account)!;
    const action = random.next();
    const cents = random.int(100, 200_000);
    if (action < 0.2 && rows - (lines.length - 1) >= 2 && held >= cents) {
      const peers = byCurrency.get(account.currency)!.filter((peer) => peer !== account);
      if (peers.length > 0) {
        const peer = random.pick(peers);
        const group = `${run}-g${lines.length}`;
        row(account, day, -cents, 'TRANSFER', 'Transfer', '', group);
        row(peer, day, cents, 'TRANSFER', 'Transfer', '', group);
        balance.set(account, held - cents);
        balance.set(peer, balance.get(peer)! + cents);
        continue;
      }
    }
    if (action < 0.75 && held >= cents) {
      const payment = action < 0.65;
      row(account, day, -cents, payment ? 'EXPENSE' : 'TRANSFER', payment ? 'CARD CITY SUPERMARKET' : 'Payment', payment ? '' : 'Someone');
      balance.set(account, held - cents);
    } else {
      row(account, day, cents, 'INCOME', 'SALARY', 'Employer');
      balance.set(account, held + cents);
    }
  }
  return `${lines.join('\n')}\n`;
}
