// The report page's charts and pictures, drawn with Chart.js from the data the report wrote into the
// JSON script element #report-data. Text from the run reaches the page only as chart labels (drawn
// on canvas): nothing here writes HTML.
(function () {
  'use strict';
  const data = JSON.parse(document.getElementById('report-data').textContent);
  const charts = data.charts;
  const x = charts.trials;
  const colors = { alice: '#1f77b4', bob: '#d62728', pairs: ['#1f77b4', '#ff7f0e', '#2ca02c', '#9467bd'],
                   band: 'rgba(31,119,180,0.18)', expected: '#2ca02c', abort: '#b3121f', local: '#7f7f7f', plan: '#ff7f0e' };
  Chart.defaults.animation = false;
  Chart.defaults.font.size = 12;
  Chart.defaults.maintainAspectRatio = false;
  Chart.defaults.plugins.legend.labels.boxWidth = 14;

  const points = (ys) => ys.map((y, i) => ({ x: x[i], y: y }));
  const lastTrial = x.length ? x[x.length - 1] : 1;
  const flat = (y) => (y === null || y === undefined ? [] : [{ x: 0, y: y }, { x: lastTrial, y: y }]);
  const line = (label, ys, color, extra) => Object.assign({ label: label, data: points(ys), borderColor: color, backgroundColor: color,
                                                            pointRadius: 0, borderWidth: 2, spanGaps: true }, extra || {});
  const dots = (label, ys, color) => line(label, ys, color, { showLine: false, pointRadius: 2, borderWidth: 0 });
  const level = (label, y, color, dash) => ({ label: label, data: flat(y), borderColor: color, backgroundColor: color, pointRadius: 0,
                                              borderWidth: 1.5, borderDash: dash || [6, 4] });
  const trialsAxis = { type: 'linear', title: { display: true, text: 'trials' }, min: 0, max: lastTrial };
  const drawn = [];

  function plot(id, datasets, yTitle, extra) {
    const canvas = document.getElementById(id);
    if (!canvas) return;
    const options = { parsing: true, scales: { x: trialsAxis, y: { title: { display: true, text: yTitle } } },
                      plugins: { legend: { position: 'bottom' } }, interaction: { mode: 'nearest', intersect: false } };
    drawn.push(new Chart(canvas, { type: 'line', data: { datasets: datasets.filter((d) => d.data.length) },
                                   options: Object.assign(options, extra || {}) }));
  }

  function bars(id, series, yTitle) {
    const canvas = document.getElementById(id);
    if (!canvas) return;
    const labels = x.map((t) => t.toLocaleString('en-US'));
    drawn.push(new Chart(canvas, { type: 'bar', data: { labels: labels, datasets: series },
                                   options: { scales: { x: { stacked: true, title: { display: true, text: 'trials (bin end)' } },
                                                        y: { stacked: true, beginAtZero: true, title: { display: true, text: yTitle } } },
                                              plugins: { legend: { position: 'bottom' } } } }));
  }

  // S over the run: band first (the upper edge fills down to the lower), then the lines on top.
  const c = charts.chsh;
  plot('chart-chsh', [
    line('95% band', c.low, 'rgba(0,0,0,0)', { borderWidth: 0 }),
    line('95% band', c.high, 'rgba(0,0,0,0)', { borderWidth: 0, fill: '-1', backgroundColor: colors.band }),
    line('S_win, all trials so far', c.cumulative, colors.alice),
    dots('S_win of each bin', c.per_bin, 'rgba(31,119,180,0.45)'),
    level('expected S', c.expected, colors.expected),
    level('abort line (fixed before the run)', c.abort, colors.abort, [2, 0]),
    level('SV-local bound', c.local, colors.local),
  ], 'S_win = 8ω − 4', { plugins: { legend: { position: 'bottom', labels: { filter: (item, chart) => item.datasetIndex !== 0 } } } });

  const pairNames = ['(0,0)', '(0,1)', '(1,0)', '(1,1)'];
  plot('chart-pairs', pairNames.map((n, p) => line('x,y = ' + n, charts.pairs.share[p], colors.pairs[p])).concat([level('a quarter', 0.25, colors.local)]),
       'share of the bin\'s trials');
  const expectedWins = charts.pairs.expected_win_rate || [];
  plot('chart-pair-wins', pairNames.map((n, p) => line('x,y = ' + n, charts.pairs.win_rate[p], colors.pairs[p]))
       .concat(expectedWins.map((w, p) => level(p === 0 ? 'expected (dashed)' : '', w, colors.pairs[p]))), 'win rate',
       { plugins: { legend: { position: 'bottom', labels: { filter: (item) => item.text !== '' } } } });

  const e = charts.entropy;
  const finalPoint = e.certified === null ? [] : [{ x: lastTrial, y: e.certified }];
  plot('chart-entropy', [
    line('at the wins so far', e.observed, colors.alice),
    line('the plan (expected S)', e.plan, colors.plan, { borderDash: [6, 4] }),
    { label: 'certified', data: finalPoint, borderColor: colors.expected, backgroundColor: colors.expected, pointRadius: 6, showLine: false },
  ], 'smooth min-entropy (bits)');

  const eps = charts.source_bias;
  const s = charts.stations;
  plot('chart-bias', [
    dots('Alice, per bin', s.alice.bias, 'rgba(31,119,180,0.45)'),
    dots('Bob, per bin', s.bob.bias, 'rgba(214,39,40,0.45)'),
    line('Alice, so far', s.alice.cumulative_bias, colors.alice),
    line('Bob, so far', s.bob.cumulative_bias, colors.bob),
    level('+ε', eps, colors.local),
    level('−ε', -eps, colors.local),
  ], 'fraction of ones − ½');

  const bar = (label, ys, color) => ({ label: label, data: ys, backgroundColor: color });
  bars('chart-health', [
    bar('Alice RCT', s.alice.health_rct, '#1f77b4'), bar('Alice APT', s.alice.health_apt, '#aec7e8'),
    bar('Bob RCT', s.bob.health_rct, '#d62728'), bar('Bob APT', s.bob.health_apt, '#ff9896'),
  ], 'records flagged');
  bars('chart-losses', [
    bar('Alice late trigger', s.alice.late_triggers, '#1f77b4'), bar('Alice missing outcome', s.alice.missing_outcomes, '#aec7e8'),
    bar('Alice unpaired', s.alice.unpaired, '#17becf'), bar('Alice not recorded', s.alice.not_recorded, '#9edae5'),
    bar('Bob late trigger', s.bob.late_triggers, '#d62728'), bar('Bob missing outcome', s.bob.missing_outcomes, '#ff9896'),
    bar('Bob unpaired', s.bob.unpaired, '#e377c2'), bar('Bob not recorded', s.bob.not_recorded, '#f7b6d2'),
  ], 'trials');

  // The pictures: bit i of the packed bits is pixel i (row by row); pixels past `known` are grey.
  const pictures = data.pictures;
  function drawPicture(id, picture) {
    const canvas = document.getElementById(id);
    if (!canvas || !picture) return;
    const bytes = atob(picture.bits);
    const ctx = canvas.getContext('2d');
    const image = ctx.createImageData(pictures.width, pictures.height);
    for (let i = 0; i < pictures.width * pictures.height; i++) {
      const bit = (bytes.charCodeAt(i >> 3) >> (i & 7)) & 1;
      const v = i < picture.known ? (bit ? 20 : 250) : 170;
      image.data[4 * i] = v; image.data[4 * i + 1] = v; image.data[4 * i + 2] = v; image.data[4 * i + 3] = 255;
    }
    ctx.putImageData(image, 0, 0);
    drawn.push(canvas);
  }
  drawPicture('picture-original', pictures.original);
  drawPicture('picture-weak', pictures.weak);
  drawPicture('picture-output', pictures.output);
  document.documentElement.dataset.drawn = String(drawn.length);
}());
