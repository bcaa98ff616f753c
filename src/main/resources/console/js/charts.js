// Charts with uPlot (served from its WebJar; the global `uPlot` comes from its deferred script).
import {h} from './dom.js';

const PALETTE = ['#3b6fd8', '#e0803a', '#3aa675', '#c2476b', '#8a63c9', '#6b7785'];

/** A time series chart: xs in Unix seconds, series [{label, values, color}]. */
export function timeChart(title, xs, series, opts = {}) {
  const box = h('div.chart', h('h3', title));
  const holder = h('div.chart-canvas');
  box.appendChild(holder);
  if (typeof uPlot === 'undefined') {
    holder.appendChild(h('p.muted', 'The chart library did not load.'));
    return box;
  }
  const width = opts.width || 560;
  const plot = new uPlot({
    width, height: opts.height || 220,
    legend: {show: true},
    scales: {x: {time: true}},
    axes: [{}, {values: (u, vals) => vals.map(v => opts.format ? opts.format(v) : v)}],
    series: [{}, ...series.map((s, i) => ({
      label: s.label, stroke: s.color || PALETTE[i % PALETTE.length], width: 2,
      fill: (s.color || PALETTE[i % PALETTE.length]) + '22',
      value: (u, v) => v == null ? '' : (opts.format ? opts.format(v) : v),
    }))],
  }, [xs, ...series.map(s => s.values)], holder);
  box.plot = plot;
  return box;
}
