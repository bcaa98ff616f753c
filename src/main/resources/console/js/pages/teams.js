import {h, fill, table, field, input, select, values, bar} from '../dom.js';
import * as api from '../api.js';
import {usd, count, time, short, UNITS, unitName} from '../format.js';
import {confirmThen, enc} from './keys.js';

/** Teams: the team list and the 30-day overview (for each team's spend and requests). */
export default async function teams(view, ctx) {
  const [list, o] = await Promise.all([api.get('/api/teams'), api.get('/api/reporting/overview?days=30')]);
  const usage = Object.fromEntries((o.byTeam || []).map(r => [r.id, r]));
  const columns = [
    {title: 'Name', cell: t => h('span.team-name', t.name)},
    {title: 'Id', cell: t => h('code', {title: t.id}, short(t.id))},
    {title: 'Tags', cell: t => (t.tags || []).join(', ')},
    {title: '30-day spend', cls: 'num', cell: t => usd(usage[t.id]?.costInUsd)},
    {title: '30-day requests', cls: 'num', cell: t => count(usage[t.id]?.requests)},
    {title: 'Spend limit', cell: t => t.costLimitInUsdOverTime ? usd(t.costLimitInUsdOverTime) + ' ' + unitName(t.costLimitInUsdUnit) : (t.costLimitInUsd ? usd(t.costLimitInUsd) + ' total' : '—')},
    {title: 'Rate limit', cell: t => t.rateLimitOverTime ? count(t.rateLimitOverTime) + ' ' + unitName(t.rateLimitUnit) : '—'},
    {title: 'Created', cell: t => time(t.createdAt)},
  ];
  if (ctx.canChange) columns.push({title: '', cls: 'actions', cell: t => actions(t, ctx)});
  fill(view, h('h1', 'Teams'), ctx.canChange ? createForm(ctx) : null, table(columns, list, {empty: 'No teams yet.'}),
    h('p.muted', 'Spend and requests: the events of the last 30 UTC days recorded for the team.'));
}

function limitFields(t = {}) {
  return [
    field('Spend limit (USD, total)', input('costLimitInUsd', {type: 'number', step: 'any', min: 0, value: t.costLimitInUsd || ''})),
    field('Spend per window', input('costLimitInUsdOverTime', {type: 'number', step: 'any', min: 0, value: t.costLimitInUsdOverTime || ''})),
    field('Window', select('costLimitInUsdUnit', UNITS, t.costLimitInUsdUnit || '')),
    field('Requests', input('rateLimitOverTime', {type: 'number', min: 0, value: t.rateLimitOverTime || ''})),
    field('per', select('rateLimitUnit', UNITS, t.rateLimitUnit || '')),
  ];
}

export function limitBody(v) {
  const out = {};
  out.costLimitInUsd = Number(v.costLimitInUsd || 0);
  out.costLimitInUsdOverTime = Number(v.costLimitInUsdOverTime || 0);
  out.costLimitInUsdUnit = out.costLimitInUsdOverTime ? v.costLimitInUsdUnit : '';
  out.rateLimitOverTime = Number(v.rateLimitOverTime || 0);
  out.rateLimitUnit = out.rateLimitOverTime ? v.rateLimitUnit : '';
  return out;
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
    h('button.small', {type: 'button', onclick: () => {
      const form = h('form.inline', limitFields(t), h('button.small', {type: 'submit'}, 'Save'),
        h('button.small', {type: 'button', onclick: () => ctx.rerender()}, 'Cancel'));
      form.addEventListener('submit', async ev => {
        ev.preventDefault();
        try { await api.patch('/api/teams/' + enc(t.id), limitBody(values(form))); await ctx.rerender(); } catch (e) { ctx.fail(e); }
      });
      fill(box, form);
    }}, 'Limits'),
    h('button.small.danger', {type: 'button', onclick: () => confirmThen(box, 'Delete this team?', async () => {
      try { await api.del('/api/teams/' + enc(t.id)); await ctx.rerender(); } catch (e) { ctx.fail(e); }
    })}, 'Delete'));
  return box;
}
