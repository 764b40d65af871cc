import { createRequire } from 'node:module';
import path from 'node:path';
import type { ApolloServerPlugin } from '@apollo/server';
import express, { type Router } from 'express';

export const GRAPHIQL_ASSETS = '/graphiql';

const require = createRequire(import.meta.url);
const packageDir = (name: string) => path.dirname(require.resolve(`${name}/package.json`));

/**
 * GraphiQL's browser bundles, served from the installed packages: the landing page works without
 * the internet and loads nothing from another origin. React 18, because React 19 ships no browser
 * bundle that a page can load without a build step.
 */
const ASSETS: Record<string, { file: string; type: string }> = {
  'graphiql.js': { file: path.join(packageDir('graphiql'), 'dist/index.umd.js'), type: 'text/javascript' },
  'graphiql.css': { file: path.join(packageDir('graphiql'), 'dist/style.css'), type: 'text/css' },
  'react.js': { file: path.join(packageDir('react'), 'umd/react.production.min.js'), type: 'text/javascript' },
  'react-dom.js': { file: path.join(packageDir('react-dom'), 'umd/react-dom.production.min.js'), type: 'text/javascript' },
};

export function graphiqlAssets(): Router {
  const router = express.Router();
  router.get('/:asset', (req, res, next) => {
    const asset = ASSETS[req.params.asset];
    if (!asset) return next();
    res.type(asset.type).sendFile(asset.file, { maxAge: '1h' });
  });
  return router;
}

/** Apollo's landing page (GET /graphql from a browser), replaced by GraphiQL from GRAPHIQL_ASSETS. */
export function graphiqlLandingPage(): ApolloServerPlugin {
  return {
    async serverWillStart() {
      return {
        async renderLandingPage() {
          return { html: PAGE };
        },
      };
    },
  };
}

// The token goes with every request, queries over HTTP and subscriptions in connection_init alike;
// it stays in this tab's sessionStorage only.
const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>asset360 GraphiQL</title>
<link rel="stylesheet" href="${GRAPHIQL_ASSETS}/graphiql.css">
<style>
html, body { margin: 0; height: 100%; }
body { display: flex; flex-direction: column; font: 14px system-ui, sans-serif; }
#token-bar { display: flex; gap: .5rem; align-items: center; padding: .4rem .8rem; border-bottom: 1px solid #ddd; }
#token-bar input { flex: 1; font: 13px monospace; }
#graphiql { flex: 1; min-height: 0; }
</style>
</head>
<body>
<div id="token-bar"><label for="token">Bearer token</label><input id="token" type="password" autocomplete="off" placeholder="npm run token -- --role ANALYST (not needed with AUTH_MODE=off)"></div>
<div id="graphiql">Loading GraphiQL…</div>
<script src="${GRAPHIQL_ASSETS}/react.js"></script>
<script src="${GRAPHIQL_ASSETS}/react-dom.js"></script>
<script src="${GRAPHIQL_ASSETS}/graphiql.js"></script>
<script>
(function () {
  var input = document.getElementById('token');
  input.value = sessionStorage.getItem('asset360-token') || '';
  input.addEventListener('input', function () { sessionStorage.setItem('asset360-token', input.value.trim()); });
  var url = new URL(location.pathname, location.href).href;
  var base = GraphiQL.createFetcher({ url: url, subscriptionUrl: url.replace(/^http/, 'ws') });
  function fetcher(params, options) {
    var token = input.value.trim();
    var headers = Object.assign({}, options && options.headers, token ? { authorization: 'Bearer ' + token } : {});
    return base(params, Object.assign({}, options, { headers: headers }));
  }
  ReactDOM.createRoot(document.getElementById('graphiql')).render(
    React.createElement(GraphiQL, { fetcher: fetcher, defaultEditorToolsVisibility: true })
  );
})();
</script>
</body>
</html>
`;
