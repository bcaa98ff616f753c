import {h, fill, table, field, input, values} from '../dom.js';
import * as api from '../api.js';
import {usd, count, time, short} from '../format.js';
import {confirmThen, enc} from './keys.js';
import {liveUsage, usageCell, limitFields, limitBody, limitsButton} from '../usage.js';

/**
 * Teams: the team list, the 30-day overview (each team's spend and requests) and each team's usage against its limits.
 * Teams are an admin's to change (a team-admin reads its own): the form and buttons are an admin's only.
 */
export default async function teams(view, ctx) {
  const [list, o] = await Promise.all([api.get('/api/teams'), overview()]);
  const live = await liveUsage('/api/reporting/team-usage', 'teamIds', list.map(t => t.id), 'teamId');
  const columns = [
    {title: 'Name', cell: t => h('span.team-name', t.name)},
    {title: 'Id', cell: t => h('code', {title: t.id}, short(t.id))},
    {title: 'Tags', cell: t => (t.tags || []).join(', ')},
  ];
  if (o) {
    const usage = Object.fromEntries((o.byTeam || []).map(r => [r.id, r]));
    columns.push({title: '30-day spend', cls: 'num', cell: t => usd(usage[t.id]?.costInUsd)},
      {title: '30-day requests', cls: 'num', cell: t => count(usage[t.id]?.requests)});
  }
  columns.push({title: 'Usage / limits', cls: 'usage', cell: t => usageCell(live[t.id])},
    {title: 'Created', cell: t => time(t.createdAt)});
  if (ctx.isAdmin) columns.push({title: '', cls: 'actions', cell: t => actions(t, ctx)});
  fill(view, h('h1', 'Teams'), ctx.isAdmin ? createForm(ctx) : null, table(columns, list, {empty: 'No teams yet.'}),
    h('p.muted', (o ? '30-day spend and requests: the events of the last 30 UTC days recorded for the team. ' : '')
      + 'Usage / limits: the live counters the gateway admits requests by, in each limit\'s current window.'));
}

/** The 30-day overview, or null for a team-admin: it sums every team, so only an admin or a viewer may read it. */
function overview() {
  return api.get('/api/reporting/overview?days=30').catch(e => {
    if (e instanceof api.ApiError && e.status === 403) return null;
    throw e;
  });
}

function createForm(ctx) {
  const form = h('form.create', h('h2', 'Create a team'),
    h('div.row', field('Name', input('name', {required: true})), field('Tags', input('tags', {placeholder: 'comma separated'}))),
    h('div.row', limitFields()),
    h('button', {type: 'submit'}, 'Create team'));
  form.addEventListener('submit', async ev => {
    ev.preventDefault();
    const v = values(form);
    const body = {name: v.name, tags: v.tags.split(',').map(s => s.trim()).filter(Boolean), ...limitBody(v)};
    try { await api.post('/api/teams', body); await ctx.rerender(); } catch (e) { ctx.fail(e); }
  });
  return form;
}

function actions(t, ctx) {
  const box = h('span.buttons');
  box.append(
    limitsButton(box, t, ctx, body => api.patch('/api/teams/' + enc(t.id), body)),
    h('button.small.danger', {type: 'button', dataset: {action: 'delete'}, onclick: () => confirmThen(box, 'Delete this team?', async () => {
      try { await api.del('/api/teams/' + enc(t.id)); await ctx.rerender(); } catch (e) { ctx.fail(e); }
    })}, 'Delete'));
  return box;
}
