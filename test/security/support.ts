import { SignJWT } from 'jose';
import { expect } from 'vitest';
import type { Role } from '../../src/auth/viewer.js';
import { mintToken } from '../../src/auth/token.js';
import type { GraphQLResponse } from '../support/server.js';

export { countingSql } from '../support/counting-sql.js';

export const SECRET = 'security-tests-secret-of-at-least-32-bytes';

/** The environment of a server with authentication on. */
export const AUTH_ON = { AUTH_MODE: 'on', JWT_SECRET: SECRET } as const;

/** A valid token of the role; a VIEWER sees portfolio 1 unless told otherwise. */
export function tokenFor(role: Role, portfolios: string[] = ['1']): Promise<string> {
  return mintToken(SECRET, {
    role,
    portfolios: role === 'VIEWER' ? portfolios : undefined,
    subject: `security-${role}-${portfolios.join('-')}`,
    ttl: '10m',
  });
}

export async function bearer(role: Role, portfolios?: string[]): Promise<Record<string, string>> {
  return { authorization: `Bearer ${await tokenFor(role, portfolios)}` };
}

/** A token signed with the test secret carrying any claims, for the kinds the server must refuse. */
export function signedToken(claims: Record<string, unknown>, expiresAt: string | number = '10m', secret = SECRET): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setExpirationTime(expiresAt).sign(new TextEncoder().encode(secret));
}

/** SQL, table names, driver and stack details that must never reach a client. */
const LEAKS =
  /stacktrace|\bselect\s.+\sfrom\s|::bigint|asset_master|asset_360\b|transactions t\b|PostgresError|ECONNREFUSED|\bat .+\.(ts|js):\d+/is;

/** A refusal that tells the client what went wrong and nothing about the server. */
export function expectClientError(response: GraphQLResponse, code: string, status?: number): void {
  expect(
    response.errors?.map((error) => error.extensions?.code),
    JSON.stringify(response),
  ).toEqual([code]);
  if (status !== undefined) expect(response.status).toBe(status);
  expect(JSON.stringify(response)).not.toMatch(LEAKS);
}

export function expectNoLeak(body: unknown): void {
  expect(JSON.stringify(body)).not.toMatch(LEAKS);
}
