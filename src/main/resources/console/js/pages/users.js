import {h, fill, table, field, input, values} from '../dom.js';
import * as api from '../api.js';
import {time, short} from '../format.js';
import {enc} from './keys.js';
import {liveUsage, usageCell, limitFields, limitBody, limitsButton} from '../usage.js';

const PAGE = 25;
const state = {filter: '', offset: 0};

/**
 * End users: one call for the page of users (GET /api/users, every user or those of a key / user id / tag), one for
 * their usage against their limits.
 */
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
  const live = await liveUsage('/api/reporting/user-usage', 'userIds', list.map(u => u.id), 'id');
  const filters = h('form.filters', field('Filter', input('filter', {value: f, placeholder: 'user id, key:<key id> or tag:<tag>'})),
    h('button', {type: 'submit'}, 'Filter'));
  filters.addEventListener('submit', ev => { ev.preventDefault(); state.filter = values(filters).filter; state.offset = 0; ctx.rerender(); });
  const columns = [
    {title: 'User id', cell: u => h('span.user-id', u.userId)},
    {title: 'Name', cell: u => u.name || ''},
    {title: 'Team', cell: u => u.teamId ? short(u.teamId) : ''},
    {title: 'Keys', cell: u => (u.keyIds || []).map(short).join(', ')},
    {title: 'Tags', cell: u => (u.tags || []).join(', ')},
    {title: 'Status', cell: u => u.revoked ? h('span.badge.bad', 'revoked') : h('span.badge.ok', 'active')},
    {title: 'Usage / limits', cls: 'usage', cell: u => usageCell(live[u.id])},
    {title: 'Created', cell: u => time(u.createdAt)},
  ];
  if (ctx.canChange) columns.push({title: '', cls: 'actions', cell: u => actions(u, ctx)});
  fill(view, h('h1', 'End users'), ctx.canChange ? createForm(ctx) : null, filters,
    table(columns, list, {empty: 'No end users match.'}),
    h('div.pager',
      h('button', {type: 'button', disabled: state.offset === 0, onclick: () => { state.offset = Math.max(0, state.offset - PAGE); ctx.rerender(); }}, '‹ Previous'),
      h('span', list.length ? `${state.offset + 1}–${state.offset + list.length}` : ''),
      h('button', {type: 'button', disabled: !more, onclick: () => { state.offset += PAGE; ctx.rerender(); }}, 'Next ›')),
    h('p.muted', 'Usage / limits: the live counters the gateway admits a user\'s requests by, in each limit\'s current window.'));
}

function createForm(ctx) {
  const form = h('form.create', h('h2', 'Create an end user'),
    h('div.row', field('User id', input('userId', {required: true})), field('Name', input('name', {required: true})),
      field('Key ids', input('keyIds', {placeholder: 'comma separated'})), field('Tags', input('tags', {placeholder: 'comma separated'})),
      field('Team id', input('teamId'))),
    h('div.row', limitFields()),
    h('button', {type: 'submit'}, 'Create user'));
  form.addEventListener('submit', async ev => {
    ev.preventDefault();
    const v = values(form);
    const split = s => s.split(',').map(x => x.trim()).filter(Boolean);
    const body = {userId: v.userId, name: v.name, keyIds: split(v.keyIds), tags: split(v.tags), ...limitBody(v)};
    if (v.teamId) body.teamId = v.teamId; // a team-admin's users must name one of its teams
    try { await api.post('/api/users', body); await ctx.rerender(); } catch (e) { ctx.fail(e); }
  });
  return form;
}

function actions(u, ctx) {
  const box = h('span.buttons');
  box.append(
    limitsButton(box, u, ctx, body => api.patch('/api/users/' + enc(u.id), body)),
    h('button.small' + (u.revoked ? '' : '.warn'), {type: 'button', dataset: {action: u.revoked ? 'restore' : 'revoke'}, onclick: async () => {
      try {
        await api.patch('/api/users/' + enc(u.id), u.revoked ? {revoked: false} : {revoked: true, revokedReason: 'revoked in the console'});
        await ctx.rerender();
      } catch (e) { ctx.fail(e); }
    }}, u.revoked ? 'Restore' : 'Revoke'));
  return box;
}
