// The demo page's script: shows what cdn-loader does, live. It only listens to the loader's events
// and calls its public API (window.CDNLoader); the edges are broken and healed through the origin's
// POST /control. Plain JS, no framework, no inline script, no innerHTML: the page runs under a
// Content-Security-Policy with Trusted Types.
'use strict';
(() => {
  const EVENTS = ['cdn:ready', 'cdn:probe', 'cdn:edge', 'cdn:fallback', 'cdn:load', 'cdn:error'];
  const STATES = [
    ['healthy', 'healthy', 'Answers normally'],
    ['down', 'down', 'Port closed: connections are refused'],
    ['hang', 'hang', 'Accepts connections and never answers'],
    ['slow', 'slow', 'Answers after the extra delay'],
    ['broken', '500', 'Answers 500 with an HTML page'],
    ['corrupt', 'corrupt', 'Answers 200 with bytes that are not an image'],
  ];
  /** What an edge in each state does, as a sentence: "edge-b hangs". */
  const DOES = {
    healthy: () => 'is healthy',
    down: () => 'is down (port closed)',
    hang: () => 'hangs',
    slow: (ms) => `is slow (+${ms} ms)`,
    broken: () => 'answers 500',
    corrupt: () => 'serves corrupt images',
  };
  /** Seconds of probe history the charts show. */
  const WINDOW = 60;
  /** Timeline rows kept. */
  const MAX_ROWS = 250;
  const SVG = 'http://www.w3.org/2000/svg';
  const t0 = performance.now();

  /** Events that arrived before the DOM was ready. */
  const early = [];
  let started = false;
  for (const type of EVENTS)
    document.addEventListener(type, (e) => {
      const ev = { type, detail: e.detail || {}, at: performance.now() };
      if (started) handle(ev);
      else early.push(ev);
    });

  /** id → { card, samples: [{at, ok, ms}], downs: [[from, to|null]], state, latency } */
  const edges = new Map();
  const sources = ['origin'];
  let serial = 0;
  let reloads = 0;
  /** Open timeline rows that similar events fold into, until some other event is shown. */
  let folds = new Map();

  const $ = (sel, root = document) => root.querySelector(sel);
  const el = (tag, cls, text) => {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  };
  const svg = (tag, attrs) => {
    const e = document.createElementNS(SVG, tag);
    for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
    return e;
  };
  const chip = (id) => el('span', 'chip src-' + id, id);
  const secs = (at) => ((at - t0) / 1000).toFixed(1) + ' s';
  const loader = () => window.CDNLoader;

  function manifest() {
    try {
      return JSON.parse($('#cdn-manifest').textContent);
    } catch {
      return { edges: [] };
    }
  }

  // ---- sources: one card per edge, and the origin ----

  function buildCards() {
    const m = manifest();
    const holder = $('#sources');
    const tpl = $('#edge-card');
    const card = (id, host) => {
      const c = tpl.content.firstElementChild.cloneNode(true);
      c.dataset.edge = id;
      c.classList.add('src-' + id);
      $('.name', c).textContent = id;
      $('.host', c).textContent = host;
      holder.append(c);
      return c;
    };
    const o = card('origin', location.host);
    o.classList.add('origin');
    $('.loader-state', o).textContent = 'last resort';
    $('.host', o).after(
      el('p', 'origin-note', 'Holds every image too. Serves its share in round-robin, everything in off mode, and whatever no edge could serve.'),
    );
    for (const e of m.edges || []) {
      const id = typeof e === 'string' ? new URL(e).host : e.id;
      const url = typeof e === 'string' ? e : e.url;
      const c = card(id, new URL(url).host);
      const controls = $('.controls', c);
      for (const [state, label, title] of STATES) {
        const b = el('button', 'state state-' + state, label);
        b.type = 'button';
        b.title = title;
        b.dataset.edge = id;
        b.dataset.state = state;
        b.setAttribute('aria-pressed', String(state === 'healthy'));
        b.addEventListener('click', () => control(id, state, c));
        if (state === 'slow') {
          const wrap = el('span', 'slow');
          const input = el('input', 'delay');
          Object.assign(input, { type: 'number', min: '0', max: '60000', step: '50', value: '300' });
          input.setAttribute('aria-label', id + ' extra delay in ms');
          b.textContent = 'slow +';
          wrap.append(b, input, el('span', 'unit', 'ms'));
          controls.append(wrap);
        } else controls.append(b);
      }
      edges.set(id, { card: c, samples: [], downs: [], state: 'up', latency: null });
      sources.push(id);
    }
  }

  async function control(id, state, card) {
    const delay = Number($('.delay', card).value) || 0;
    const q = new URLSearchParams({ edge: id, state, delay: String(delay) });
    row('demo', [el('span', 'you', 'you:'), chip(id), ' → ' + (state === 'slow' ? `slow +${delay} ms` : state)]);
    try {
      const res = await fetch('/control?' + q, { method: 'POST' });
      const body = await res.json();
      if (!res.ok) throw new Error(body.error || res.statusText);
      showServers(body);
      if (auto()) reloadAll(`${id} ${DOES[state](delay)}`);
    } catch (e) {
      row('demo', ['control failed: ' + e.message]);
    }
  }

  function showServers(s) {
    for (const e of s.edges) {
      const edge = edges.get(e.id);
      if (!edge) continue;
      const c = edge.card;
      c.dataset.server = e.state;
      $('.server-state', c).textContent = e.state === 'slow' ? `slow +${e.delay} ms` : e.state === 'broken' ? '500' : e.state;
      $('.served', c).textContent = `${e.images} img${e.unanswered ? ` · ${e.unanswered} unanswered` : ''} · ${e.probes} probes`;
      for (const b of c.querySelectorAll('button.state')) b.setAttribute('aria-pressed', String(b.dataset.state === e.state));
    }
    const o = $('.card.origin');
    if (o) $('.served', o).textContent = `${s.origin.images} img`;
  }

  async function poll() {
    try {
      const res = await fetch('/control', { cache: 'no-store' });
      if (res.ok) showServers(await res.json());
    } catch {
      // The demo server stopped; the page keeps showing what it last knew.
    }
  }

  function showEdge(id) {
    const edge = edges.get(id);
    if (!edge) return;
    const c = edge.card;
    c.dataset.loader = edge.state;
    const badge = $('.loader-state', c);
    badge.textContent = edge.state === 'up' ? 'up' : 'down';
    badge.className = 'badge loader-state ' + edge.state;
    const last = edge.samples.filter((s) => !s.gap).pop();
    const now = last ? (last.ok ? `${last.ms} ms` : `failed (${last.ms} ms)`) : '–';
    $('.latency', c).textContent = edge.latency === null ? now : `${now} · avg ${edge.latency} ms`;
  }

  function drawChart(id, now) {
    const edge = edges.get(id);
    const chart = $('.chart', edge.card);
    // The first minute spans the time since the page opened, so the chart fills from the start.
    const span = Math.min(WINDOW * 1000, Math.max(10000, now - t0));
    const from = now - span;
    const x = (at) => ((at - from) / span) * 300;
    const recent = edge.samples.filter((s) => s.at >= from - 5000);
    const max = Math.max(10, ...recent.filter((s) => s.ok && !s.gap).map((s) => s.ms)) * 1.15;
    const y = (ms) => 62 - (ms / max) * 56;
    const parts = [];
    for (const [a, b] of edge.downs) {
      if (b !== null && b < from) continue;
      const left = Math.max(0, x(a));
      parts.push(svg('rect', { class: 'down-band', x: left, y: 0, width: Math.max(1, x(b ?? now) - left), height: 64 }));
    }
    for (const v of [0.5, 1]) parts.push(svg('line', { class: 'gridline', x1: 0, x2: 300, y1: y(max * v / 1.15), y2: y(max * v / 1.15) }));
    let run = [];
    const flush = () => {
      if (run.length > 1) parts.push(svg('polyline', { class: 'line', points: run.join(' ') }));
      else if (run.length === 1) parts.push(svg('circle', { class: 'dot', cx: run[0].split(',')[0], cy: run[0].split(',')[1], r: 1.5 }));
      run = [];
    };
    for (const s of recent) {
      if (s.gap) flush();
      else if (s.ok) run.push(`${x(s.at).toFixed(1)},${y(s.ms).toFixed(1)}`);
      else {
        flush();
        parts.push(svg('line', { class: 'fail', x1: x(s.at), x2: x(s.at), y1: 0, y2: 14 }));
      }
    }
    flush();
    chart.replaceChildren(...parts);
    $('.ymax', edge.card).textContent = `${Math.round(max / 1.15)} ms`;
    $('.span', edge.card).textContent = `last ${Math.round(span / 1000)} s`;
  }

  function redrawCharts() {
    const now = performance.now();
    for (const id of edges.keys()) drawChart(id, now);
  }

  // ---- the image grid ----

  const tiles = () => Array.from(document.querySelectorAll('#grid .tile'));
  const auto = () => $('#auto').checked;

  function renew(tile) {
    const i = tile.dataset.index;
    const img = el('img');
    img.alt = 'tile ' + i;
    img.width = 80;
    img.height = 80;
    // A new URL each time, so the browser's memory cache cannot answer for the server.
    img.setAttribute('data-cdn-src', `/images/tile-${i}.png?r=${++serial}`);
    resetTile(tile);
    $('img', tile).replaceWith(img);
  }

  function resetTile(tile) {
    tile.className = 'tile';
    tile.dataset.state = 'loading';
    delete tile.dataset.source;
    delete tile.dataset.moved;
    $('figcaption', tile).replaceChildren(el('span', 'pending', 'loading…'));
  }

  function reloadAll(why) {
    reloads++;
    document.body.dataset.reloads = String(reloads);
    row('reload', [`reload #${reloads}: ${why} · mode ${loader() ? loader().mode : '?'}`]);
    for (const t of tiles()) renew(t);
    legend();
  }

  function reloadFrom(id) {
    const hit = tiles().filter((t) => t.dataset.source === id);
    if (!hit.length) return;
    row('reload', [`${hit.length} image${hit.length > 1 ? 's' : ''} from `, chip(id), ' requested again']);
    for (const t of hit) renew(t);
    legend();
  }

  const tileOf = (element) => (element && element.isConnected && element.closest ? element.closest('#grid .tile') : null);
  const nameOf = (element) => {
    const src = element && (element.getAttribute('data-cdn-src') || element.getAttribute('src') || '');
    const m = /tile-(\d+)/.exec(src || '');
    return m ? 'tile ' + m[1] : src || '?';
  };

  function showTile(tile, source, state) {
    tile.dataset.state = state;
    tile.dataset.source = source;
    tile.className = 'tile src-' + source + (tile.dataset.moved ? ' moved' : '') + (state === 'error' ? ' lost' : '');
    const cap = $('figcaption', tile);
    const parts = [el('span', 'who', source)];
    if (tile.dataset.moved) parts.push(el('span', 'via', tile.dataset.moved));
    cap.replaceChildren(...parts);
  }

  function legend() {
    const counts = new Map(sources.map((s) => [s, 0]));
    let shown = 0;
    const all = tiles();
    for (const t of all) {
      if (t.dataset.state === 'loaded') counts.set(t.dataset.source, (counts.get(t.dataset.source) || 0) + 1);
      const img = $('img', t);
      if (img.complete && img.naturalWidth > 0 && t.dataset.state === 'loaded') shown++;
    }
    const box = $('#legend');
    box.dataset.shown = String(shown);
    const items = [el('span', 'shown' + (shown === all.length ? ' all' : ''), `${shown}/${all.length} shown`)];
    for (const [s, n] of counts) {
      const item = el('span', 'count' + (n ? '' : ' zero'));
      item.append(chip(s), ' ' + n);
      items.push(item);
    }
    box.replaceChildren(...items);
  }

  // ---- the timeline ----

  /** The badge of each kind of row: the loader's events, what you did, and the page's own reloads. */
  const TYPE_LABEL = { 'cdn:probe': 'probe', 'cdn:edge': 'edge', 'cdn:fallback': 'fallback', 'cdn:load': 'load', 'cdn:error': 'error', 'cdn:ready': 'ready', demo: 'you', reload: 'reload' };

  function addRow(type, content, at, cls = '') {
    const list = $('#timeline');
    const li = el('li', 'ev ev-' + (TYPE_LABEL[type] || type) + cls);
    li.dataset.type = type;
    const what = el('span', 'what');
    what.append(...content);
    li.append(el('time', '', secs(at)), el('span', 'type', TYPE_LABEL[type] || type), what);
    list.prepend(li);
    while (list.childElementCount > MAX_ROWS) list.lastElementChild.remove();
    return li;
  }

  /** A timeline row of its own; the rows that were counting repeats stop counting. */
  function row(type, content, at = performance.now(), cls) {
    folds = new Map();
    return addRow(type, content, at, cls);
  }

  /**
   * A row that counts repeats until a row of another type is shown: the steady probes of one edge,
   * the loads of one burst. `render(fold)` returns its content; `fold.n` counts, `fold.data` is its own.
   */
  function foldRow(type, key, at, render) {
    let f = folds.get(key);
    if (!f) {
      // Only rows of one type fold at a time, so the newest row stays on top.
      for (const [k, other] of folds) if (other.type !== type) folds.delete(k);
      f = { type, n: 0, data: {}, li: addRow(type, [], at) };
      folds.set(key, f);
    }
    f.n++;
    // Newest first: a row that counted one more moves up.
    if (f.li.previousElementSibling) $('#timeline').prepend(f.li);
    $('time', f.li).textContent = secs(at);
    $('.what', f.li).replaceChildren(...render(f));
  }

  function setupFilters() {
    const box = $('#filters');
    const list = $('#timeline');
    for (const type of ['cdn:probe', 'cdn:edge', 'cdn:fallback', 'cdn:load', 'cdn:error']) {
      const label = el('label', 'check filter ev-' + TYPE_LABEL[type]);
      const input = el('input');
      input.type = 'checkbox';
      input.checked = true;
      input.addEventListener('change', () => list.classList.toggle('hide-' + TYPE_LABEL[type], !input.checked));
      label.append(input, ' ' + type);
      box.append(label);
    }
  }

  // ---- the loader's events ----

  function handle(ev) {
    const d = ev.detail;
    switch (ev.type) {
      case 'cdn:ready': {
        for (const e of d.edges || []) {
          const edge = edges.get(e.id);
          if (!edge) continue;
          edge.state = e.state;
          edge.latency = e.latency;
          if (e.state === 'down') edge.downs.push([ev.at, null]);
          showEdge(e.id);
        }
        showMode(d.mode);
        row('cdn:ready', [`mode ${d.mode} · ${(d.edges || []).length} edges`], ev.at);
        break;
      }
      case 'cdn:probe': {
        const edge = edges.get(d.id);
        if (edge) {
          edge.samples.push({ at: ev.at, ok: d.ok, ms: d.ms });
          if (edge.samples.length > 400) edge.samples.splice(0, edge.samples.length - 400);
          const st = loader() && loader().edges().find((x) => x.id === d.id);
          if (st) edge.latency = st.latency;
          showEdge(d.id);
          drawChart(d.id, ev.at);
        }
        // A change of result starts a new row: the old one stops counting.
        folds.delete(`probe:${d.id}:${!d.ok}`);
        foldRow('cdn:probe', `probe:${d.id}:${d.ok}`, ev.at, (f) => [
          chip(d.id),
          d.ok ? ` ok ${d.ms} ms` : ` failed after ${d.ms} ms`,
          f.n > 1 ? el('span', 'times', `×${f.n}`) : '',
        ]);
        break;
      }
      case 'cdn:edge': {
        const edge = edges.get(d.id);
        if (edge) {
          edge.state = d.state;
          if (d.latency !== null && d.latency !== undefined) edge.latency = d.latency;
          const lastDown = edge.downs[edge.downs.length - 1];
          if (d.state === 'down' && !(lastDown && lastDown[1] === null)) {
            edge.downs.push([ev.at, null]);
            // The latency line breaks where the edge went down, even when no probe failed.
            edge.samples.push({ at: ev.at, gap: true });
          }
          if (d.state === 'up' && lastDown && lastDown[1] === null) lastDown[1] = ev.at;
          showEdge(d.id);
          drawChart(d.id, ev.at);
        }
        // The badge takes the colour of the news; a down edge has no latency worth showing.
        row('cdn:edge', [chip(d.id), el('span', 'state-' + d.state, d.state === 'up' ? ' is up' : ' is down'), d.state === 'up' && d.latency != null ? ` (${d.latency} ms)` : ''], ev.at, ' ev-' + d.state);
        if (auto()) {
          if (d.state === 'down') reloadFrom(d.id);
          else reloadAll(`${d.id} is back up`);
        }
        break;
      }
      case 'cdn:fallback': {
        const tile = tileOf(d.element);
        if (tile) {
          tile.dataset.moved = `↪ ${d.from} ${d.reason}`;
          tile.classList.add('moved');
        }
        row('cdn:fallback', [nameOf(d.element) + ' ', chip(d.from), ' → ', chip(d.to), el('span', 'reason', ' ' + d.reason)], ev.at);
        break;
      }
      case 'cdn:load': {
        const tile = tileOf(d.element);
        if (tile) showTile(tile, d.source, 'loaded');
        foldRow('cdn:load', 'load', ev.at, (f) => {
          f.data[d.source] = (f.data[d.source] || 0) + 1;
          const out = [`${f.n} image${f.n > 1 ? 's' : ''}: `];
          for (const [s, k] of Object.entries(f.data)) out.push(chip(s), el('span', 'n', String(k)));
          return out;
        });
        legend();
        break;
      }
      case 'cdn:error': {
        const tile = tileOf(d.element);
        if (tile) showTile(tile, 'origin', 'error');
        row('cdn:error', [nameOf(d.element) + ' could not be loaded from any source'], ev.at);
        legend();
        break;
      }
    }
  }

  function showMode(mode) {
    for (const b of document.querySelectorAll('button[data-mode]')) b.setAttribute('aria-pressed', String(b.dataset.mode === mode));
  }

  function start() {
    buildCards();
    setupFilters();
    for (const t of tiles()) if (t.dataset.state === undefined) resetTile(t);
    started = true;
    for (const ev of early.splice(0)) handle(ev);
    legend();
    for (const id of edges.keys()) showEdge(id);

    for (const b of document.querySelectorAll('button[data-mode]'))
      b.addEventListener('click', () => {
        const mode = b.dataset.mode;
        if (!loader()) return;
        loader().setMode(mode);
        showMode(loader().mode);
        row('demo', [el('span', 'you', 'you:'), ` mode → ${mode}`]);
        reloadAll('mode ' + mode);
      });
    $('#reload').addEventListener('click', () => {
      row('demo', [el('span', 'you', 'you:'), ' reload images']);
      reloadAll('asked for');
    });
    $('#heal').addEventListener('click', async () => {
      row('demo', [el('span', 'you', 'you:'), ' heal all edges']);
      const auto0 = $('#auto').checked;
      $('#auto').checked = false;
      try {
        for (const id of edges.keys()) {
          const res = await fetch('/control?' + new URLSearchParams({ edge: id, state: 'healthy' }), { method: 'POST' });
          if (res.ok) showServers(await res.json());
        }
      } finally {
        $('#auto').checked = auto0;
      }
      if (auto0) reloadAll('all edges healthy');
    });
    // A load event on an <img> does not bubble: catch it on the way down to keep "shown" honest.
    document.addEventListener('load', (e) => e.target instanceof HTMLImageElement && legend(), true);
    if (loader()) showMode(loader().mode);
    void poll();
    setInterval(poll, 1000);
    setInterval(redrawCharts, 500);
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
