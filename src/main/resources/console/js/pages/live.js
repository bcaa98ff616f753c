import {h, fill, table} from '../dom.js';
import * as api from '../api.js';
import {usd, count, time, short, eventView} from '../format.js';

const EVERY_MS = 2000;
const KEEP = 200;
/** Events are written in batches a little after their request: each poll reads the last 5 minutes, newest first. */
const WINDOW_S = 300;

/**
 * Requests as they are recorded: polls the newest events (POST /api/v2/events since the newest seen) every 2 s
 * while the page is open. Polling, not a push channel: events are in the shared database, so every instance's
 * requests show whichever instance the browser talks to, and the server holds no per-browser state.
 */
export default async function live(view, ctx) {
  const seen = new Set();
  const rows = [];
  let timer = null;
  let stopped = false;
  const status = h('span.muted', 'waiting for requests…');
  const tbody = h('tbody');
  const grid = h('table.grid.live',
    h('thead', h('tr', ['Time', 'Key', 'Model', 'Status', 'Tokens', 'Cost', 'Latency'].map(t => h('th', t)))), tbody);
  const paused = h('input', {type: 'checkbox', id: 'pause'});
  fill(view, h('h1', 'Live'), h('p', h('label', paused, ' Pause'), ' ', status), grid);

  async function tick() {
    if (stopped) return;
    if (!paused.checked && !document.hidden) {
      try {
        const r = await api.post('/api/v2/events', {start: Math.floor(Date.now() / 1000) - WINDOW_S, end: Math.floor(Date.now() / 1000) + 3600, dateOrder: 'desc', limit: 100});
        const fresh = (r.events || []).map(eventView).filter(e => !seen.has(e.id));
        for (const e of fresh.reverse()) {
          seen.add(e.id);
          rows.unshift(e);
        }
        rows.splice(KEEP);
        if (seen.size > 10 * KEEP) { seen.clear(); rows.forEach(e => seen.add(e.id)); }
        if (fresh.length) render();
        status.textContent = 'updated ' + new Date().toLocaleTimeString() + ' · ' + rows.length + ' shown';
      } catch (e) {
        if (e instanceof api.SignInRequired) { ctx.fail(e); return; }
        status.textContent = 'error: ' + e.message;
      }
    }
    if (!stopped) timer = setTimeout(tick, EVERY_MS);
  }

  function render() {
    fill(tbody, rows.map(e => h('tr' + (e.status >= 400 ? '.failed' : ''),
      h('td', time(e.createdAt)), h('td', h('code', short(e.keyId))), h('td', e.model),
      h('td', h('span.badge.' + (e.status >= 400 ? 'bad' : 'ok'), String(e.status))),
      h('td.num', count(e.promptTokenCount) + ' / ' + count(e.completionTokenCount)),
      h('td.num', usd(e.costInUsd)), h('td.num', count(e.latencyInMs) + ' ms'))));
  }

  tick();
  return () => { stopped = true; clearTimeout(timer); };
}
