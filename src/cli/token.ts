/**
 * npm run token -- --role ROLE [--portfolios 1,2] [--ttl 1h] [--sub NAME]
 *
 * Prints a Bearer token signed with JWT_SECRET, alone on stdout so that scripts can capture it.
 */
import { ROLES, type Role } from '../auth/viewer.js';
import { mintToken, type TokenClaims } from '../auth/token.js';
import { environment, parseCommandLine, runCommand, SetupError, UsageError } from './command.js';

const USAGE = `usage: npm run token -- --role ${ROLES.join('|')} [--portfolios 1,2] [--ttl 1h] [--sub NAME]

Signs a token with JWT_SECRET. A VIEWER token needs --portfolios, the ids of the portfolios it may
see; the other roles see every portfolio. --ttl is a number with s, m, h or d (default 1h); --sub
names the holder, whose requests then share one rate limit.`;

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
  const secret = environment().jwtSecret;
  if (secret === undefined) throw new SetupError('JWT_SECRET is not set: it must be the secret of the server that will check the token');
  process.stdout.write(`${await mintToken(secret, claims())}\n`);
});
