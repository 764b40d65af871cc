import { epochDay, isoDate } from '../lib/dates.js';
import { FIRST_NAMES, LAST_NAMES } from './catalog.js';
import type { AccountPlan, OwnerPlan } from './owners.js';
import { iban } from './owners.js';
import { Random } from './random.js';
import type { DemoWorld } from './world.js';

export type Section = 'INCOME' | 'EXPENSE' | 'TRANSFER';

export interface CashLeg {
  accountId: number;
  day: number;
  /** Signed, in cents of the account currency. */
  cents: number;
  section: Section;
  /** Null for the category rules to decide (procedures/cash_category.sql). */
  category: string | null;
  description: string;
  counterpartyName: string | null;
  counterpartyAccount: string | null;
  transferGroup: string | null;
}

/** The rules the demo's movements are classified by, in the order they are tried. */
export const DEMO_RULES: ReadonlyArray<readonly ['DESCRIPTION' | 'COUNTERPARTY', string, string]> = [
  ['DESCRIPTION', 'SALARY', 'Salary'],
  ['DESCRIPTION', 'PAYROLL', 'Payroll'],
  ['DESCRIPTION', 'INVOICE', 'Revenue'],
  ['COUNTERPARTY', 'Property Management', 'Housing'],
  ['DESCRIPTION', 'SUPERMARKET', 'Groceries'],
  ['DESCRIPTION', 'GROCER', 'Groceries'],
  ['DESCRIPTION', 'RESTAURANT', 'Dining'],
  ['DESCRIPTION', 'CAFE', 'Dining'],
  ['DESCRIPTION', 'TAXI', 'Transport'],
  ['DESCRIPTION', 'RAIL', 'Transport'],
  ['DESCRIPTION', 'AIRLINE', 'Travel'],
  ['DESCRIPTION', 'HOTEL', 'Travel'],
  ['DESCRIPTION', 'STREAMING', 'Subscriptions'],
  ['DESCRIPTION', 'BOOKSHOP', 'Shopping'],
  ['DESCRIPTION', 'ELECTRONICS', 'Shopping'],
  ['COUNTERPARTY', 'Supplies', 'Suppliers'],
];

const CARD_MERCHANTS: ReadonlyArray<readonly [string, number, number]> = [
  ['CARD CITY SUPERMARKET', 15, 160],
  ['CARD CORNER GROCER', 5, 60],
  ['CARD RESTAURANT LA VIGNA', 25, 180],
  ['CARD CAFE CENTRAL', 3, 20],
  ['CARD TAXI CO', 8, 60],
  ['CARD RAIL TICKETS', 5, 120],
  ['CARD BOOKSHOP', 8, 60],
  ['CARD ELECTRONICS STORE', 20, 900],
];
const TRAVEL_MERCHANTS: ReadonlyArray<readonly [string, number, number]> = [
  ['CARD AIRLINE', 120, 1400],
  ['CARD HOTEL', 90, 600],
  ['CARD TAXI CO', 10, 90],
  ['CARD RESTAURANT', 20, 250],
];
const CASH_DAYS = 365;

/**
 * A year of cash up to the demo's last day, deterministic from the seed: salaries, rent,
 * subscriptions, card spending and savings transfers for households; revenue, payroll, suppliers
 * and expense advances for companies, whose employees spend on travel. Every account starts with an
 * opening balance, and a payment the account cannot cover that day is left out, so that the ledger
 * never breaks an overdraft limit.
 */
export function cashLegs(world: DemoWorld, owners: OwnerPlan): CashLeg[] {
  const last = epochDay(world.calendar.last);
  const first = last - (CASH_DAYS - 1);
  const events: Array<{ day: number; order: number; legs: CashLeg[] }> = [];
  let order = 0;
  const groupRandom = new Random(world.seed, 'cash-groups');
  const add = (legs: CashLeg[]) => events.push({ day: legs[0]!.day, order: order++, legs });
  const leg = (
    account: AccountPlan,
    day: number,
    cents: number,
    section: Section,
    description: string,
    extra: Partial<CashLeg> = {},
  ): CashLeg => ({
    accountId: account.id,
    day,
    cents,
    section,
    category: null,
    description,
    counterpartyName: null,
    counterpartyAccount: null,
    transferGroup: null,
    ...extra,
  });
  const transfer = (from: AccountPlan, to: AccountPlan, day: number, cents: number, description: string) => {
    const group = uuid(groupRandom);
    add([
      leg(from, day, -cents, 'TRANSFER', description, { transferGroup: group, category: 'Internal transfer' }),
      leg(to, day, cents, 'TRANSFER', description, { transferGroup: group, category: 'Internal transfer' }),
    ]);
  };
  const days = Array.from({ length: CASH_DAYS }, (_, index) => first + index);
  const dayOfMonth = (day: number) => Number(isoDate(day).slice(8, 10));
  const month = (day: number) => isoDate(day).slice(0, 7);

  for (const { userId, checking, savings } of owners.households) {
    const random = new Random(world.seed, 'household', userId);
    const salary = Math.round(random.uniform(3000, 9000)) * 100;
    const rent = Math.round(random.uniform(800, 2400)) * 100;
    const employer = `${random.pick(LAST_NAMES)} & ${random.pick(LAST_NAMES)} LLP`;
    const landlord = `${random.pick(LAST_NAMES)} Property Management`;
    const landlordIban = iban('DE', 100_000 + userId, world.seed);
    add([
      leg(checking, first, Math.round(random.uniform(2000, 12000)) * 100, 'INCOME', 'Opening balance', { category: 'Opening balance' }),
    ]);
    for (const day of days) {
      const date = dayOfMonth(day);
      if (date === 25)
        add([
          leg(checking, day, salary + Math.round(random.normal() * 5000), 'INCOME', `SALARY ${month(day)}`, { counterpartyName: employer }),
        ]);
      if (date === 1) {
        add([
          leg(checking, day, -rent, 'EXPENSE', `Rent ${month(day)}`, { counterpartyName: landlord, counterpartyAccount: landlordIban }),
        ]);
      }
      if (date === 3) add([leg(checking, day, -1599, 'EXPENSE', 'STREAMING SERVICE')]);
      if (date === 27) transfer(checking, savings, day, Math.round((salary * random.uniform(0.1, 0.25)) / 100) * 100, 'Monthly savings');
      if (date === 15 && random.chance(0.25)) {
        const friend = `${random.pick(FIRST_NAMES)} ${random.pick(LAST_NAMES)}`;
        add([
          leg(checking, day, -Math.round(random.uniform(20, 300)) * 100, 'TRANSFER', `To ${friend}`, {
            counterpartyName: friend,
            counterpartyAccount: iban('GB', 200_000 + day, world.seed),
            category: 'Transfers out',
          }),
        ]);
      }
      if (random.chance(0.45)) {
        const [merchant, low, high] = random.pick(CARD_MERCHANTS);
        add([leg(checking, day, -Math.round(random.logUniform(low, high) * 100), 'EXPENSE', merchant)]);
      }
    }
  }

  for (const { organization, operating, expenses } of owners.companies) {
    const random = new Random(world.seed, 'company', organization.id);
    const revenue = Math.round(random.uniform(20_000, 120_000)) * 100;
    const payroll = Math.round(revenue * random.uniform(1.5, 2.5));
    add([
      leg(operating, first, Math.round(random.uniform(200_000, 900_000)) * 100, 'INCOME', 'Opening balance', {
        category: 'Opening balance',
      }),
    ]);
    for (const day of days) {
      const date = dayOfMonth(day);
      if (new Date(day * 86_400_000).getUTCDay() === 1) {
        const customer = `${random.pick(LAST_NAMES)} ${random.pick(['Holdings', 'Retail', 'Group', 'Partners'])}`;
        add([
          leg(
            operating,
            day,
            Math.round(revenue * random.uniform(0.5, 1.5)),
            'INCOME',
            `INVOICE ${isoDate(day).replaceAll('-', '')} paid`,
            {
              counterpartyName: customer,
            },
          ),
        ]);
      }
      if (date === 28) {
        add([
          leg(operating, day, -payroll, 'TRANSFER', `PAYROLL ${month(day)}`, {
            counterpartyName: 'Payroll Services',
            counterpartyAccount: iban('DE', 300_000 + organization.id, world.seed),
          }),
        ]);
      }
      if (date === 5 || date === 20) {
        add([
          leg(operating, day, -Math.round(revenue * random.uniform(0.3, 1.2)), 'EXPENSE', `Supplier invoice ${month(day)}`, {
            counterpartyName: `${random.pick(LAST_NAMES)} Supplies`,
          }),
        ]);
      }
      for (const expense of expenses) {
        if (date === 2) transfer(operating, expense, day, Math.round(random.uniform(500, 2500)) * 100, `Expense advance ${month(day)}`);
        if (random.chance(0.12)) {
          const [merchant, low, high] = random.pick(TRAVEL_MERCHANTS);
          add([leg(expense, day, -Math.round(random.logUniform(low, high) * 100), 'EXPENSE', merchant)]);
        }
      }
    }
  }

  events.sort((a, b) => a.day - b.day || a.order - b.order);
  const limit = new Map(owners.accounts.map((account) => [account.id, -account.overdraftCents]));
  const balance = new Map<number, number>();
  const legs: CashLeg[] = [];
  for (const event of events) {
    const covered = event.legs.every(
      (item) => item.cents > 0 || (balance.get(item.accountId) ?? 0) + item.cents >= limit.get(item.accountId)!,
    );
    if (!covered) continue;
    for (const item of event.legs) {
      balance.set(item.accountId, (balance.get(item.accountId) ?? 0) + item.cents);
      legs.push(item);
    }
  }
  return legs;
}

/** A version-4 UUID from the seeded stream, so that transfer groups are the same on every run. */
function uuid(random: Random): string {
  const hex = Array.from({ length: 32 }, () => random.int(0, 15).toString(16));
  hex[12] = '4';
  hex[16] = ((random.int(0, 3) & 0x3) | 0x8).toString(16);
  const text = hex.join('');
  return `${text.slice(0, 8)}-${text.slice(8, 12)}-${text.slice(12, 16)}-${text.slice(16, 20)}-${text.slice(20)}`;
}
