import {h, fill, table, field, input, searchForm} from '../dom.js';
import * as api from '../api.js';
import {usd, count, time, short, eventView} from '../format.js';
import {enc} from './keys.js';

const PAGE = 50;
const state = {keyId: '', teamId: '', userId: '', model: '', status: '', from: '', to: '', cursors: [null]};

/** Events explorer: one call per page (POST /api/v2/events, newest first, cursor paging); one per opened event. */
export default async function events(view, ctx) {
  const now = Math.floor(Date.now() / 1000);
  const body = {
    start: state.from ? Math.floor(Date.parse(state.from + 'Z') / 1000) : 1,
    end: state.to ? Math.floor(Date.parse(state.to + 'Z') / 1000) : now + 3600,
    dateOrder: 'desc', limit: PAGE,
  };
  if (state.keyId) body.keyIds = [state.keyId];
  if (state.teamId) body.teamIds = [state.teamId];
  if (state.userId) body.userIds = [state.userId];
  if (state.model) body.models = [state.model];
  if (state.status) body.status = Number(state.status);
  const cursor = state.cursors[state.cursors.length - 1];
  if (cursor) body.cursor = cursor;
  const r = await api.call('POST', '/api/v2/events', body);
  const list = (r.data.events || []).map(eventView);
  const next = r.data.nextCursor || r.headers.get('X-Next-Cursor');

  const filters = searchForm(state, () => ctx.rerender(),
    field('Key id', input('keyId', {value: state.keyId})),
    field('Team id', input('teamId', {value: state.teamId})),
    field('User id', input('userId', {value: state.userId})),
    field('Model', input('model', {value: state.model})),
    field('Status', input('status', {value: state.status, type: 'number', min: 100, max: 599})));
  const detail = h('div#event-detail');
  const columns = [
    {title: 'Time', cell: e => time(e.createdAt)},
    {title: 'Key', cell: e => h('code', {title: e.keyId}, short(e.keyId))},
    {title: 'Model', cell: e => e.model},
    {title: 'Provider', cell: e => e.provider},
    {title: 'Status', cell: e => h('span.badge.' + (e.status >= 400 ? 'bad' : 'ok'), String(e.status))},
    {title: 'Action', cell: e => e.action || ''},
    {title: 'Tokens', cls: 'num', cell: e => count(e.promptTokenCount) + ' / ' + count(e.completionTokenCount)},
    {title: 'Cost', cls: 'num', cell: e => usd(e.costInUsd)},
    {title: 'Latency', cls: 'num', cell: e => count(e.latencyInMs) + ' ms'},
    {title: 'User', cell: e => e.userId || ''},
    {title: '', cell: e => h('button.small', {type: 'button', dataset: {action: 'open'}, onclick: () => open(e, detail, ctx)}, 'Open')},
  ];
  fill(view, h('h1', 'Events'), filters,
    table(columns, list, {empty: 'No events match.', rowClass: e => e.status >= 400 ? 'failed' : ''}),
    h('div.pager',
      h('button', {type: 'button', disabled: state.cursors.length === 1, onclick: () => { state.cursors.pop(); ctx.rerender(); }}, '‹ Newer'),
      h('span', `page ${state.cursors.length}`),
      h('button', {type: 'button', disabled: !next, onclick: () => { state.cursors.push(next); ctx.rerender(); }}, 'Older ›')),
    detail);
}

async function open(row, detail, ctx) {
  fill(detail, h('p.muted', 'Loading event…'));
  let e = row;
  let note = null;
  try {
    e = eventView(await api.get('/api/events/' + enc(row.id)));
  } catch (err) {
    if (err.status === 404) note = 'This gateway does not serve single events (GET /api/events/:id answered 404), or the event is gone: showing the row from the list, without bodies.';
    else if (err instanceof api.SignInRequired) throw err;
    else note = 'The event could not be loaded: ' + err.message;
  }
  const raw = ['request', 'response', 'key_id', 'created_at', 'cost_in_usd', 'prompt_token_count', 'completion_token_count',
    'latency_in_ms', 'custom_id', 'team_id', 'user_id'];
  const pairs = Object.entries(e).filter(([k, v]) => !raw.includes(k) && v !== undefined && v !== null && v !== '');
  fill(detail, h('h2', 'Event ', h('code', row.id)),
    note ? h('div.notice', note) : null,
    h('dl.kv', pairs.map(([k, v]) => [h('dt', k), h('dd', typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v))])),
    body('Request body', e.request), body('Response body', e.response));
  detail.scrollIntoView({block: 'nearest'});
}

function body(title, v) {
  if (v === undefined || v === null || v === '') return h('div', h('h3', title), h('p.muted', 'not logged'));
  let text = typeof v === 'string' ? v : JSON.stringify(v, null, 2);
  try { if (typeof v === 'string') text = JSON.stringify(JSON.parse(v), null, 2); } catch (e) { /* not JSON: as sent */ }
  return h('div', h('h3', title), h('pre.body', text));
}
