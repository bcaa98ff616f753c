import {h, fill, table, bar} from '../dom.js';
import * as api from '../api.js';
import {usd, count, pct, short} from '../format.js';
import {timeChart} from '../charts.js';

/** Spend and traffic: one call to /api/reporting/overview, one to /api/teams for team names. */
export default async function overview(view, ctx) {
  const [o, teamList] = await Promise.all([
    api.get('/api/reporting/overview?days=30'),
    api.get('/api/teams').catch(() => []),
  ]);
  const teamNames = Object.fromEntries((teamList || []).map(t => [t.id, t.name]));
  const card = (title, t) => h('div.card', h('h3', title),
    h('div.big', {dataset: {metric: 'spend'}}, usd(t.costInUsd)),
    h('div', count(t.requests) + ' requests'),
    h('div.muted', pct(t.errorRate) + ' errors'));
  const xs = o.byDay.map(d => d.day);
  const breakdown = (title, rows, labelOf) => {
    const max = Math.max(1e-12, ...rows.map(r => r.costInUsd));
    const maxReq = Math.max(1, ...rows.map(r => r.requests));
    return h('div.panel', h('h3', title), table([
      {title: 'Name', cell: r => labelOf(r)},
      {title: 'Spend', cls: 'num', cell: r => usd(r.costInUsd)},
      {title: '', cell: r => bar(max > 1e-12 ? r.costInUsd / max : r.requests / maxReq)},
      {title: 'Requests', cls: 'num', cell: r => count(r.requests)},
      {title: 'Errors', cls: 'num', cell: r => r.requests ? pct(r.errors / r.requests) : '—'},
    ], rows, {empty: 'No traffic in the last ' + o.days + ' days.'}));
  };
  const keyLabel = r => r.id ? h('span', h('span', r.label), ' ', h('code.muted', short(r.id))) : r.label;
  fill(view,
    h('h1', 'Overview'),
    h('div.cards', card('Today', o.today), card('Last 7 days', o.last7Days), card('Last ' + o.days + ' days', o.range)),
    h('div.charts',
      timeChart('Spend per day (USD)', xs, [{label: 'Spend', values: o.byDay.map(d => d.costInUsd)}], {format: v => '$' + (+v).toFixed(2)}),
      timeChart('Requests and errors per day', xs, [
        {label: 'Requests', values: o.byDay.map(d => d.requests)},
        {label: 'Errors', values: o.byDay.map(d => d.errors), color: '#c2476b'},
      ])),
    h('div.grid2',
      breakdown('Top keys', o.byKey.slice(0, 10), keyLabel),
      breakdown('By model', o.byModel, r => r.label),
      breakdown('By provider', o.byProvider, r => r.label),
      breakdown('By team', o.byTeam, r => r.id ? (teamNames[r.id] || r.id) : r.label),
      breakdown('By key', o.byKey, keyLabel)),
    h('p.muted', 'UTC days, from the hourly and daily rollups; errors are 4xx/5xx answers and blocked requests.'));
}
