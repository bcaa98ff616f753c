import {h, fill, table, field, input, searchForm} from '../dom.js';
import * as api from '../api.js';
import {time, short} from '../format.js';

const PAGE = 50;
const state = {subject: '', resourceType: '', resourceId: '', from: '', to: '', cursors: [null]};

/**
 * Audit log: who changed what, newest first (GET /api/audit-log, one call per page, cursor paging through
 * X-Next-Cursor). Before and after are shown as JSON text, as the server masked them.
 */
export default async function audit(view, ctx) {
  // #/audit?limit=N: a smaller page than the default (the API allows 1..1000)
  const asked = Number(new URLSearchParams(location.hash.split('?')[1] || '').get('limit'));
  const q = new URLSearchParams({limit: String(asked >= 1 && asked <= 1000 ? Math.floor(asked) : PAGE)});
  for (const k of ['subject', 'resourceType', 'resourceId']) if (state[k]) q.set(k, state[k]);
  if (state.from) q.set('start', String(Math.floor(Date.parse(state.from + 'Z') / 1000)));
  if (state.to) q.set('end', String(Math.floor(Date.parse(state.to + 'Z') / 1000)));
  const cursor = state.cursors[state.cursors.length - 1];
  if (cursor) q.set('cursor', cursor);
  const r = await api.call('GET', '/api/audit-log?' + q);
  const rows = Array.isArray(r.data) ? r.data : [];
  const next = r.headers.get('X-Next-Cursor');

  const filters = searchForm(state, () => ctx.rerender(),
    field('Subject', input('subject', {value: state.subject})),
    field('Resource type', input('resourceType', {value: state.resourceType, placeholder: 'key, team, policy…'})),
    field('Resource id', input('resourceId', {value: state.resourceId})));
  const columns = [
    {title: 'Time', cell: e => time(e.createdAt)},
    {title: 'Who', cls: 'subject', cell: e => h('span', {title: e.authMethod || ''}, e.subject || '')},
    {title: 'From', cell: e => e.address || ''},
    {title: 'Change', cls: 'change', cell: e => h('code', (e.method || '') + ' ' + (e.path || ''))},
    {title: 'Resource', cell: e => [e.resourceType || '', ' ', h('code', {title: e.resourceId || ''}, short(e.resourceId || ''))]},
    {title: 'Status', cell: e => String(e.status)},
    {title: 'Before', cls: 'before', cell: e => json(e.before)},
    {title: 'After', cls: 'after', cell: e => json(e.after)},
  ];
  fill(view, h('h1', 'Audit log'), filters,
    table(columns, rows, {empty: 'No changes match.'}),
    h('div.pager',
      h('button', {type: 'button', disabled: state.cursors.length === 1, onclick: () => { state.cursors.pop(); ctx.rerender(); }}, '‹ Newer'),
      h('span', `page ${state.cursors.length}`),
      h('button', {type: 'button', dataset: {action: 'older'}, disabled: !next, onclick: () => { state.cursors.push(next); ctx.rerender(); }}, 'Older ›')));
}

/** JSON as text in a pre (never markup): null shows as a dash. */
function json(v) {
  if (v === undefined || v === null) return h('span.muted', '—');
  return h('pre.json', JSON.stringify(v, null, 1));
}
