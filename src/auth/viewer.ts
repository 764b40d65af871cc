import { errors, jwtVerify } from 'jose';
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
}

export const ADMIN: Viewer = { role: 'ADMIN', subject: undefined, portfolios: undefined };

const PORTFOLIO_ID = /^[1-9]\d{0,17}$/;

export async function authenticate(authorization: string | undefined, config: Pick<Config, 'authMode' | 'jwtSecret'>): Promise<Viewer> {
  if (config.authMode === 'off') return ADMIN;
  const token = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1];
  if (!token) throw new UnauthenticatedError('send Authorization: Bearer <token>');
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
  return { role: role as Role, subject: payload.sub, portfolios };
}
