/**
 * npm run token -- --role ROLE [--portfolios 1,2] [--ttl 1h] [--sub NAME]
 *
 * Prints a Bearer token signed with JWT_SECRET, alone on stdout so that scripts can capture it, once
 * the audit log in DATABASE_URL records that it was minted (never the token itself: its SHA-256).
 */
import { createHash } from 'node:crypto';
import { userInfo } from 'node:os';
import { decodeJwt } from 'jose';
import type postgres from 'postgres';
import { systemActor } from '../audit/actor.js';
import { recordAudit } from '../audit/record.js';
import { ROLES, type Role } from '../auth/viewer.js';
import { mintToken, type TokenClaims } from '../auth/token.js';
import { createSql } from '../infra/db.js';
import { databaseUrl, environment, parseCommandLine, runCommand, SetupError, UsageError } from './command.js';

const USAGE = `usage: npm run token -- --role ${ROLES.join('|')} [--portfolios 1,2] [--ttl 1h] [--sub NAME]

Signs a token with JWT_SECRET. A VIEWER token needs --portfolios, the ids of the portfolios it may
see; the other roles see every portfolio. --ttl is a number with s, m, h or d (default 1h); --sub
names the holder, whose requests then share one rate limit. DATABASE_URL names the database whose
audit log records the minting; no token is printed unless it is recorded.`;

function claims(): TokenClaims {
  const { values } = parseCommandLine({
    options: {
      role: { type: 'string' },
      portfolios: { type: 'string' },
      ttl: { type: 'string', default: '1h' },
      sub: { type: 'string' },
    },
  });
  const role = values.role;
  if (!role || !(ROLES as readonly string[]).includes(role)) throw new UsageError(`--role must be one of ${ROLES.join(', ')}`);
  if (!/^[1-9]\d{0,5}[smhd]$/.test(values.ttl))
    throw new UsageError(`--ttl must be a number followed by s, m, h or d, such as 30m (got ${JSON.stringify(values.ttl)})`);
  if (values.sub !== undefined && !/^[\w.@:-]{1,100}$/.test(values.sub))
    throw new UsageError('--sub must be 1 to 100 letters, digits, _ . @ : or -');
  let portfolios: string[] | undefined;
  if (role === 'VIEWER') {
    portfolios = values.portfolios?.split(',').map((id) => id.trim());
    if (!portfolios?.length || !portfolios.every((id) => /^[1-9]\d{0,17}$/.test(id))) {
      throw new UsageError('a VIEWER token needs --portfolios with the comma-separated ids of the portfolios it may see');
    }
  } else if (values.portfolios !== undefined) {
    throw new UsageError(`--portfolios is for VIEWER tokens only: ${role} sees every portfolio`);
  }
  return { role: role as Role, portfolios, subject: values.sub, ttl: values.ttl };
}

await runCommand({ name: 'token', usage: USAGE }, async () => {
  const config = environment();
  const secret = config.jwtSecret;
  if (secret === undefined) throw new SetupError('JWT_SECRET is not set: it must be the secret of the server that will check the token');
  const tokenClaims = claims();
  const sql = createSql(databaseUrl(config, 'minting a token is recorded in its audit log'), { max: 1 });
  const token = await mintToken(secret, tokenClaims);
  try {
    await sql.begin((tx) => recordMinting(tx, token, tokenClaims));
  } catch (error) {
    throw new SetupError(`the token could not be recorded in the audit log, so it is not printed: ${(error as Error).message}`);
  } finally {
    await sql.end({ timeout: 5 });
  }
  process.stdout.write(`${token}\n`);
});

async function recordMinting(tx: postgres.TransactionSql, token: string, claims: TokenClaims): Promise<void> {
  const { exp, iat } = decodeJwt(token);
  await recordAudit(tx, {
    actor: systemActor('token-cli'),
    action: 'token.minted',
    entity: 'token',
    entityId: claims.subject ?? null,
    payload: {
      subject: claims.subject ?? null,
      role: claims.role,
      portfolios: claims.portfolios ?? null,
      issued_at: new Date(iat! * 1000).toISOString(),
      expires_at: new Date(exp! * 1000).toISOString(),
      token_sha256: createHash('sha256').update(token).digest('hex'),
      os_user: userInfo().username,
    },
  });
}
