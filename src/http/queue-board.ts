import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import express, { type Request, type RequestHandler, type Router } from 'express';
import type { Redis } from 'ioredis';
import type { Config } from '../config.js';
import { authenticate, ROLES, type Viewer } from '../auth/viewer.js';
import type { Logger } from '../infra/logger.js';
import { createRebuildQueue, type QueueNames } from '../jobs/rebuild.queue.js';
import { createRebalanceQueue } from '../jobs/rebalance.queue.js';
import { createRiskQueue } from '../jobs/risk.queue.js';
import { UnauthenticatedError } from '../lib/errors.js';

export const BOARD_PATH = '/admin/queues';
const COOKIE = 'asset360_board';
/** A browser's board session: short, and never longer than the token it carries. */
const COOKIE_MAX_SECONDS = 15 * 60;

export interface QueueBoard {
  router: Router;
  close(): Promise<void>;
}

/**
 * Bull Board over every queue asset360 runs (the rebuilds, the risk engine and the rebalance
 * proposals), for OPERATOR and
 * ADMIN: the same JWT as the graph, as a Bearer header, or for a browser as a short-lived
 * HttpOnly cookie set by POST /admin/queues/login. The board's own queue objects are created once
 * Redis answers: a BullMQ queue whose first connection failed stays failed.
 */
export function queueBoard(config: Pick<Config, 'authMode' | 'jwtSecret'>, redis: Redis, names: QueueNames, log: Logger): QueueBoard {
  const router = express.Router();
  const quiet = (error: Error) => log.debug(`queue board: ${error.message}`);
  let board: { handler: RequestHandler; close(): Promise<void> } | undefined;

  router.get('/login', (_req, res) => {
    res.type('html').send(LOGIN_PAGE);
  });
  router.post('/login', express.urlencoded({ extended: false, limit: 16 * 1024 }), async (req, res) => {
    const token = typeof req.body?.token === 'string' ? req.body.token.trim() : '';
    const outcome = await allowed(`Bearer ${token}`);
    if (outcome.status !== 200) {
      res.status(outcome.status).type('text/plain').send(`${outcome.message}\n`);
      return;
    }
    const left = outcome.viewer.expiresAt ? Math.floor((outcome.viewer.expiresAt.getTime() - Date.now()) / 1000) : COOKIE_MAX_SECONDS;
    res.cookie(COOKIE, token, {
      httpOnly: true,
      sameSite: 'strict',
      secure: req.secure,
      path: BOARD_PATH,
      maxAge: Math.max(1, Math.min(COOKIE_MAX_SECONDS, left)) * 1000,
    });
    res.redirect(303, BOARD_PATH);
  });

  router.use(async (req, res, next) => {
    const outcome = await allowed(req.header('authorization') ?? bearerFromCookie(req));
    if (outcome.status === 401 && req.method === 'GET' && req.accepts(['json', 'html']) === 'html' && !req.header('authorization')) {
      res.redirect(303, `${BOARD_PATH}/login`);
      return;
    }
    if (outcome.status !== 200) {
      res
        .status(outcome.status)
        .set(outcome.status === 401 ? { 'www-authenticate': 'Bearer' } : {})
        .type('text/plain')
        .send(`${outcome.message}\n`);
      return;
    }
    if (redis.status !== 'ready') {
      res.status(503).type('text/plain').send('the queue board needs Redis, which cannot be reached; try again later\n');
      return;
    }
    board ??= createBoard(redis, names, quiet);
    board.handler(req, res, next);
  });

  async function allowed(
    authorization: string | undefined,
  ): Promise<{ status: 200; viewer: Viewer } | { status: 401 | 403; message: string }> {
    let viewer: Viewer;
    try {
      viewer = await authenticate(authorization, config);
    } catch (error) {
      if (error instanceof UnauthenticatedError) return { status: 401, message: error.message };
      throw error;
    }
    if (ROLES.indexOf(viewer.role) < ROLES.indexOf('OPERATOR')) {
      return { status: 403, message: `the queue board needs the OPERATOR role or above; your token has ${viewer.role}` };
    }
    return { status: 200, viewer };
  }

  return {
    router,
    async close() {
      await board?.close();
    },
  };
}

function createBoard(redis: Redis, names: QueueNames, onError: (error: Error) => void) {
  const queues = [
    createRebuildQueue(redis, names, onError),
    createRiskQueue(redis, names, onError),
    createRebalanceQueue(redis, names, onError),
  ];
  const serverAdapter = new ExpressAdapter();
  serverAdapter.setBasePath(BOARD_PATH);
  createBullBoard({
    queues: queues.map((queue) => new BullMQAdapter(queue)),
    serverAdapter,
    options: { uiConfig: { boardTitle: 'asset360 queues' } },
  });
  return {
    handler: serverAdapter.getRouter() as RequestHandler,
    async close() {
      await Promise.all(queues.map((queue) => queue.close().catch(onError)));
    },
  };
}

function bearerFromCookie(req: Request): string | undefined {
  const cookie = req.header('cookie');
  const token = cookie
    ?.split(';')
    .map((part) => part.trim())
    .find((part) => part.startsWith(`${COOKIE}=`))
    ?.slice(COOKIE.length + 1);
  return token ? `Bearer ${decodeURIComponent(token)}` : undefined;
}

const LOGIN_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>asset360 queues: sign in</title>
<style>body{font:16px system-ui,sans-serif;max-width:36rem;margin:4rem auto;padding:0 1rem}textarea{width:100%;height:8rem}</style>
</head><body>
<h1>asset360 queues</h1>
<p>Paste an OPERATOR or ADMIN token (<code>npm run token -- --role OPERATOR</code>). The board keeps it in an
HttpOnly cookie for at most 15 minutes, and never past the token's own expiry.</p>
<form method="post" action="${BOARD_PATH}/login"><textarea name="token" required></textarea><p><button type="submit">Open the board</button></p></form>
</body></html>
`;
