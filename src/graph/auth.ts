import { errors, jwtVerify } from 'jose';
import type { Config } from '../config.js';
import { ForbiddenError, UnauthenticatedError } from './errors.js';

export const ROLES = ['VIEWER', 'ANALYST', 'OPERATOR', 'ADMIN'] as const;
export type Role = (typeof ROLES)[number];

export interface Viewer {
  role: Role;
  subject: string | undefined;
  /** The portfolio ids a VIEWER may see; undefined for every other role. */
  portfolios: string[] | undefined;
}

export const ADMIN: Viewer = { role: 'ADMIN', subject: undefined, portfolios: undefined };

export async function authenticate(
  authorization: string | undefined,
  config: Pick<Config, 'authMode' | 'jwtSecret'>,
): Promise<Viewer> {
  if (config.authMode === 'off') return ADMIN;
  const token = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1];
  if (!token) throw new UnauthenticatedError('send Authorization: Bearer <token>');
  let payload;
  try {
    ({ payload } = await jwtVerify(token, new TextEncoder().encode(config.jwtSecret), { algorithms: ['HS256'] }));
  } catch (error) {
    if (error instanceof errors.JWTExpired) throw new UnauthenticatedError('the token has expired');
    throw new UnauthenticatedError('the token is malformed or not signed with this server’s secret');
  }
  const role = payload.role;
  if (typeof role !== 'string' || !(ROLES as readonly string[]).includes(role)) {
    throw new UnauthenticatedError(`the token's role claim must be one of ${ROLES.join(', ')}`);
  }
  let portfolios: string[] | undefined;
  if (role === 'VIEWER') {
    const claim = payload.portfolios;
    if (!Array.isArray(claim) || !claim.every((id) => /^\d{1,18}$/.test(String(id)))) {
      throw new UnauthenticatedError('a VIEWER token needs a portfolios claim listing portfolio ids');
    }
    portfolios = claim.map(String);
  }
  return { role: role as Role, subject: payload.sub, portfolios };
}

/** A stand-in until the authorization issue moves roles to type-graphql's authChecker: ADMIN may do everything. */
export function requireRole(viewer: Viewer, role: Role): void {
  if (viewer.role === role || viewer.role === 'ADMIN') return;
  throw new ForbiddenError(`this needs the ${role} role; your token has ${viewer.role}`);
}
