import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import express, { type NextFunction, type Request, type Response, type Router } from 'express';

/** The dashboard's own files: HTML, CSS and ES modules, served as they are (no build step). */
export const WEB_DIR = path.resolve(import.meta.dirname, '../../web');
export const VENDOR_PATH = '/vendor';

const require = createRequire(import.meta.url);
const packageDir = (name: string) => path.dirname(require.resolve(`${name}/package.json`));

/**
 * The browser builds of the two libraries the page imports, from node_modules: nothing loads from a
 * CDN. graphql-ws's client is an ES module importing one hashed chunk of its own folder, so the
 * folder's client and common chunks are served under their own names and the relative import
 * resolves; nothing else of node_modules is reachable.
 */
function vendorFiles(): Map<string, string> {
  const files = new Map<string, string>();
  const uplot = path.join(packageDir('uplot'), 'dist');
  files.set('uplot/uPlot.esm.js', path.join(uplot, 'uPlot.esm.js'));
  files.set('uplot/uPlot.min.css', path.join(uplot, 'uPlot.min.css'));
  const graphqlWs = path.join(packageDir('graphql-ws'), 'dist');
  for (const name of readdirSync(graphqlWs)) {
    if (name === 'client.js' || /^common-[\w-]+\.js$/.test(name)) files.set(`graphql-ws/${name}`, path.join(graphqlWs, name));
  }
  return files;
}

/**
 * The page's policy: every directive 'self' only, no inline script or style element, no eval, no
 * framing. Style attributes set from script (CSSOM, as uPlot and the bars do) are not inline styles
 * to CSP. The WebSocket of the subscriptions is the same origin; 'self' covers ws: and wss: in
 * CSP 3, the explicit origin keeps browsers that predate it working.
 */
export function dashboardPolicy(host: string | undefined): string {
  const sameOriginSockets = host && /^[\w.-]+(:\d{1,5})?$/.test(host) ? ` ws://${host} wss://${host}` : '';
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src 'self'${sameOriginSockets}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

function securityHeaders(req: Request, res: Response, next: NextFunction): void {
  res.setHeader('content-security-policy', dashboardPolicy(req.headers.host));
  res.setHeader('x-content-type-options', 'nosniff');
  res.setHeader('referrer-policy', 'no-referrer');
  res.setHeader('x-frame-options', 'DENY');
  res.setHeader('cross-origin-opener-policy', 'same-origin');
  next();
}

/**
 * The dashboard at `/`, its files under /web and the vendored libraries under /vendor, in every
 * environment. The files are public: the data comes from /graphql, which checks the token.
 */
export function dashboard(): Router {
  const router = express.Router();
  const vendor = vendorFiles();
  // Short-lived caching with revalidation: a deploy shows at the next load, unchanged files cost a 304.
  const sendOptions = { maxAge: '5m', dotfiles: 'deny' as const };
  router.get('/', securityHeaders, (_req, res) => {
    res.sendFile(path.join(WEB_DIR, 'index.html'), { ...sendOptions, maxAge: 0 });
  });
  router.use('/web', securityHeaders, express.static(WEB_DIR, { ...sendOptions, index: false, fallthrough: true }));
  router.get(`${VENDOR_PATH}/:package/:file`, securityHeaders, (req, res, next) => {
    const file = vendor.get(`${req.params.package}/${req.params.file}`);
    if (!file) return next();
    res.sendFile(file, { maxAge: '1h' });
  });
  return router;
}
