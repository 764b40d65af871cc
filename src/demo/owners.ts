import type { Currency } from './catalog.js';
import { FIRST_NAMES, LAST_NAMES } from './catalog.js';
import { Random } from './random.js';
import type { DemoWorld } from './world.js';

export type AccountKind = 'CHECKING' | 'SAVINGS' | 'BROKERAGE' | 'OPERATING' | 'EXPENSE';

export interface UserPlan {
  id: number;
  login: string;
  name: string;
}

export interface OrganizationPlan {
  id: number;
  name: string;
  currency: Currency;
  /** Members' user ids; the first is the organization's ADMIN. */
  members: number[];
}

export interface AccountPlan {
  id: number;
  name: string;
  kind: AccountKind;
  ownerUserId: number | null;
  ownerOrganizationId: number | null;
  currency: Currency;
  /** In cents. */
  overdraftCents: number;
  iban: string;
  portfolioId: number | null;
}

export interface OwnerPlan {
  users: UserPlan[];
  organizations: OrganizationPlan[];
  accounts: AccountPlan[];
  /** Individuals with a checking and a savings account: who earns salaries and pays rent. */
  households: Array<{ userId: number; checking: AccountPlan; savings: AccountPlan }>;
  /** Each organization's operating account and its employees' expense accounts. */
  companies: Array<{ organization: OrganizationPlan; operating: AccountPlan; expenses: AccountPlan[] }>;
}

const COMPANY_NAMES = ['Northwind Trading', 'Contoso Industries', 'Fabrikam Logistics', 'Tailspin Aerospace', 'Litware Systems'];
const COMPANY_SUFFIXES = ['AG', 'Ltd', 'Inc', 'SA', 'GmbH'];
const IBAN_COUNTRY: Record<Currency, string> = { USD: 'US', EUR: 'DE', GBP: 'GB', JPY: 'JP', CHF: 'CH' };
const EMPLOYEES = 3;
const EXTRA_INDIVIDUALS = 2;

/**
 * The demo's owners and accounts, from the seed: one organization per three portfolios (at least
 * one), each with an admin, employees with EXPENSE accounts and an OPERATING account; an individual
 * for every other portfolio (its owner) and two more, each with CHECKING and SAVINGS. Every
 * portfolio settles in a BROKERAGE account of its owner, in its base currency.
 */
export function planOwners(world: DemoWorld): OwnerPlan {
  const users: UserPlan[] = [];
  const organizations: OrganizationPlan[] = [];
  const accounts: AccountPlan[] = [];
  const households: OwnerPlan['households'] = [];
  const companies: OwnerPlan['companies'] = [];
  const logins = new Set<string>();
  const random = new Random(world.seed, 'owners');

  const addUser = (name: string): UserPlan => {
    const base = name.toLowerCase().replace(/[^a-z]+/g, '.');
    let login = base;
    for (let n = 2; logins.has(login); n++) login = `${base}${n}`;
    logins.add(login);
    const user = { id: users.length + 1, login, name };
    users.push(user);
    return user;
  };
  const addAccount = (plan: Omit<AccountPlan, 'id' | 'iban'>): AccountPlan => {
    const id = accounts.length + 1;
    const account = { ...plan, id, iban: iban(IBAN_COUNTRY[plan.currency], id, world.seed) };
    accounts.push(account);
    return account;
  };
  const personName = () => `${random.pick(FIRST_NAMES)} ${random.pick(LAST_NAMES)}`;

  const companyCount = Math.max(1, Math.floor(world.portfolios.length / 3));
  for (let index = 0; index < companyCount; index++) {
    const id = index + 1;
    const round = Math.floor(index / COMPANY_NAMES.length);
    const name = `${COMPANY_NAMES[index % COMPANY_NAMES.length]} ${COMPANY_SUFFIXES[index % COMPANY_SUFFIXES.length]}${round ? ` ${round + 1}` : ''}`;
    const currency = random.weighted<Currency>([
      ['USD', 50],
      ['EUR', 30],
      ['GBP', 10],
      ['CHF', 10],
    ]);
    const members = Array.from({ length: 1 + EMPLOYEES }, () => addUser(personName()).id);
    const organization = { id, name, currency, members };
    organizations.push(organization);
    const operating = addAccount({
      name: `${name} Operating`,
      kind: 'OPERATING',
      ownerUserId: null,
      ownerOrganizationId: id,
      currency,
      overdraftCents: 5_000_000,
      portfolioId: null,
    });
    const expenses = members.slice(1).map((userId) =>
      addAccount({
        name: `${users[userId - 1]!.name} Expenses (${name})`,
        kind: 'EXPENSE',
        ownerUserId: userId,
        ownerOrganizationId: null,
        currency,
        overdraftCents: 0,
        portfolioId: null,
      }),
    );
    companies.push({ organization, operating, expenses });
  }

  const household = (user: UserPlan, currency: Currency) => {
    const checking = addAccount({
      name: `${user.name} Checking (${user.login})`,
      kind: 'CHECKING',
      ownerUserId: user.id,
      ownerOrganizationId: null,
      currency,
      overdraftCents: random.chance(0.5) ? 100_000 : 0,
      portfolioId: null,
    });
    const savings = addAccount({
      name: `${user.name} Savings (${user.login})`,
      kind: 'SAVINGS',
      ownerUserId: user.id,
      ownerOrganizationId: null,
      currency,
      overdraftCents: 0,
      portfolioId: null,
    });
    households.push({ userId: user.id, checking, savings });
  };

  world.portfolios.forEach((portfolio, index) => {
    const company = index % 3 === 2 ? companies[Math.floor(index / 3) % companies.length] : undefined;
    if (company) {
      addAccount({
        name: `${company.organization.name} Brokerage (${portfolio.name})`,
        kind: 'BROKERAGE',
        ownerUserId: null,
        ownerOrganizationId: company.organization.id,
        currency: portfolio.baseCurrency,
        overdraftCents: 0,
        portfolioId: portfolio.id,
      });
      return;
    }
    const user = addUser(portfolio.owner);
    household(user, portfolio.baseCurrency);
    addAccount({
      name: `${user.name} Brokerage (${portfolio.name})`,
      kind: 'BROKERAGE',
      ownerUserId: user.id,
      ownerOrganizationId: null,
      currency: portfolio.baseCurrency,
      overdraftCents: 0,
      portfolioId: portfolio.id,
    });
  });
  for (let index = 0; index < EXTRA_INDIVIDUALS; index++) household(addUser(personName()), random.pick(['USD', 'EUR', 'GBP'] as const));

  return { users, organizations, accounts, households, companies };
}

/** A well-formed IBAN: country, ISO 13616 check digits, and an 18-digit number derived from the account. */
export function iban(country: string, accountId: number, seed: number): string {
  const random = new Random(seed, 'iban', accountId);
  const bban = Array.from({ length: 18 }, () => random.int(0, 9)).join('');
  const digits = `${bban}${[...country].map((letter) => letter.charCodeAt(0) - 55).join('')}00`;
  const check = 98n - (BigInt(digits) % 97n);
  return `${country}${String(check).padStart(2, '0')}${bban}`;
}
