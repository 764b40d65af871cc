import { SignJWT } from 'jose';
import type { Role } from './viewer.js';

export interface TokenClaims {
  role: Role;
  /** Required for a VIEWER, refused for the other roles (they see every portfolio). */
  portfolios?: string[];
  subject?: string;
  /** A jose time span such as 30m, 1h or 7d. */
  ttl: string;
}

/** A Bearer token that authenticate() accepts: HS256 over the server's JWT_SECRET. */
export function mintToken(secret: string, { role, portfolios, subject, ttl }: TokenClaims): Promise<string> {
  let jwt = new SignJWT({ role, ...(portfolios ? { portfolios } : {}) })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuedAt()
    .setExpirationTime(ttl);
  if (subject !== undefined) jwt = jwt.setSubject(subject);
  return jwt.sign(new TextEncoder().encode(secret));
}
