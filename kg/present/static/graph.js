/* The responsibility network page. The page data (#kg-data, JSON computed in Python) is read
   once; kgStart(network) is called right after pyvis' template creates the vis Network.
   Every piece of document text reaches the page through textContent / createTextNode or vis'
   canvas labels: nothing from the data is ever parsed as HTML.
   The filter and task-view rules mirror kg/present/graph_view.py and page_data.py. */
"use strict";
var kg = {data: null, net: null, mode: "agencies", selection: [], panelRows: [], panelHead: [],
          forms: null, base: null, taskIds: []};
var KG_ROLES = ["lead", "support", "responsible"];
var KG_ROLE_LABEL = {lead: "牵头", support: "配合", responsible: "责任"};

function kgEl(tag, text, cls) {
  var el = document.createElement(tag);
  if (text !== undefined && text !== null) { el.textContent = String(text); }
  if (cls) { el.className = cls; }
  return el;
}

function kgOption(select, value, text) {
  var option = kgEl("option", text);
  option.value = value;
  select.appendChild(option);
}

/* ---------- filters ---------- */

function kgFilters() {
  var roles = {};
  document.querySelectorAll("input[data-role]").forEach(function (b) { roles[b.dataset.role] = b.checked; });
  return {doc: document.getElementById("kg-document").value, domain: document.getElementById("kg-domain").value,
          level: document.getElementById("kg-level").value, roles: roles};
}

function kgTaskPasses(t, f) {
  var d = kg.data;
  var doc = d.documents[d.tasks[t][0]];
  if (f.doc && doc.file !== f.doc) { return false; }
  if (f.level && doc.level !== f.level) { return false; }
  if (f.domain && d.tasks[t][3].indexOf(d.domains.findIndex(function (x) { return x[0] === f.domain; })) < 0) {
    return false;
  }
  return true;
}

function kgRows(f) {
  var keep = {};
  return kg.data.rows.filter(function (r) {
    if (!(r[0] in keep)) { keep[r[0]] = kgTaskPasses(r[0], f); }
    return keep[r[0]] && f.roles[KG_ROLES[r[2]]] !== false;
  });
}

/* the agency network of the rows that pass: nodes with a row, pairs of non-inferred rows per task */
function kgNetwork(rows) {
  var visible = {}, byTask = {}, pairs = {};
  rows.forEach(function (r) {
    visible[r[1]] = true;
    if (r[5]) { return; }
    var t = byTask[r[0]] || (byTask[r[0]] = {all: {}, lead: {}, support: {}});
    t.all[r[1]] = true;
    if (r[2] === 0) { t.lead[r[1]] = true; } else if (r[2] === 1) { t.support[r[1]] = true; }
  });
  Object.keys(byTask).forEach(function (task) {
    var t = byTask[task], ns = Object.keys(t.all).map(Number).sort(function (a, b) { return a - b; });
    var ids = kg.data.nodes;
    for (var i = 0; i < ns.length; i++) {
      for (var j = i + 1; j < ns.length; j++) {
        var a = ns[i], b = ns[j];
        var key = ids[a].id < ids[b].id ? a + "-" + b : b + "-" + a;
        var p = pairs[key] || (pairs[key] = {shared: 0, ab: 0, ba: 0});
        p.shared += 1;
        var first = ids[a].id < ids[b].id ? a : b, second = first === a ? b : a;
        if (t.lead[first] && t.support[second]) { p.ab += 1; }
        if (t.lead[second] && t.support[first]) { p.ba += 1; }
      }
    }
  });
  return {visible: visible, pairs: pairs};
}

function kgApply() {
  if (kg.mode === "tasks") { kgShowTaskView(kg.selection); return; }
  var found = kgNetwork(kgRows(kgFilters()));
  var nodeUpdates = [], edgeUpdates = [];
  kg.base.nodes.forEach(function (n) {
    var hidden = !found.visible[n.kgIndex];
    if (kg.state[n.id] !== hidden) { kg.state[n.id] = hidden; nodeUpdates.push({id: n.id, hidden: hidden}); }
  });
  kg.base.edges.forEach(function (e) {
    var p = found.pairs[e.id], update = {id: e.id, hidden: true};
    if (p && p.shared >= kg.data.minShared) {
      update = {id: e.id, hidden: false, value: p.shared, arrows: {to: {enabled: p.ab > 0}, from: {enabled: p.ba > 0}}};
    }
    var key = JSON.stringify(update);
    if (kg.state[e.id] !== key) { kg.state[e.id] = key; edgeUpdates.push(update); }
  });
  if (nodeUpdates.length) { nodes.update(nodeUpdates); }
  if (edgeUpdates.length) { edges.update(edgeUpdates); }
  kgFit();
  kgShowCounts();
}

function kgFit() {
  var shown = nodes.getIds({filter: function (n) { return !n.hidden; }});
  if (shown.length) { kg.net.fit({nodes: shown, animation: false}); }
  kgLabels();
}

/* ---------- task view (agencies + their tasks) ---------- */

function kgClearTasks() {
  if (kg.taskIds.length) {
    edges.remove(edges.getIds({filter: function (e) { return e.kgRole !== undefined; }}));
    nodes.remove(kg.taskIds);
    kg.taskIds = [];
  }
}

function kgShowTaskView(selection) {
  kgClearTasks();
  kg.mode = "tasks";
  kg.selection = selection.slice();
  var chosen = {}, tasks = {}, pairs = {}, shownNodes = {};
  selection.forEach(function (k) { chosen[k] = true; });
  var rows = kgRows(kgFilters());
  rows.forEach(function (r) { if (chosen[r[1]]) { tasks[r[0]] = true; } });
  rows.forEach(function (r) {
    if (tasks[r[0]] && !pairs[r[1] + ":" + r[0]]) { pairs[r[1] + ":" + r[0]] = r; shownNodes[r[1]] = true; }
  });
  nodes.update(kg.base.nodes.map(function (n) {
    return {id: n.id, hidden: !shownNodes[n.kgIndex], label: kg.data.nodes[n.kgIndex].name};
  }));
  kg.labelShown = kg.base.nodes.map(function () { return null; });
  kg.state = {};
  edges.update(kg.base.edges.map(function (e) { return {id: e.id, hidden: true}; }));
  var pos = kg.net.getPositions(Object.keys(shownNodes).map(function (k) { return kg.data.nodes[k].id; }));
  var newNodes = Object.keys(tasks).map(function (t, i) { return kgTaskNode(Number(t), pairs, pos, i); });
  kg.taskIds = newNodes.map(function (n) { return n.id; });
  nodes.add(newNodes);
  edges.add(Object.keys(pairs).map(function (key) {
    var r = pairs[key], role = KG_ROLES[r[2]];
    return {id: "r" + key, from: kg.data.nodes[r[1]].id, to: "task:" + r[0], kgRole: role, value: role === "lead" ? 3 : 1,
            dashes: role === "support" ? [8, 6] : role === "responsible" ? [2, 5] : false, arrows: {to: {enabled: false}}};
  }));
  kg.net.setOptions({physics: {enabled: true, stabilization: {enabled: true, iterations: 150, fit: true}}});
  kg.net.stabilize(150);
  kgShowCounts();
}

function kgTaskNode(t, pairs, pos, i) {
  var d = kg.data, task = d.tasks[t], x = 0, y = 0, n = 0;
  Object.keys(pairs).forEach(function (key) {
    var r = pairs[key];
    if (r[0] === t) { var p = pos[d.nodes[r[1]].id]; if (p) { x += p.x; y += p.y; n += 1; } }
  });
  var angle = i * 2.39996, radius = 40 + 6 * Math.sqrt(i);
  var title = task[2].length > 16 ? task[2].slice(0, 16) + "…" : task[2];
  return {id: "task:" + t, label: (task[1] ? task[1] + " " : "") + title, shape: "box", kgTask: t,
          x: (n ? x / n : 0) + radius * Math.cos(angle), y: (n ? y / n : 0) + radius * Math.sin(angle),
          color: {background: "#fffde7", border: "#9e9d24"}, font: {size: 12}, value: undefined};
}

function kgShowAgencyView() {
  kgClearTasks();
  kg.mode = "agencies";
  kg.labelShown = kg.base.nodes.map(function () { return null; });
  document.getElementById("kg-physics").checked = false;
  kg.net.setOptions({physics: {enabled: false}});
  kgApply();
}

function kgPhysicsDone() {
  if (!document.getElementById("kg-physics").checked) { kg.net.setOptions({physics: {enabled: false}}); }
}

/* ---------- counts ---------- */

function kgCounts() {
  return {
    nodes: nodes.get({filter: function (n) { return !n.hidden; }}).length,
    edges: edges.get({filter: function (e) { return !e.hidden; }}).length,
    drawnNodes: kg.net.body.nodeIndices.length,
    drawnEdges: kg.net.body.edgeIndices.length,
    mode: kg.mode,
    stabilized: window.kgStabilized === true
  };
}

function kgShowCounts() {
  var c = kgCounts();
  var what = kg.mode === "tasks" ? "机构与任务 agencies + tasks" : ({agencies: "机构 agencies", functions: "职能 functions",
    families: "职能类别 families"})[kg.data.kind];
  document.getElementById("kg-counts").textContent = c.nodes + " " + what + " · " + c.edges + " 连线 links";
}

/* ---------- side panel: an agency's tasks, an edge's shared tasks ---------- */

function kgClause(r) {
  /* the clause in its sentence, agency highlighted, as DOM nodes (text only) */
  var box = kgEl("div", null, "kg-clause"), src = r[7];
  if (src) {
    var text = Array.from(kg.data.windows[src[0]][2]);
    var ms = src[3] >= 0 ? src[3] : src[1], me = src[4] >= 0 ? src[4] : src[1];
    box.appendChild(document.createTextNode(text.slice(src[5], ms).join("")));
    box.appendChild(kgEl("mark", text.slice(ms, me).join("")));
    box.appendChild(document.createTextNode(text.slice(me, src[6]).join("")));
  } else {
    var at = r[6].indexOf(r[3]);
    if (at < 0 || !r[3]) { box.textContent = r[6]; return box; }
    box.appendChild(document.createTextNode(r[6].slice(0, at)));
    box.appendChild(kgEl("mark", r[3]));
    box.appendChild(document.createTextNode(r[6].slice(at + r[3].length)));
  }
  return box;
}

function kgDocLabel(doc) {
  return doc.title + (doc.year ? "(" + doc.year + ")" : "");
}

function kgRowsByDocument(rows) {
  var groups = {}, order = [];
  rows.forEach(function (r) {
    var doc = kg.data.tasks[r[0]][0];
    if (!groups[doc]) { groups[doc] = []; order.push(doc); }
    groups[doc].push(r);
  });
  order.sort(function (a, b) { return kg.data.documents[a].file < kg.data.documents[b].file ? -1 : 1; });
  return order.map(function (doc) { return {doc: doc, rows: groups[doc]}; });
}

function kgPathKey(path) {
  return path ? path.split(".").map(function (p) { return ("000000" + p).slice(-6); }).join(".") : "999999";
}

function kgSortRows(rows) {
  return rows.slice().sort(function (a, b) {
    var ta = kg.data.tasks[a[0]], tb = kg.data.tasks[b[0]];
    var ka = kgPathKey(ta[1]), kb = kgPathKey(tb[1]);
    if (ka !== kb) { return ka < kb ? -1 : 1; }
    if (a[2] !== b[2]) { return a[2] - b[2]; }
    return a[3] < b[3] ? -1 : a[3] > b[3] ? 1 : 0;
  });
}

function kgPanel(title, subtitle, rows) {
  var panel = document.getElementById("kg-panel");
  document.getElementById("kg-source").hidden = true;
  panel.hidden = false;
  panel.textContent = "";
  panel.appendChild(kgEl("h2", title));
  panel.appendChild(kgEl("p", subtitle, "kg-sub"));
  kg.panelRows = [];
  kgRowsByDocument(rows).forEach(function (group) {
    var doc = kg.data.documents[group.doc];
    panel.appendChild(kgEl("h3", kgDocLabel(doc)));
    var list = kgEl("ol", null, "kg-rows");
    kgSortRows(group.rows).forEach(function (r) { list.appendChild(kgRowItem(r, doc)); });
    panel.appendChild(list);
  });
  panel.scrollTop = 0;
}

function kgRowItem(r, doc) {
  var task = kg.data.tasks[r[0]], role = KG_ROLES[r[2]];
  var rowIndex = kg.panelRows.length;
  kg.panelRows.push([doc.file, doc.title, task[1], task[2], role, r[3], r[4], r[5] ? "yes" : "", r[6]]);
  var item = kgEl("li", null, "kg-row-item");
  item.dataset.row = String(rowIndex);
  var head = kgEl("div", null, "kg-row-head");
  head.appendChild(kgEl("span", KG_ROLE_LABEL[role] + " " + role, "kg-role kg-role-" + role));
  head.appendChild(kgEl("span", task[1] || "·", "kg-path"));
  head.appendChild(kgEl("span", task[2], "kg-task-title"));
  item.appendChild(head);
  if (r[4] !== r[3]) { item.appendChild(kgEl("div", "写作 " + r[3] + " → " + r[4], "kg-written")); }
  if (r[5]) { item.appendChild(kgEl("div", "由“下同”注释带入 carried by a 下同 note", "kg-written")); }
  if (r[6]) { item.appendChild(kgClause(r)); }
  if (r[7]) {
    var link = kgEl("button", "查看原文 source text", "kg-source-link");
    link.type = "button";
    link.addEventListener("click", function () { kgShowSource(r); });
    item.appendChild(link);
  }
  return item;
}

function kgShowNode(k) {
  var n = kg.data.nodes[k], f = kgFilters();
  var rows = kgRows(f).filter(function (r) { return r[1] === k; });
  var family = kg.data.families.find(function (x) { return x[0] === n.family; });
  var sub = (family ? family[1] + " · " : "") + n.function + " · 负担 burden " + n.burden.toFixed(2) +
    " · 牵头 " + n.counts[0] + " / 配合 " + n.counts[1] + " / 责任 " + n.counts[2] +
    (n.community ? " · 社区 community " + n.community : "") + " · " + rows.length + " 条 rows";
  kgPanel(n.name, sub, rows);
}

function kgShowEdge(edgeId) {
  var ends = edgeId.split("-").map(Number), a = ends[0], b = ends[1];
  var rows = kgRows(kgFilters()), hasA = {}, hasB = {};
  rows.forEach(function (r) {
    if (r[5]) { return; }
    if (r[1] === a) { hasA[r[0]] = true; }
    if (r[1] === b) { hasB[r[0]] = true; }
  });
  var shared = rows.filter(function (r) { return hasA[r[0]] && hasB[r[0]] && (r[1] === a || r[1] === b) && !r[5]; });
  var count = Object.keys(hasA).filter(function (t) { return hasB[t]; }).length;
  kgPanel(kg.data.nodes[a].name + " — " + kg.data.nodes[b].name, count + " 项共同任务 shared tasks", shared);
}

/* ---------- source view ---------- */

function kgShowSource(r) {
  var src = r[7], w = kg.data.windows[src[0]], doc = kg.data.documents[w[0]];
  var text = Array.from(w[2]);
  var view = document.getElementById("kg-source");
  view.textContent = "";
  var back = kgEl("button", "← 返回 back", "kg-back");
  back.type = "button";
  back.addEventListener("click", function () { view.hidden = true; document.getElementById("kg-panel").hidden = false; });
  view.appendChild(back);
  view.appendChild(kgEl("h2", kgDocLabel(doc)));
  var task = kg.data.tasks[r[0]];
  view.appendChild(kgEl("p", doc.file + " · " + (task[1] || "") + " " + task[2] + " · 字符 chars " +
    (w[1] + src[1]) + "–" + (w[1] + src[2]), "kg-sub"));
  var body = kgEl("div", null, "kg-source-text");
  body.appendChild(document.createTextNode((w[1] > 0 ? "…" : "") + text.slice(0, src[1]).join("")));
  var mark = kgEl("mark", text.slice(src[1], src[2]).join(""));
  mark.id = "kg-source-mark";
  body.appendChild(mark);
  body.appendChild(document.createTextNode(text.slice(src[2]).join("") + "…"));
  view.appendChild(body);
  document.getElementById("kg-panel").hidden = true;
  view.hidden = false;
  mark.scrollIntoView({block: "center"});
}

/* ---------- search ---------- */

function kgFind(wanted) {
  if (!wanted) { return []; }
  var exact = kg.forms[wanted];
  if (exact) { return exact.slice(); }
  var found = {};
  kg.data.search.forEach(function (entry) {
    if (entry[0].indexOf(wanted) >= 0) { entry[1].forEach(function (k) { found[k] = true; }); }
  });
  return Object.keys(found).map(Number).sort(function (a, b) { return a - b; });
}

function kgSearch() {
  var wanted = document.getElementById("kg-search").value.trim();
  var found = kgFind(wanted).filter(function (k) { return !nodes.get(kg.data.nodes[k].id).hidden; });
  document.getElementById("kg-found").textContent = wanted ? found.length + " 个 found" : "";
  if (!found.length) { return; }
  var ids = found.map(function (k) { return kg.data.nodes[k].id; });
  kg.net.selectNodes(ids);
  kg.net.fit({nodes: ids, animation: false, maxZoomLevel: 0.9});
  kg.selection = found;
  if (found.length === 1) { kgShowNode(found[0]); }
}

/* ---------- export ---------- */

function kgCsvCell(value) {
  var text = String(value === undefined || value === null ? "" : value);
  if (/^[=+\-@\t\r]/.test(text)) { text = "'" + text; }
  return /[",\r\n]/.test(text) ? '"' + text.replace(/"/g, '""') + '"' : text;
}

function kgPanelCsv() {
  var head = ["document", "title", "path", "task", "role", "written_as", "agency", "inferred", "clause"];
  var lines = [head].concat(kg.panelRows).map(function (row) { return row.map(kgCsvCell).join(","); });
  return "\ufeff" + lines.join("\r\n") + "\r\n";
}

function kgDownload(name, href) {
  var a = document.createElement("a");
  a.href = href;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
}

function kgPng() {
  var canvas = document.querySelector("#mynetwork canvas");
  var out = document.createElement("canvas");
  out.width = canvas.width;
  out.height = canvas.height;
  var ctx = out.getContext("2d");
  ctx.fillStyle = "#ffffff";
  ctx.fillRect(0, 0, out.width, out.height);
  ctx.drawImage(canvas, 0, 0);
  return out.toDataURL("image/png");
}

/* ---------- communities, legend, controls ---------- */

function kgDrawCommunities(ctx) {
  if (kg.mode !== "agencies") { return; }
  var groups = {};
  kg.base.nodes.forEach(function (n) {
    var body = kg.net.body.nodes[n.id];
    if (!n.kgCommunity || !body || body.options.hidden) { return; }
    (groups[n.kgCommunity] || (groups[n.kgCommunity] = [])).push(body);
  });
  Object.keys(groups).forEach(function (c) {
    var members = groups[c];
    if (members.length < 3) { return; }
    var x = 0, y = 0;
    members.forEach(function (b) { x += b.x; y += b.y; });
    x /= members.length; y /= members.length;
    var d = members.map(function (b) { return Math.hypot(b.x - x, b.y - y); }).sort(function (p, q) { return p - q; });
    var r = d[Math.floor(0.85 * (d.length - 1))] + 30;
    ctx.beginPath();
    ctx.arc(x, y, r, 0, 2 * Math.PI);
    ctx.fillStyle = "rgba(96, 125, 139, 0.06)";
    ctx.fill();
    ctx.setLineDash([6, 6]);
    ctx.strokeStyle = "rgba(96, 125, 139, 0.35)";
    ctx.stroke();
    ctx.setLineDash([]);
    ctx.fillStyle = "rgba(55, 71, 79, 0.6)";
    ctx.font = "14px sans-serif";
    ctx.fillText("社区 " + c, x - r * 0.7, y - r * 0.75);
  });
}

function kgLegend() {
  var legend = document.getElementById("kg-legend"), present = {};
  kg.data.nodes.forEach(function (n) { present[n.family] = true; });
  kg.data.families.forEach(function (f) {
    if (!present[f[0]]) { return; }
    var item = kgEl("span", null, "kg-legend-item");
    var swatch = kgEl("span", null, "kg-swatch");
    swatch.style.background = f[3];
    item.appendChild(swatch);
    item.appendChild(document.createTextNode(f[1]));
    item.title = f[2];
    legend.appendChild(item);
  });
  legend.appendChild(kgEl("span", "大小 = 负担 size = burden · 线宽 = 共同任务 width = shared tasks · 箭头 牵头→配合",
                          "kg-legend-item kg-muted"));
}

function kgFillControls() {
  var d = kg.data, docs = document.getElementById("kg-document");
  d.documents.map(function (doc, i) { return [kgDocLabel(doc), doc.file]; }).sort()
    .forEach(function (p) { kgOption(docs, p[1], p[0]); });
  d.domains.forEach(function (x) { kgOption(document.getElementById("kg-domain"), x[0], x[1]); });
  var levels = {};
  d.documents.forEach(function (doc) { if (doc.level) { levels[doc.level] = true; } });
  Object.keys(levels).sort().forEach(function (l) { kgOption(document.getElementById("kg-level"), l, l); });
  document.querySelectorAll("input[data-role]").forEach(function (b) { b.checked = d.roles.indexOf(b.dataset.role) >= 0; });
  var list = document.getElementById("kg-forms");
  kg.forms = {};
  d.search.forEach(function (entry) {
    kg.forms[entry[0]] = entry[1];
    var names = entry[1].slice(0, 3).map(function (k) { return d.nodes[k].name; }).join("、");
    kgOption(list, entry[0], names === entry[0] ? "" : names + (entry[1].length > 3 ? "…" : ""));
  });
}

function kgBind() {
  ["kg-document", "kg-domain", "kg-level"].forEach(function (id) {
    document.getElementById(id).addEventListener("change", kgApply);
  });
  document.querySelectorAll("input[data-role]").forEach(function (b) { b.addEventListener("change", kgApply); });
  document.getElementById("kg-search").addEventListener("change", kgSearch);
  document.getElementById("kg-search").addEventListener("keydown", function (e) { if (e.key === "Enter") { kgSearch(); } });
  document.getElementById("kg-search-button").addEventListener("click", kgSearch);
  document.getElementById("kg-task-view").addEventListener("click", function () {
    var chosen = kg.net.getSelectedNodes().map(function (id) { return nodes.get(id).kgIndex; })
      .filter(function (k) { return k !== undefined; });
    kgShowTaskView(chosen.length ? chosen : kg.selection);
  });
  document.getElementById("kg-agency-view").addEventListener("click", kgShowAgencyView);
  document.getElementById("kg-physics").addEventListener("change", function (e) {
    kg.net.setOptions({physics: {enabled: e.target.checked, stabilization: {enabled: false}}});
  });
  document.getElementById("kg-png").addEventListener("click", function () { kgDownload("graph.png", kgPng()); });
  document.getElementById("kg-csv").addEventListener("click", function () {
    kgDownload("rows.csv", URL.createObjectURL(new Blob([kgPanelCsv()], {type: "text/csv;charset=utf-8"})));
  });
}

function kgClick(params) {
  if (params.nodes.length) {
    var n = nodes.get(params.nodes[0]);
    if (n.kgIndex !== undefined) { kg.selection = [n.kgIndex]; kgShowNode(n.kgIndex); }
    else if (n.kgTask !== undefined) { kgShowTask(n.kgTask); }
  } else if (params.edges.length) {
    var e = edges.get(params.edges[0]);
    if (e.kgRole === undefined) { kgShowEdge(e.id); }
  }
}

function kgShowTask(t) {
  var task = kg.data.tasks[t];
  kgPanel((task[1] ? task[1] + " " : "") + task[2], kgDocLabel(kg.data.documents[task[0]]),
          kgRows(kgFilters()).filter(function (r) { return r[0] === t; }));
}

function kgStart(net) {
  window.kgStartAt = performance.now();
  kg.net = net;
  kg.data = JSON.parse(document.getElementById("kg-data").textContent);
  kg.base = {nodes: nodes.get(), edges: edges.get()};
  kg.state = {};
  kg.base.nodes.forEach(function (n) { kg.state[n.id] = false; });
  kg.base.edges.forEach(function (e) {
    kg.state[e.id] = JSON.stringify({id: e.id, hidden: false, value: e.value, arrows: e.arrows});
  });
  kg.labelShown = kg.base.nodes.map(function () { return false; });
  kg.byBurden = kg.base.nodes.map(function (n, k) { return k; }).sort(function (a, b) {
    return kg.data.nodes[b].burden - kg.data.nodes[a].burden || a - b;
  });
  kgFillControls();
  kgLegend();
  kgBind();
  net.on("click", kgClick);
  net.on("beforeDrawing", kgDrawCommunities);
  net.on("stabilized", kgPhysicsDone);
  ["zoom", "dragEnd", "stabilized", "select"].forEach(function (name) { net.on(name, kgLabelsSoon); });
  net.once("afterDrawing", function () {
    window.kgStabilized = true;
    window.kgReadyAt = performance.now();
    document.body.setAttribute("data-ready", "true");
  });
  if (kg.data.focus.length) { kg.selection = kg.data.focus; kgShowTaskView(kg.data.focus); }
  else { kgFit(); kgShowCounts(); }
  window.kgStartEnd = performance.now();
}

/* ---------- labels: the heaviest agencies first, as many as fit at the current zoom ---------- */

function kgLabels() {
  if (kg.mode !== "agencies") { return; }
  var scale = kg.net.getScale(), box = document.getElementById("mynetwork");
  var width = box.clientWidth, height = box.clientHeight, cells = {}, updates = [];
  var selected = {};
  kg.net.getSelectedNodes().forEach(function (id) { selected[id] = true; });
  kg.byBurden.forEach(function (k) {
    var n = kg.base.nodes[k], body = kg.net.body.nodes[n.id], want = false;
    if (body && !body.options.hidden) {
      var size = n.font.size * scale, p = kg.net.canvasToDOM({x: body.x, y: body.y});
      var w = kg.data.nodes[k].name.length * size, h = size * 1.25;
      var x0 = p.x - w / 2, y0 = p.y + body.options.size * scale + 1;
      var inside = x0 + w > 0 && x0 < width && y0 + h > 0 && y0 < height;
      want = selected[n.id] || (inside && size >= 10 && kgFree(cells, x0, y0, w, h));
    }
    if (want !== kg.labelShown[k]) {
      kg.labelShown[k] = want;
      updates.push({id: n.id, label: want ? kg.data.nodes[k].name : ""});
    }
  });
  if (updates.length) { nodes.update(updates); }
}

function kgFree(cells, x, y, w, h) {
  /* true (and the box is taken) when it overlaps no label taken so far; a 80 px grid keeps it fast */
  var keys = [];
  for (var cx = Math.floor(x / 80); cx <= Math.floor((x + w) / 80); cx++) {
    for (var cy = Math.floor(y / 80); cy <= Math.floor((y + h) / 80); cy++) { keys.push(cx + ":" + cy); }
  }
  for (var i = 0; i < keys.length; i++) {
    var taken = cells[keys[i]] || [];
    for (var j = 0; j < taken.length; j++) {
      var b = taken[j];
      if (x < b[0] + b[2] && b[0] < x + w && y < b[1] + b[3] && b[1] < y + h) { return false; }
    }
  }
  keys.forEach(function (key) { (cells[key] || (cells[key] = [])).push([x, y, w, h]); });
  return true;
}

function kgLabelsSoon() {
  clearTimeout(kg.labelTimer);
  kg.labelTimer = setTimeout(kgLabels, 60);
}
