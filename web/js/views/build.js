import { gql } from '../api.js';
import { clear, h } from '../dom.js';
import { age, count, text } from '../format.js';
import { watchJob } from '../live.js';

const REBUILD = 'mutation RebuildNow { rebuildAsset360 { id state progress } }';

/**
 * The header's current build: as-of date, age and rows; for OPERATOR and ADMIN a "Rebuild now"
 * button and the job's live progress. Other roles never get the button (the server refuses them
 * anyway).
 */
export function buildPanel(root, session, initial) {
  let build = initial;
  const summary = h('span', { class: 'build-summary', id: 'build-summary' });
  const ageText = h('span', { class: 'build-age', id: 'build-age' });
  const job = h('span', { class: 'job', id: 'rebuild-job', hidden: true });
  let stopJob;

  function show(next) {
    build = next;
    if (!build) {
      clear(summary, 'No build yet');
      ageText.textContent = '';
      return;
    }
    summary.dataset.buildId = build.id;
    clear(
      summary,
      h('span', { class: 'muted', text: 'Build ' }),
      h('strong', { id: 'build-id', text: build.id }),
      h('span', { class: 'muted', text: ' as of ' }),
      h('strong', { id: 'build-as-of', text: text(build.asOf) }),
      h('span', { class: 'muted', text: ' · ' }),
      h('span', { id: 'build-rows', text: `${count(build.rowCount)} rows` }),
    );
    tick();
  }

  function tick() {
    if (build) ageText.textContent = ` · ${age(build.finishedAt ?? build.startedAt)}`;
  }

  function progress(update) {
    const bar = h('progress', { max: 100, value: update.progress ?? 0, 'aria-label': 'Rebuild progress' });
    const label = {
      WAITING: 'queued',
      DELAYED: 'waiting to retry',
      ACTIVE: `running ${update.progress ?? 0}%`,
      COMPLETED: `done: build ${update.result?.buildId ?? ''}`,
      FAILED: `failed: ${update.failedReason ?? 'unknown reason'}`,
    }[update.state];
    job.hidden = false;
    job.dataset.state = update.state;
    clear(job, bar, h('span', { class: 'job-state', text: label ?? update.state.toLowerCase() }));
    if (update.state === 'COMPLETED' || update.state === 'FAILED') {
      button.disabled = false;
      stopJob?.();
    }
  }

  const button = h('button', {
    type: 'button',
    class: 'primary small',
    id: 'rebuild',
    text: 'Rebuild now',
    onclick: async () => {
      button.disabled = true;
      try {
        const { rebuildAsset360: started } = await gql(REBUILD);
        progress(started);
        stopJob?.();
        stopJob = watchJob(started.id, progress);
      } catch (error) {
        button.disabled = false;
        job.hidden = false;
        clear(job, h('span', { class: 'error', text: error.message }));
      }
    },
  });

  clear(root, summary, ageText, session.operator ? [button, job] : null);
  show(initial);
  clearInterval(root.ageTimer);
  root.ageTimer = setInterval(tick, 30_000);
  return { show };
}
