import { errors, jwtVerify } from 'jose';
import { LRUCache } from 'lru-cache';
import type { Config } from '../config.js';
import { UnauthenticatedError } from '../lib/errors.js';

/** Lowest to highest: each role may do everything the roles before it may (see access.ts). */
export const ROLES = ['VIEWER', 'ANALYST', 'OPERATOR', 'ADMIN'] as const;
export type Role = (typeof ROLES)[number];

export interface Viewer {
  role: Role;
  subject: string | undefined;
  /** The portfolio ids a VIEWER may see; undefined for every other role, which sees them all. */
  portfolios: string[] | undefined;
  /** When the token stops being valid; undefined without auth. Long-lived connections close then. */
  expiresAt?: Date;
}

export const ADMIN: Viewer = { role: 'ADMIN', subject: undefined, portfolios: undefined };

const PORTFOLIO_ID = /^[1-9]\d{0,17}$/;

/**
 * Tokens already verified, by secret and token, until they expire: a client sends the same token on
 * every request, and an HMAC check with the claims' validation costs more than the rest of a small query.
 */
const verified = new LRUCache<string, { viewer: Viewer; expiresAt: number }>({ max: 10_000 });

export async function authenticate(authorization: string | undefined, config: Pick<Config, 'authMode' | 'jwtSecret'>): Promise<Viewer> {
  if (config.authMode === 'off') return ADMIN;
  const token = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1];
  if (!token) throw new UnauthenticatedError('send Authorization: Bearer <token>');
  const key = `${config.jwtSecret ?? ''}\u0000${token}`;
  const known = verified.get(key);
  if (known && Date.now() < known.expiresAt) return known.viewer;
  const viewer = await verify(token, config);
  verified.set(key, viewer);
  return viewer.viewer;
}

async function verify(token: string, config: Pick<Config, 'jwtSecret'>): Promise<{ viewer: Viewer; expiresAt: number }> {
  let payload;
  try {
    // A token without exp would be valid forever; npm run token always sets one.
    ({ payload } = await jwtVerify(token, new TextEncoder().encode(config.jwtSecret), { algorithms: ['HS256'], requiredClaims: ['exp'] }));
  } catch (error) {
    if (error instanceof errors.JWTExpired) throw new UnauthenticatedError('the token has expired');
    if (error instanceof errors.JWTClaimValidationFailed) throw new UnauthenticatedError(`the token is not valid: ${error.message}`);
    throw new UnauthenticatedError('the token is malformed or not signed with this server’s secret');
  }
  const role = payload.role;
  if (typeof role !== 'string' || !(ROLES as readonly string[]).includes(role)) {
    throw new UnauthenticatedError(`the token's role claim must be one of ${ROLES.join(', ')}`);
  }
  let portfolios: string[] | undefined;
  if (role === 'VIEWER') {
    const claim = payload.portfolios;
    if (!Array.isArray(claim) || claim.length === 0 || !claim.every((id) => PORTFOLIO_ID.test(String(id)))) {
      throw new UnauthenticatedError('a VIEWER token needs a portfolios claim listing at least one portfolio id');
    }
    portfolios = [...new Set(claim.map(String))];
  }
  // Shared by every request that sends the token, so nobody may change it.
  const viewer = Object.freeze({
    role: role as Role,
    subject: payload.sub,
    portfolios: portfolios && Object.freeze(portfolios),
    expiresAt: new Date(payload.exp! * 1000),
  });
  return { viewer: viewer as Viewer, expiresAt: payload.exp! * 1000 };
}
