import { authorization, gql } from './api.js';

// Live updates over graphql-ws on /graphql. When the WebSocket cannot be had (a proxy that drops
// upgrades, say), the same callbacks are fed by polling instead.

const BUILD_POLL_MS = 15_000;
const JOB_POLL_MS = 1_000;
const BUILD_FIELDS = 'id asOf status rowCount startedAt finishedAt';

// The client is loaded when the first subscription starts, after the page has painted.
let client;
function socket() {
  client ??= import('/vendor/graphql-ws/client.js').then(({ createClient }) =>
    createClient({
      url: `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/graphql`,
      connectionParams: () => (authorization() ? { authorization: authorization() } : {}),
      lazy: true,
      retryAttempts: 3,
    }),
  );
  return client;
}

/** Stops every live feed: the token changed, or the page goes. */
export function closeLive() {
  client?.then(
    (open) => open.dispose(),
    () => {},
  );
  client = undefined;
}

function subscribe(query, variables, { next, fallback, complete }) {
  let stopped = false;
  let unsubscribe;
  let stopPolling;
  const degrade = () => {
    if (!stopped && !stopPolling) stopPolling = fallback();
  };
  socket().then((open) => {
    if (stopped) return;
    unsubscribe = open.subscribe(
      { query, variables },
      { next: ({ data }) => data && next(data), error: degrade, complete: () => complete?.() },
    );
  }, degrade);
  return () => {
    stopped = true;
    unsubscribe?.();
    stopPolling?.();
  };
}

function poll(everyMs, probe) {
  let timer;
  let stopped = false;
  const tick = async () => {
    try {
      if (await probe()) return;
    } catch {
      // A failed poll is retried at the next tick.
    }
    if (!stopped) timer = setTimeout(tick, everyMs);
  };
  timer = setTimeout(tick, everyMs);
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}

/** Calls onBuild(build) for each build published after `currentId`. */
export function watchBuilds(currentId, onBuild) {
  let lastId = currentId;
  const seen = (build) => {
    if (!build || build.id === lastId) return;
    lastId = build.id;
    onBuild(build);
  };
  return subscribe(
    `subscription BuildPublished { asset360BuildPublished { ${BUILD_FIELDS} } }`,
    {},
    {
      next: (data) => seen(data.asset360BuildPublished),
      fallback: () =>
        poll(BUILD_POLL_MS, async () => {
          seen((await gql(`query CurrentBuild { asset360Build { ${BUILD_FIELDS} } }`)).asset360Build);
          return false;
        }),
    },
  );
}

const JOB_FIELDS = 'id state progress attemptsMade failedReason asOf result { buildId asOf rows seconds }';
const FINAL = new Set(['COMPLETED', 'FAILED']);

/** Calls onJob(job) at each change of a rebuild job until it has completed or failed. */
export function watchJob(id, onJob) {
  return subscribe(
    `subscription RebuildJob($id: ID!) { rebuildJobUpdated(id: $id) { ${JOB_FIELDS} } }`,
    { id },
    {
      next: (data) => onJob(data.rebuildJobUpdated),
      fallback: () =>
        poll(JOB_POLL_MS, async () => {
          const job = (await gql(`query RebuildJob($id: ID!) { rebuildJob(id: $id) { ${JOB_FIELDS} } }`, { id })).rebuildJob;
          if (job) onJob(job);
          return !job || FINAL.has(job.state);
        }),
    },
  );
}

export { BUILD_FIELDS };
