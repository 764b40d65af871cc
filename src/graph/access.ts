import type { AuthCheckerFn } from 'type-graphql';
import { ROLES, type Role, type Viewer } from '../auth/viewer.js';
import type { Context } from './context.js';
import { ForbiddenError } from '../lib/errors.js';

/**
 * The role model: a hierarchy, VIEWER < ANALYST < OPERATOR < ADMIN, where each role may do
 * everything the roles below it may. VIEWER reads reference data, risk and compliance, and the
 * trades, allocations and positions of the portfolios its token lists; ANALYST and above see every
 * portfolio and the firm-wide holdings, and record trades; OPERATOR also runs the rebuilds; ADMIN
 * may do everything.
 */
export function hasRole(viewer: Viewer, role: Role): boolean {
  return ROLES.indexOf(viewer.role) >= ROLES.indexOf(role);
}

/**
 * type-graphql's authChecker, the one place where `@Authorized<Role>(role)` is enforced: the
 * field needs that role or one above it. It throws rather than answering false so that the
 * FORBIDDEN error names the role needed.
 */
export const authChecker: AuthCheckerFn<Context, Role> = ({ context, info }, roles) => {
  if (roles.length === 0 || roles.some((role) => hasRole(context.viewer, role))) return true;
  const needed = roles.map((role) => ROLES.indexOf(role)).reduce((lowest, rank) => Math.min(lowest, rank));
  throw new ForbiddenError(
    `${info.parentType.name}.${info.fieldName} needs the ${ROLES[needed]} role or above; your token has ${context.viewer.role}`,
  );
};

/**
 * The check of authChecker for where type-graphql does not run it: a subscription's subscribe
 * function, which must refuse before it listens to anything.
 */
export function requireRole(viewer: Viewer, role: Role, field: string): void {
  if (!hasRole(viewer, role)) throw new ForbiddenError(`${field} needs the ${role} role or above; your token has ${viewer.role}`);
}

/** The role that sees firm-wide holdings and trading activity: every role above VIEWER. */
export const HOLDINGS: Role = 'ANALYST';

/** The description of a firm-wide field, which a VIEWER reads as null with a FORBIDDEN error. */
export function firmWide(description: string): string {
  return `${description} Firm-wide: needs ${HOLDINGS} or above; null with a FORBIDDEN error for a VIEWER.`;
}
