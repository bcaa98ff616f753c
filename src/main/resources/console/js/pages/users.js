import {h, fill, table, field, input, select, values} from '../dom.js';
import * as api from '../api.js';
import {usd, count, time, short, unitName} from '../format.js';
import {enc} from './keys.js';
import {limitBody} from './teams.js';
import {UNITS} from '../format.js';

const PAGE = 25;
const state = {filter: '', offset: 0};

/** End users: one call (GET /api/users, every user or those of a key / user id / tag), paged. */
export default async function users(view, ctx) {
  const q = new URLSearchParams({limit: PAGE + 1, offset: state.offset});
  const f = state.filter;
  if (!f) q.set('all', 'true');
  else if (f.startsWith('key:')) q.set('keyIds', f.slice(4));
  else if (f.startsWith('tag:')) q.set('tags', f.slice(4));
  else q.set('userIds', f);
  const found = await api.get('/api/users?' + q);
  const more = found.length > PAGE;
  const list = found.slice(0, PAGE);
  const filters = h('form.filters', field('Filter', input('filter', {value: f, placeholder: 'user id, key:<key id> or tag:<tag>'})),
    h('button', {type: 'submit'}, 'Filter'));
  filters.addEventListener('submit', ev => { ev.preventDefault(); state.filter = values(filters).filter; state.offset = 0; ctx.rerender(); });
  const columns = [
    {title: 'User id', cell: u => h('span.user-id', u.userId)},
    {title: 'Name', cell: u => u.name || ''},
    {title: 'Keys', cell: u => (u.keyIds || []).map(short).join(', ')},
    {title: 'Tags', cell: u => (u.tags || []).join(', ')},
    {title: 'Status', cell: u => u.revoked ? h('span.badge.bad', 'revoked') : h('span.badge.ok', 'active')},
    {title: 'Spend limit', cell: u => u.costLimitInUsdOverTime ? usd(u.costLimitInUsdOverTime) + ' ' + unitName(u.costLimitInUsdUnit) : (u.costLimitInUsd ? usd(u.costLimitInUsd) + ' total' : '—')},
    {title: 'Rate limit', cell: u => u.rateLimitOverTime ? count(u.rateLimitOverTime) + ' ' + unitName(u.rateLimitUnit) : '—'},
    {title: 'Created', cell: u => time(u.createdAt)},
  ];
  if (ctx.canChange) columns.push({title: '', cls: 'actions', cell: u => actions(u, ctx)});
  fill(view, h('h1', 'End users'), ctx.canChange ? createForm(ctx) : null, filters,
    table(columns, list, {empty: 'No end users match.'}),
    h('div.pager',
      h('button', {type: 'button', disabled: state.offset === 0, onclick: () => { state.offset = Math.max(0, state.offset - PAGE); ctx.rerender(); }}, '‹ Previous'),
      h('span', list.length ? `${state.offset + 1}–${state.offset + list.length}` : ''),
      h('button', {type: 'button', disabled: !more, onclick: () => { state.offset += PAGE; ctx.rerender(); }}, 'Next ›')));
}

function createForm(ctx) {
  const form = h('form.create', h('h2', 'Create an end user'),
    h('div.row', field('User id', input('userId', {required: true})), field('Name', input('name')),
      field('Key ids', input('keyIds', {placeholder: 'comma separated'})), field('Tags', input('tags', {placeholder: 'comma separated'}))),
    h('div.row',
      field('Spend per window', input('costLimitInUsdOverTime', {type: 'number', step: 'any', min: 0})),
      field('Window', select('costLimitInUsdUnit', UNITS, '')),
      field('Requests', input('rateLimitOverTime', {type: 'number', min: 0})),
      field('per', select('rateLimitUnit', UNITS, ''))),
    h('button', {type: 'submit'}, 'Create user'));
  form.addEventListener('submit', async ev => {
    ev.preventDefault();
    const v = values(form);
    const split = s => s.split(',').map(x => x.trim()).filter(Boolean);
    const body = {userId: v.userId, name: v.name, keyIds: split(v.keyIds), tags: split(v.tags), ...limitBody(v)};
    try { await api.post('/api/users', body); await ctx.rerender(); } catch (e) { ctx.fail(e); }
  });
  return form;
}

function actions(u, ctx) {
  return h('span.buttons', h('button.small' + (u.revoked ? '' : '.warn'), {type: 'button', onclick: async () => {
    try {
      await api.patch('/api/users/' + enc(u.id), u.revoked ? {revoked: false} : {revoked: true, revokedReason: 'revoked in the console'});
      await ctx.rerender();
    } catch (e) { ctx.fail(e); }
  }}, u.revoked ? 'Restore' : 'Revoke'));
}
