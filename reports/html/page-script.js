// The HTML report's script, inlined into the page after uPlot (reports/html/page-template.ts).
// It renders the page from the JSON in #report-data (see reports/html/page-data.ts for its
// shape): the verdict, headline figures, charts (uPlot on canvas) and tables. With
// <body data-live="true"> (the dashboard) it also listens to /events, the page's own server,
// and renders each snapshot as it comes; `end` carries the final one. It makes no other request.
(() => {
  /* global uPlot */
  const app = document.getElementById('app');
  const live = document.body.dataset.live === 'true';
  /** uPlot instances by chart id, kept across renders so a live update only swaps the data. */
  const plots = new Map();
  /** Which <details> are open, by title, so a live re-render keeps them as the reader left them. */
  const openDetails = new Set();
  let current = JSON.parse(document.getElementById('report-data').textContent);
  let updates = 0;
  let connection = live ? 'connecting' : 'none';

  const VERDICT_WORD = { passed: 'PASSED', failed: 'FAILED', interrupted: 'INTERRUPTED', running: 'RUNNING' };
  const DASHES = [undefined, [7, 4], [2, 3], [10, 3, 2, 3]];

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs ?? {})) {
      if (v === undefined || v === null || v === false) continue;
      if (k === 'class') node.className = v;
      else if (k === 'dataset') Object.assign(node.dataset, v);
      else node.setAttribute(k, v === true ? '' : String(v));
    }
    for (const child of children.flat()) {
      if (child === null || child === undefined || child === false) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  function cssVar(name) {
    return getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  }

  /** 1/(1−p) as a percentile label: 10 → "90 %", 1000 → "99.9 %". */
  function percentLabel(x, digits) {
    if (x <= 1) return '0 %';
    const p = 100 * (1 - 1 / x);
    const places = digits ?? Math.max(0, Math.round(Math.log10(x)) - 2);
    return `${p.toFixed(places)} %`;
  }

  function msLabel(v) {
    if (v === null || v === undefined || Number.isNaN(v)) return '–';
    if (v >= 10_000) return `${Number((v / 1000).toPrecision(3))} s`;
    if (v >= 100) return `${Math.round(v)} ms`;
    return `${Number(v.toPrecision(3))} ms`;
  }

  function durationLabel(v) {
    return v < 1000 ? `${Math.round(v)} ms` : `${Number((v / 1000).toPrecision(3))} s`;
  }

  function valueLabel(unit, v) {
    if (v === null || v === undefined || Number.isNaN(v)) return '–';
    if (unit === 'ms') return msLabel(v);
    return `${Number(v.toPrecision(3))}${unit}`;
  }

  function powersOfTen(min, max) {
    const out = [];
    for (let e = Math.floor(Math.log10(Math.max(min, 1))); 10 ** e <= max * 1.0001; e++) {
      if (10 ** e >= min * 0.9999) out.push(10 ** e);
    }
    return out;
  }

  /** Log-axis ticks: each power of ten in [min, max], with 2× and 5× when it spans few decades. */
  function logSplits(min, max) {
    const decades = Math.log10(max / Math.max(min, 1e-9));
    const steps = decades <= 2.5 ? [1, 2, 5] : [1];
    const out = [];
    for (let e = Math.floor(Math.log10(Math.max(min, 1e-9))); 10 ** e <= max * 1.0001; e++) {
      for (const m of steps) {
        const v = m * 10 ** e;
        if (v >= min * 0.9999 && v <= max * 1.0001) out.push(Number(v.toPrecision(6)));
      }
    }
    return out;
  }

  function plotOptions(chart, width) {
    const fg = cssVar('--muted');
    const grid = cssVar('--grid');
    const axis = { stroke: fg, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 } };
    const distribution = chart.kind === 'distribution';
    return {
      width,
      height: chart.id === 'latency' ? 320 : 250,
      padding: [12, 28, 0, 4],
      // A later run's lines are dashed: so are their legend markers.
      legend: { live: true, markers: { dash: (u, i) => (u.series[i].dash ? 'dashed' : 'solid') } },
      cursor: { drag: { x: false, y: false } },
      scales: {
        x: distribution ? { time: false, distr: 3, log: 10 } : { time: false },
        // Latency distributions span decades (a 0.3 ms read beside a 500 ms conversation): log y.
        y: distribution ? { distr: 3, log: 10 } : { range: (_u, _min, max) => [0, max > 0 ? max * 1.08 : 1] },
      },
      axes: [
        {
          ...axis,
          ...(distribution
            ? {
                splits: (_u, _i, min, max) => powersOfTen(min, max),
                values: (_u, splits) => splits.map((x) => (x === null ? '' : percentLabel(x))),
              }
            : { values: (_u, splits) => splits.map((s) => `${s} s`) }),
        },
        {
          ...axis,
          size: 76,
          ...(distribution ? { splits: (_u, _i, min, max) => logSplits(min, max) } : {}),
          // uPlot hands null for the log ticks it leaves unlabelled (too close together).
          values: (_u, splits) => splits.map((v) => (v === null ? '' : valueLabel(chart.yUnit, v))),
        },
      ],
      series: [
        {
          label: distribution ? 'percentile' : 'time',
          value: (_u, v) => (v === null ? '–' : distribution ? percentLabel(v, 3) : `${v} s`),
        },
        ...chart.lines.map((line) => ({
          label: line.label,
          stroke: cssVar(`--c${line.color}`),
          width: 2,
          dash: DASHES[line.dash % DASHES.length],
          spanGaps: distribution,
          // A line of a point or two (the first seconds of a live run) shows as dots.
          points: { show: chart.x.length <= 3, size: 6 },
          value: (_u, v) => valueLabel(chart.yUnit, v),
        })),
      ],
    };
  }

  function chartCard(chart) {
    const body = el('div', {
      class: 'chart-body',
      role: 'img',
      'aria-label': `${chart.title}: ${chart.caption}`,
    });
    const card = el(
      'section',
      { class: `card chart chart-${chart.kind}`, id: `chart-${chart.id}`, dataset: { chart: chart.id } },
      el('h3', {}, chart.title),
      el('p', { class: 'caption' }, chart.caption),
      body,
    );
    if (chart.empty !== null) {
      plots.get(chart.id)?.plot.destroy();
      plots.delete(chart.id);
      body.append(el('div', { class: 'empty' }, `No data: ${chart.empty}.`));
      return card;
    }
    const data = [chart.x, ...chart.lines.map((l) => l.values)];
    const shape = JSON.stringify([chart.kind, chart.lines.map((l) => [l.label, l.color, l.dash])]);
    const kept = plots.get(chart.id);
    if (kept && kept.shape === shape) {
      kept.plot.setData(data);
      body.append(kept.plot.root);
      return card;
    }
    kept?.plot.destroy();
    // Drawn once the card is in the document (its width is known then): see drawPending.
    body.dataset.pending = 'true';
    pending.push({ chart, body, data, shape });
    return card;
  }

  let pending = [];
  function drawPending() {
    for (const { chart, body, data, shape } of pending) {
      const width = Math.max(280, body.clientWidth);
      const plot = new uPlot(plotOptions(chart, width), data, body);
      delete body.dataset.pending;
      plots.set(chart.id, { plot, shape });
    }
    pending = [];
  }

  function cellNode(cell, numeric) {
    const c = typeof cell === 'string' ? { text: cell } : cell;
    return el(
      'td',
      {
        class: [c.tone ? `tone-${c.tone}` : '', numeric ? 'num' : ''].join(' ').trim() || undefined,
        title: c.title,
      },
      c.text,
    );
  }

  function tableCard(table) {
    const card = el('section', { class: `card table table-${table.id}`, dataset: { table: table.id } });
    card.append(el('h3', {}, table.title));
    if (table.caption) card.append(el('p', { class: 'caption' }, table.caption));
    if (table.rows.length === 0) {
      card.append(el('div', { class: 'empty' }, table.empty));
      return card;
    }
    const headed = table.columns.some((c) => c.label !== '');
    card.append(
      el(
        'div',
        { class: 'scroll' },
        el(
          'table',
          {},
          headed
            ? el(
                'thead',
                {},
                el(
                  'tr',
                  {},
                  table.columns.map((c) => el('th', { class: c.numeric ? 'num' : undefined }, c.label)),
                ),
              )
            : null,
          el(
            'tbody',
            {},
            table.rows.map((row) =>
              el(
                'tr',
                {},
                row.map((cell, i) => cellNode(cell, table.columns[i]?.numeric)),
              ),
            ),
          ),
        ),
      ),
    );
    return card;
  }

  function banner(run, state) {
    const verdict = state === 'running' ? 'running' : run.verdict;
    const status =
      live && connection !== 'none'
        ? el(
            'span',
            { class: `live live-${connection}` },
            connection === 'open'
              ? `● live · ${updates} update${updates === 1 ? '' : 's'}`
              : connection === 'ended'
                ? 'run ended · final report'
                : connection === 'lost'
                  ? 'connection lost: the figures are the last received'
                  : 'connecting…',
          )
        : null;
    return el(
      'header',
      { class: `banner verdict-${verdict}`, dataset: { verdict } },
      el('div', { class: 'verdict' }, run.tag ? `${run.tag} · ` : '', VERDICT_WORD[verdict] ?? verdict),
      el(
        'div',
        { class: 'banner-text' },
        el(
          'h1',
          {},
          run.scenario,
          run.description ? el('span', { class: 'description' }, ` — ${run.description}`) : null,
        ),
        el('p', { class: 'because' }, state === 'running' ? `so far: ${run.because}` : run.because),
        el(
          'p',
          { class: 'facts' },
          `run ${run.runId} · started ${run.startedAt.replace('T', ' ').replace(/\.\d+Z$/, ' UTC')} · ${durationLabel(run.durationMs)}`,
          status ? ' · ' : null,
          status,
        ),
      ),
    );
  }

  /** The banner of a dashboard before the run's first second is over. */
  function waiting() {
    return el(
      'header',
      { class: 'banner verdict-running', dataset: { verdict: 'running' } },
      el('div', { class: 'verdict' }, 'STARTING'),
      el(
        'div',
        { class: 'banner-text' },
        el('h1', {}, 'Waiting for the first figures'),
        el(
          'p',
          { class: 'because' },
          'The run is setting up; figures arrive once its clock has run a second.',
        ),
      ),
    );
  }

  function tiles(run) {
    return el(
      'div',
      { class: 'tiles' },
      run.tiles.map((t) =>
        el(
          'div',
          { class: `tile${t.tone ? ` tone-${t.tone}` : ''}` },
          el('div', { class: 'tile-label' }, t.label),
          el('div', { class: 'tile-value' }, t.value),
          el('div', { class: 'tile-detail' }, t.detail),
        ),
      ),
    );
  }

  function details(run) {
    const blocks = run.details.map((d) => {
      const key = `${run.tag}:${d.title}`;
      const node = el(
        'details',
        { open: openDetails.has(key) },
        el('summary', {}, d.title),
        el('pre', {}, d.json),
      );
      node.addEventListener('toggle', () => (node.open ? openDetails.add(key) : openDetails.delete(key)));
      return node;
    });
    return el('section', { class: 'card details' }, el('h3', {}, 'Scenario and target'), blocks);
  }

  function runSection(run, several) {
    const wide = new Set(['thresholds', 'operations', 'errors']);
    const tables = run.tables;
    return el(
      'section',
      { class: 'run', dataset: { run: run.tag || 'only' } },
      several
        ? el('h2', {}, `Run ${run.tag}: ${run.scenario}`, el('span', { class: 'run-id' }, run.runId))
        : null,
      several ? tiles(run) : null,
      el('div', { class: 'grid wide' }, tables.filter((t) => wide.has(t.id)).map(tableCard)),
      el('div', { class: 'grid' }, tables.filter((t) => !wide.has(t.id)).map(tableCard)),
      run.notices.length > 0
        ? el(
            'section',
            { class: 'card notices' },
            el('h3', {}, 'Notices'),
            el(
              'ul',
              {},
              run.notices.map((n) => el('li', {}, n)),
            ),
          )
        : null,
      details(run),
    );
  }

  function render(data) {
    current = data;
    document.title = data.title;
    const several = data.runs.length > 1;
    pending = [];
    const page = el(
      'div',
      { class: 'page' },
      data.runs.length === 0 ? waiting() : data.runs.map((run) => banner(run, data.state)),
      several ? null : data.runs[0] ? tiles(data.runs[0]) : null,
      el('div', { class: 'grid charts' }, data.charts.map(chartCard)),
      data.runs.map((run) => runSection(run, several)),
      el(
        'footer',
        {},
        `nexus-harness report · rendered ${data.generatedAt.replace('T', ' ').replace(/\.\d+Z$/, ' UTC')} · self-contained: this page loads nothing from anywhere`,
      ),
    );
    app.replaceChildren(page);
    drawPending();
    document.body.dataset.state = live ? connection : 'final';
    document.body.dataset.updates = String(updates);
  }

  // Charts are sized to their card: redraw them when the window (or the colour scheme) changes.
  function redrawAll() {
    for (const { plot } of plots.values()) plot.destroy();
    plots.clear();
    render(current);
  }
  let resizeTimer = 0;
  window.addEventListener('resize', () => {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(redrawAll, 150);
  });
  window.matchMedia('(prefers-color-scheme: dark)').addEventListener('change', redrawAll);

  render(current);

  if (live) {
    const events = new EventSource('/events');
    events.addEventListener('open', () => {
      connection = 'open';
      render(current);
    });
    events.addEventListener('message', (e) => {
      updates++;
      connection = 'open';
      render(JSON.parse(e.data));
    });
    events.addEventListener('end', (e) => {
      // The run is over and the server is closing: no reconnection attempts.
      events.close();
      connection = 'ended';
      render(JSON.parse(e.data) ?? current);
    });
    events.addEventListener('error', () => {
      if (connection === 'ended') return;
      connection = 'lost';
      events.close();
      render(current);
    });
  }
})();
