// faasguard HTML report. Everything shown comes from the JSON block
// #fg-data and is put on the page as text nodes or attribute values, never
// parsed as HTML.
(function () {
  'use strict';
  var started = performance.now();
  var data = JSON.parse(document.getElementById('fg-data').textContent);
  var SEVS = data.severities;
  var SVGNS = 'http://www.w3.org/2000/svg';
  var findings = data.findings;
  var byFp = {};
  findings.forEach(function (f) { byFp[f.fp] = f; });
  var state = { sev: {}, family: '', fn: '', file: '', q: '', node: null };
  SEVS.forEach(function (s) { state.sev[s] = true; });

  function el(tag, attrs) {
    var e = document.createElement(tag);
    setAttrs(e, attrs);
    for (var i = 2; i < arguments.length; i++) add(e, arguments[i]);
    return e;
  }
  function svg(tag, attrs) {
    var e = document.createElementNS(SVGNS, tag);
    setAttrs(e, attrs);
    for (var i = 2; i < arguments.length; i++) add(e, arguments[i]);
    return e;
  }
  function setAttrs(e, attrs) {
    if (!attrs) return;
    Object.keys(attrs).forEach(function (k) {
      var v = attrs[k];
      if (v === undefined || v === null || v === false) return;
      if (k === 'class') e.setAttribute('class', v);
      else if (k.slice(0, 2) === 'on') e.addEventListener(k.slice(2), v);
      else e.setAttribute(k, String(v));
    });
  }
  function add(e, c) {
    if (c === undefined || c === null || c === false) return;
    if (Array.isArray(c)) { c.forEach(function (x) { add(e, x); }); return; }
    e.appendChild(typeof c === 'object' ? c : document.createTextNode(String(c)));
  }
  function badge(sev) { return el('span', { class: 'badge ' + sev }, sev); }
  function where(f) { return f.file + (f.line ? ':' + f.line : ''); }
  function clip(s, n) { return s.length > n ? s.slice(0, n - 1) + '\u2026' : s; }
  function plural(n, one, many) { return n + ' ' + (n === 1 ? one : many); }

  // ---- header and summary ----
  document.getElementById('meta').textContent = (data.root || 'several roots') + ' \u00b7 ' + data.generated + ' \u00b7 ' + data.tool + ' ' + data.version;

  function summary() {
    var counts = {};
    SEVS.forEach(function (s) { counts[s] = 0; });
    var fams = {};
    findings.forEach(function (f) { counts[f.severity]++; fams[f.family] = (fams[f.family] || 0) + 1; });
    var sevCards = SEVS.map(function (s) {
      return el('button', { class: 'sev-card ' + s, type: 'button', title: 'Show only ' + s + ' findings', onclick: function () { onlySeverity(s); } },
        el('b', null, counts[s]), el('span', null, s));
    });
    var st = data.stats;
    var left = el('div', null,
      el('div', { class: 'total' }, el('b', { id: 'total' }, findings.length), el('span', null, findings.length === 1 ? 'finding' : 'findings')),
      el('div', { class: 'sevs' }, sevCards),
      surfaceLine(),
      el('div', { class: 'stats' }, plural(st.applications, 'application', 'applications') + ' \u00b7 ' + plural(st.functions, 'function', 'functions') +
        ' \u00b7 ' + plural(st.files, 'file', 'files') + ' \u00b7 ' + st.durationMs + ' ms' +
        (data.suppressed.length ? ' \u00b7 ' + data.suppressed.length + ' suppressed' : '')));
    var famKeys = Object.keys(fams).sort(function (a, b) { return fams[b] - fams[a] || (a < b ? -1 : 1); });
    var max = famKeys.length ? fams[famKeys[0]] : 1;
    var mid = el('div', null, el('h2', null, 'By family'),
      famKeys.length ? famKeys.map(function (k) {
        var bar = el('i');
        bar.style.width = Math.max(4, Math.round(100 * fams[k] / max)) + '%';
        return el('div', { class: 'fam-row', title: k },
          el('span', null, data.families[k] || k), el('div', { class: 'bar' }, bar), el('b', null, fams[k]));
      }) : el('p', { class: 'empty' }, 'No findings.'));
    var worst = findings.slice(0, 6);
    var right = el('div', null, el('h2', null, 'Worst findings'),
      worst.length ? worst.map(function (f) {
        return el('div', { class: 'worst-item', onclick: function () { reveal(f.fp); } },
          badge(f.severity), el('span', { class: 'msg', title: f.message }, f.message));
      }) : el('p', { class: 'empty' }, 'Nothing to fix at any severity.'));
    add(document.getElementById('summary'), [left, mid, right]);
  }

  // surfaceLine counts the risky parts of the graph for the summary.
  function surfaceLine() {
    var n = { pub: 0, admin: 0, loop: 0 };
    data.graph.nodes.forEach(function (x) {
      var r = x.risks || [];
      if (x.kind === 'trigger' && r.indexOf('public-unauthenticated') >= 0) n.pub++;
      if (x.kind === 'role' && (r.indexOf('admin') >= 0 || r.indexOf('wildcard') >= 0)) n.admin++;
      if (x.kind === 'trigger' && r.indexOf('recursive-loop') >= 0) n.loop++;
    });
    return el('div', { class: 'surface-line' },
      el('span', { class: n.pub ? 'hot' : '' }, plural(n.pub, 'public entry point without auth', 'public entry points without auth')),
      el('span', { class: n.admin ? 'hot' : '' }, plural(n.admin, 'over-privileged role', 'over-privileged roles')),
      el('span', { class: n.loop ? 'hot' : '' }, plural(n.loop, 'recursive loop', 'recursive loops')));
  }

  // ---- attack-surface graph ----
  var graph = data.graph;
  var nodeById = {};
  graph.nodes.forEach(function (n) { nodeById[n.id] = n; });
  var svgRoot, nodeEls = {}, edgeEls = [], edgesAt = { from: {}, to: {} };
  var TOP = 34, LOOP_ROOM = 40;

  function graphView() {
    var legend = document.getElementById('legend');
    add(legend, [
      el('span', null, el('i', { class: 'risk' }), 'public, no auth \u00b7 admin \u00b7 wildcard'),
      el('span', null, el('i', { class: 'loop' }), 'recursive loop'),
      el('span', null, el('i')), 'invokes / assumes / may access']);
    var wrap = document.getElementById('graph-wrap');
    if (!graph.nodes.length) {
      add(wrap, el('p', { class: 'empty' }, 'No functions found.'));
      nodePanel(null);
      return;
    }
    var hasLoop = graph.edges.some(function (e) { return e.risk === 'recursive-loop'; });
    var H = graph.height + TOP + (hasLoop ? LOOP_ROOM : 0);
    svgRoot = svg('svg', { width: graph.width, height: H, viewBox: '0 0 ' + graph.width + ' ' + H, role: 'img', 'aria-label': 'Attack-surface graph', id: 'graph' });
    svgRoot.style.maxWidth = graph.width + 'px';
    var defs = svg('defs', null,
      svg('marker', { id: 'arr', viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' },
        svg('path', { d: 'M0,0 L10,5 L0,10 z', fill: '#a7b1c0' })),
      svg('marker', { id: 'arr-risk', viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' },
        svg('path', { d: 'M0,0 L10,5 L0,10 z', fill: '#d1242f' })));
    svgRoot.appendChild(defs);
    var cols = { trigger: 'Triggers', function: 'Functions', role: 'Roles', resource: 'Resources' };
    var xs = {};
    graph.nodes.forEach(function (n) { xs[n.kind] = n.x; });
    Object.keys(cols).forEach(function (k) {
      if (xs[k] !== undefined) svgRoot.appendChild(svg('text', { x: xs[k] + 2, y: 20, class: 'col-title' }, cols[k]));
    });
    var edgeLayer = svg('g'), labelLayer = svg('g'), nodeLayer = svg('g');
    svgRoot.appendChild(edgeLayer);
    svgRoot.appendChild(nodeLayer);
    svgRoot.appendChild(labelLayer);
    var bottom = graph.height + TOP + 6, loops = 0;
    graph.edges.forEach(function (e) {
      var a = nodeById[e.from], b = nodeById[e.to];
      if (!a || !b) return;
      var d, lx, ly, loop = e.risk === 'recursive-loop' && a.x > b.x;
      if (loop) {
        // Back edge: down from the resource into a lane under the graph,
        // left to the margin, up and into the trigger's left side.
        var ax = a.x + a.w / 2, ay = a.y + a.h + TOP, lane = bottom + 14 + (loops++ % 3) * 7;
        var lx0 = b.x - 14 - (loops % 3) * 4, by = b.y + b.h / 2 + TOP, r = 10;
        d = 'M' + ax + ',' + ay + ' L' + ax + ',' + (lane - r) + ' Q' + ax + ',' + lane + ' ' + (ax - r) + ',' + lane +
          ' L' + (lx0 + r) + ',' + lane + ' Q' + lx0 + ',' + lane + ' ' + lx0 + ',' + (lane - r) +
          ' L' + lx0 + ',' + (by + r) + ' Q' + lx0 + ',' + by + ' ' + (lx0 + r) + ',' + by + ' L' + (b.x - 2) + ',' + by;
        lx = (ax + b.x) / 2; ly = lane - 5;
      } else {
        var x1 = a.x + a.w, y1 = a.y + a.h / 2 + TOP, x2 = b.x, y2 = b.y + b.h / 2 + TOP, mx = (x1 + x2) / 2;
        d = 'M' + x1 + ',' + y1 + ' C' + mx + ',' + y1 + ' ' + mx + ',' + y2 + ' ' + (x2 - 2) + ',' + y2;
        lx = x2 - 8; ly = y2 - 5;
      }
      var cls = 'edge' + (loop || e.risk === 'recursive-loop' ? ' loop' : e.risk ? ' risk' : '');
      var p = svg('path', { d: d, class: cls, 'marker-end': e.risk ? 'url(#arr-risk)' : 'url(#arr)', 'data-from': e.from, 'data-to': e.to },
        svg('title', null, (a.label + ' \u2192 ' + b.label) + (e.label ? ': ' + e.label : '') + (e.risk ? ' [' + e.risk + ']' : '')));
      edgeLayer.appendChild(p);
      var rec = { el: p, e: e, label: null, back: loop };
      (edgesAt.from[e.from] = edgesAt.from[e.from] || []).push(rec);
      (edgesAt.to[e.to] = edgesAt.to[e.to] || []).push(rec);
      if (e.label && (a.kind === 'role' || (loop && loops === 1))) {
        rec.label = svg('text', { x: lx, y: ly, class: 'edge-label' + (e.risk ? ' risk' : ''), 'text-anchor': loop ? 'middle' : 'end' }, clip(e.label, 19));
        labelLayer.appendChild(rec.label);
      }
      edgeEls.push(rec);
    });
    var fill = { trigger: '#e0ecfb', function: '#e3f4e8', role: '#fdf0d9', resource: '#eee8fb' };
    var stripe = { trigger: '#3b82f6', function: '#16a34a', role: '#d97706', resource: '#7c3aed' };
    graph.nodes.forEach(function (n) {
      var y = n.y + TOP, nf = (n.findings || []).length;
      var g = svg('g', { class: 'node' + (n.risks && n.risks.length ? ' risky' : ''), tabindex: 0, 'data-id': n.id, 'data-kind': n.kind,
        onclick: function () { select(n.id); }, onkeydown: function (ev) { if (ev.key === 'Enter' || ev.key === ' ') { ev.preventDefault(); select(n.id); } } },
        svg('title', null, (n.title || n.label) + (n.detail ? '\n' + n.detail : '') + (n.risks ? '\nrisks: ' + n.risks.join(', ') : '')),
        svg('rect', { class: 'box', x: n.x, y: y, width: n.w, height: n.h, rx: 7, fill: fill[n.kind] || '#f1f5f9' }),
        svg('rect', { x: n.x, y: y, width: 5, height: n.h, rx: 2, fill: stripe[n.kind] || '#94a3b8' }),
        svg('text', { x: n.x + 13, y: y + 19 }, clip(n.label, nf ? 22 : 27)),
        svg('text', { x: n.x + 13, y: y + 35, class: 'detail' }, clip(n.detail || '', 34)));
      if (nf) {
        var c = sevColor(n.worstSeverity);
        g.appendChild(svg('rect', { x: n.x + n.w - 34, y: y + 7, width: 26, height: 17, rx: 8.5, fill: c }));
        g.appendChild(svg('text', { x: n.x + n.w - 21, y: y + 19.5, class: 'nbadge', 'text-anchor': 'middle' }, nf));
      }
      if (n.risks && n.risks.length) {
        g.appendChild(svg('path', { d: 'M' + (n.x + n.w - 16) + ',' + (y + n.h - 6) + ' l6,-11 l6,11 z', fill: '#d1242f' }));
      }
      nodeLayer.appendChild(g);
      nodeEls[n.id] = g;
    });
    wrap.appendChild(svgRoot);
    nodePanel(null);
  }
  function sevColor(s) {
    return { critical: '#86198f', high: '#dc2626', medium: '#d97706', low: '#2563eb', info: '#64748b' }[s] || '#64748b';
  }

  function select(id) {
    if (state.node === id) id = null;
    state.node = id;
    Object.keys(nodeEls).forEach(function (k) { nodeEls[k].classList.remove('selected', 'lit'); });
    edgeEls.forEach(function (r) { r.el.classList.remove('lit'); if (r.label) r.label.classList.remove('lit'); });
    if (!id) {
      svgRoot.classList.remove('dim');
      nodePanel(null);
      renderFindings();
      return;
    }
    svgRoot.classList.add('dim');
    nodeEls[id].classList.add('selected', 'lit');
    // Light the node's neighbourhood: everything connected to it upstream
    // and downstream, so a trigger shows the whole path to resources.
    var lit = {}; lit[id] = true;
    [['from', 'to'], ['to', 'from']].forEach(function (dir) {
      var queue = [id], seen = {}; seen[id] = true;
      for (var qi = 0; qi < queue.length; qi++) {
        var cur = queue[qi];
        (edgesAt[dir[0]][cur] || []).forEach(function (r) {
          if (r.back && cur !== id) return; // do not follow a loop all the way round
          r.el.classList.add('lit'); if (r.label) r.label.classList.add('lit');
          var nx = r.e[dir[1]];
          lit[nx] = true;
          if (!seen[nx]) { seen[nx] = true; queue.push(nx); }
        });
      }
    });
    Object.keys(lit).forEach(function (k) { if (nodeEls[k]) nodeEls[k].classList.add('lit'); });
    nodePanel(nodeById[id]);
    renderFindings();
  }

  function nodePanel(n) {
    var p = document.getElementById('node-panel');
    p.textContent = '';
    if (!n) {
      add(p, [el('div', { class: 'kind' }, 'Attack surface'),
        el('p', { class: 'hint' }, 'Click a trigger, function, role or resource to see its findings. Red boxes and arrows mark public unauthenticated entry points, administrator or wildcard permissions, and recursive loops.'),
        el('h3', null, 'Functions'),
        data.functions.map(function (f) {
          var pub = f.triggers.some(function (t) { return t.public === 'yes' && t.auth === 'none'; });
          return el('div', { class: 'node-finding', onclick: function () { select(graph.nodes.filter(function (x) { return x.kind === 'function' && x.function === f.id && x.application === f.application; })[0].id); } },
            f.worstSeverity ? badge(f.worstSeverity) : el('span', { class: 'badge' }, 'none'),
            el('div', null, f.id + ' \u00b7 ' + plural(f.findings, 'finding', 'findings') + (pub ? ' \u00b7 public, no auth' : '')));
        })]);
      return;
    }
    var kinds = { trigger: 'Trigger', function: 'Function', role: 'Role', resource: 'Resource' };
    var fs = (n.findings || []).map(function (fp) { return byFp[fp]; }).filter(Boolean);
    fs.sort(function (a, b) { return SEVS.indexOf(a.severity) - SEVS.indexOf(b.severity); });
    add(p, [
      el('div', { class: 'kind' }, kinds[n.kind] + (n.application ? ' \u00b7 ' + n.application : '')),
      el('div', { class: 'name', id: 'node-name' }, n.title || n.label),
      n.detail ? el('div', null, n.detail) : null,
      n.location && n.location.file ? el('div', { class: 'loc' }, n.location.file + (n.location.line ? ':' + n.location.line : '')) : null,
      (n.risks || []).length ? el('div', null, el('h3', null, 'Risks'), n.risks.map(function (r) {
        return el('div', null, el('span', { class: 'tag risk' }, r), ' ', data.riskLegends[r] || '');
      })) : null,
      el('h3', null, plural(fs.length, 'finding', 'findings')),
      fs.length ? el('div', { id: 'node-findings' }, fs.map(function (f) {
        return el('div', { class: 'node-finding', onclick: function () { reveal(f.fp); } }, badge(f.severity),
          el('div', null, el('span', { class: 'mono' }, f.rule), ' ', f.message));
      })) : el('p', { class: 'hint', id: 'node-findings' }, 'No finding on this node.'),
      el('button', { type: 'button', onclick: function () { select(null); } }, 'Clear selection')]);
  }

  // ---- findings list with filters ----
  function uniq(key) {
    var seen = {}, out = [];
    findings.forEach(function (f) { var v = f[key]; if (v && !seen[v]) { seen[v] = true; out.push(v); } });
    return out.sort();
  }
  function selectBox(id, label, values, names, onchange) {
    var s = el('select', { id: id, onchange: function () { onchange(s.value); } }, el('option', { value: '' }, 'all'));
    values.forEach(function (v) { s.appendChild(el('option', { value: v }, names ? (names[v] ? v + ' \u2014 ' + names[v] : v) : v)); });
    return el('label', null, label, s);
  }
  function filters() {
    var f = document.getElementById('filters');
    var counts = {};
    findings.forEach(function (x) { counts[x.severity] = (counts[x.severity] || 0) + 1; });
    var chips = SEVS.map(function (s) {
      var b = el('button', { type: 'button', class: 'chip ' + s, 'data-sev': s, 'aria-pressed': 'true',
        onclick: function () { state.sev[s] = !state.sev[s]; b.setAttribute('aria-pressed', String(state.sev[s])); renderFindings(); } },
        el('span', { class: 'dot' }), s + ' ' + (counts[s] || 0));
      return b;
    });
    var q = el('input', { type: 'search', id: 'q', placeholder: 'Search rule, message, resource\u2026', oninput: function () { state.q = q.value.toLowerCase(); renderFindings(); } });
    add(f, [el('span', { id: 'sev-chips' }, chips),
      selectBox('f-family', 'Family', uniq('family'), data.families, function (v) { state.family = v; renderFindings(); }),
      selectBox('f-function', 'Function', uniq('function'), null, function (v) { state.fn = v; renderFindings(); }),
      selectBox('f-file', 'File', uniq('file'), null, function (v) { state.file = v; renderFindings(); }),
      q, el('span', { id: 'node-filter' })]);
  }
  function onlySeverity(s) {
    SEVS.forEach(function (x) {
      state.sev[x] = x === s;
      document.querySelector('.chip[data-sev="' + x + '"]').setAttribute('aria-pressed', String(x === s));
    });
    renderFindings();
    document.getElementById('findings-panel').scrollIntoView({ behavior: 'smooth' });
  }

  var cards = [];
  function snippetEl(f) {
    if (!f.snippet) return null;
    var pre = el('pre', { class: 'snippet' });
    f.snippet.lines.forEach(function (line, i) {
      var no = f.snippet.start + i;
      pre.appendChild(el('span', { class: no === f.line ? 'hit' : null }, el('i', null, no), line));
    });
    return pre;
  }
  function card(f, suppressed) {
    var rule = data.rules[f.rule] || {};
    var subj = [];
    if (f.app) subj.push('app ' + f.app);
    if (f.function) subj.push('function ' + f.function);
    if (f.resource) subj.push('resource ' + f.resource);
    var d = el('details', { class: 'finding ' + f.severity, id: (suppressed ? 's-' : 'f-') + f.fp, 'data-fp': f.fp, 'data-severity': f.severity },
      el('summary', null, badge(f.severity),
        el('span', null, el('span', { class: 'rule' }, f.rule), el('span', { class: 'ttl' }, f.title)),
        el('span', { class: 'where' }, where(f)),
        el('span', { class: 'msg' }, f.message),
        subj.length ? el('span', { class: 'subj' }, subj.join(' \u00b7 ')) : null),
      el('div', { class: 'body' },
        snippetEl(f),
        suppressed && f.suppression ? [el('h3', null, 'Suppressed (' + f.suppression.kind + ')'), el('p', null, f.suppression.reason || '')] : null,
        (f.related || []).length ? [el('h3', null, 'Related'), f.related.map(function (r) {
          return el('div', { class: 'mono' }, r.location.file + (r.location.line ? ':' + r.location.line : '') + ' \u2014 ' + r.message);
        })] : null,
        rule.rationale ? [el('h3', null, 'Why it matters'), el('p', null, rule.rationale)] : null,
        rule.remediation ? [el('h3', null, 'How to fix'), el('p', null, rule.remediation)] : null,
        (rule.refs || []).length ? [el('h3', null, 'References'), rule.refs.map(function (r) { return el('span', { class: 'tag' }, r); })] : null,
        (rule.docs || []).length ? rule.docs.map(function (u) { return el('div', { class: 'mono' }, u); }) : null));
    return d;
  }
  function findingsList() {
    var box = document.getElementById('findings');
    if (!findings.length) {
      add(box, el('p', { class: 'empty' }, 'No findings.'));
      return;
    }
    findings.forEach(function (f) { var c = card(f, false); cards.push({ f: f, el: c }); box.appendChild(c); });
    box.appendChild(el('p', { class: 'empty', id: 'none-shown', hidden: 'hidden' }, 'No finding matches the filters.'));
  }
  function renderFindings() {
    var nodeSet = null;
    var nf = document.getElementById('node-filter');
    nf.textContent = '';
    if (state.node) {
      nodeSet = {};
      (nodeById[state.node].findings || []).forEach(function (fp) { nodeSet[fp] = true; });
      add(nf, el('span', { class: 'node-filter' }, 'node: ' + clip(nodeById[state.node].label, 40),
        el('button', { type: 'button', title: 'Clear', onclick: function () { select(null); } }, '\u00d7')));
    }
    var shown = 0;
    cards.forEach(function (c) {
      var f = c.f;
      var ok = state.sev[f.severity] && (!state.family || f.family === state.family) && (!state.fn || f.function === state.fn) &&
        (!state.file || f.file === state.file) && (!nodeSet || nodeSet[f.fp]) &&
        (!state.q || (f.rule + ' ' + f.title + ' ' + f.message + ' ' + (f.function || '') + ' ' + (f.resource || '') + ' ' + f.file).toLowerCase().indexOf(state.q) >= 0);
      c.el.hidden = !ok;
      if (ok) shown++;
    });
    document.getElementById('shown-count').textContent = 'showing ' + shown + ' of ' + findings.length;
    var none = document.getElementById('none-shown');
    if (none) none.hidden = shown > 0;
  }
  function reveal(fp) {
    var c = document.getElementById('f-' + fp);
    if (!c) return;
    if (c.hidden) {
      SEVS.forEach(function (s) { state.sev[s] = true; document.querySelector('.chip[data-sev="' + s + '"]').setAttribute('aria-pressed', 'true'); });
      state.family = state.fn = state.file = state.q = '';
      ['f-family', 'f-function', 'f-file', 'q'].forEach(function (id) { document.getElementById(id).value = ''; });
      if (state.node && !(nodeById[state.node].findings || []).some(function (x) { return x === fp; })) select(null);
      renderFindings();
    }
    c.open = true;
    c.scrollIntoView({ behavior: 'smooth', block: 'center' });
    c.classList.add('flash');
    setTimeout(function () { c.classList.remove('flash'); }, 1400);
  }

  function suppressedView() {
    if (!data.suppressed.length) return;
    var p = document.getElementById('suppressed-panel');
    p.hidden = false;
    var det = el('details', null, el('summary', null, el('h2', null, plural(data.suppressed.length, 'suppressed finding', 'suppressed findings') + ' (accepted with a reason, or in the baseline)')));
    data.suppressed.forEach(function (f) { det.appendChild(card(f, true)); });
    p.appendChild(det);
  }
  function notesView() {
    var p = document.getElementById('notes-panel');
    if (!data.notes.length && !data.infoNotes) return;
    p.hidden = false;
    add(p, [el('div', { class: 'panel-head' }, el('h2', null, 'Notes'), el('span', { class: 'count' }, data.infoNotes ? data.infoNotes + ' informational notes in the JSON report' : '')),
      data.notes.map(function (n) {
        return el('div', { class: 'note' }, el('span', { class: 'tag' }, n.level), ' ', el('span', { class: 'mono' }, n.location.file + (n.location.line ? ':' + n.location.line : '')), ' ', n.message);
      })]);
  }

  summary();
  graphView();
  filters();
  findingsList();
  renderFindings();
  suppressedView();
  notesView();
  document.getElementById('foot').textContent = 'Generated by ' + data.tool + ' ' + data.version + ' on ' + data.generated +
    '. Self-contained: this file loads nothing from the network.';
  document.documentElement.setAttribute('data-render-ms', String(Math.round(performance.now() - started)));
  document.documentElement.setAttribute('data-ready', 'true');
})();
