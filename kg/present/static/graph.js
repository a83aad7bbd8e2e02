/* Controls of the responsibility graph page. Loaded in <head>; kgAfterCreate(network) is called
   by the page right after the vis Network is created, so no stabilisation event is missed.
   Every piece of document text reaches the page through textContent or vis (canvas labels,
   innerText tooltips): nothing is parsed as HTML. */
"use strict";
var kgMeta = null;

function kgReadMeta() {
  if (kgMeta === null) {
    kgMeta = JSON.parse(document.getElementById("kg-meta").textContent);
  }
  return kgMeta;
}

function kgOption(select, value, text) {
  var option = document.createElement("option");
  option.value = value;
  option.textContent = text;
  select.appendChild(option);
}

function kgFillControls() {
  var meta = kgReadMeta();
  document.getElementById("kg-title").textContent = meta.title;
  document.getElementById("kg-note").textContent = meta.note;
  var docs = document.getElementById("kg-document");
  meta.documents.forEach(function (d) { kgOption(docs, d, d); });
  var domains = document.getElementById("kg-domain");
  var legend = document.getElementById("kg-domain-legend");
  meta.domains.forEach(function (d) {
    kgOption(domains, d.key, d.label);
    var item = document.createElement("span");
    item.className = "kg-swatch";
    item.style.background = d.colour;
    legend.appendChild(item);
    legend.appendChild(document.createTextNode(d.label + " "));
  });
  var list = document.getElementById("kg-agencies");
  nodes.get({filter: function (n) { return n.kind === "agency"; }}).forEach(function (n) {
    kgOption(list, n.label, n.function || "");
  });
  if (meta.kind === "agencies") {
    docs.disabled = true;
    domains.disabled = true;
  }
}

function kgApplyFilters() {
  var doc = document.getElementById("kg-document").value;
  var domain = document.getElementById("kg-domain").value;
  var roles = {};
  document.querySelectorAll("input[data-role]").forEach(function (box) { roles[box.dataset.role] = box.checked; });
  var taskVisible = {}, agencyVisible = {}, docVisible = {};
  nodes.get({filter: function (n) { return n.kind === "task"; }}).forEach(function (n) {
    taskVisible[n.id] = (!doc || n.document === doc) && (!domain || (n.domains || []).indexOf(domain) >= 0);
    if (taskVisible[n.id]) { docVisible["document:" + n.document] = true; }
  });
  var edgeUpdates = [];
  edges.get().forEach(function (e) {
    var show = true;
    if (e.kind === "role") {
      show = taskVisible[e.to] && roles[e.role] !== false;
      if (show) { agencyVisible[e.from] = true; }
    } else if (e.kind === "document") {
      show = taskVisible[e.to];
    } else if (e.kind === "shared") {
      show = true;
      agencyVisible[e.from] = agencyVisible[e.to] = true;
    }
    edgeUpdates.push({id: e.id, hidden: !show, kind: e.kind, from: e.from, to: e.to});
  });
  edgeUpdates.forEach(function (u) {
    if (u.kind === "member" || u.kind === "host") { u.hidden = !agencyVisible[u.to]; }
  });
  var groupVisible = {};
  edgeUpdates.forEach(function (u) { if (!u.hidden && (u.kind === "member" || u.kind === "host")) { groupVisible[u.from] = true; } });
  var nodeUpdates = nodes.get().map(function (n) {
    var show = n.kind === "task" ? taskVisible[n.id] : n.kind === "document" ? !!docVisible[n.id]
      : n.kind === "group" ? !!groupVisible[n.id] : (kgReadMeta().kind === "agencies" || !!agencyVisible[n.id]);
    return {id: n.id, hidden: !show};
  });
  nodes.update(nodeUpdates);
  edges.update(edgeUpdates.map(function (u) { return {id: u.id, hidden: u.hidden}; }));
}

function kgSearch() {
  var wanted = document.getElementById("kg-search").value.trim();
  if (!wanted) { return; }
  var found = nodes.get({filter: function (n) { return n.kind === "agency" && !n.hidden && n.label.indexOf(wanted) >= 0; }});
  if (found.length) {
    network.selectNodes(found.map(function (n) { return n.id; }));
    network.focus(found[0].id, {scale: 1.2, animation: false});
  }
  document.getElementById("kg-found").textContent = found.length + " found";
}

function kgCounts() {
  return {
    nodes: nodes.get({filter: function (n) { return !n.hidden; }}).length,
    edges: edges.get({filter: function (e) { return !e.hidden; }}).length,
    drawnNodes: network.body.nodeIndices.length,
    drawnEdges: network.body.edgeIndices.length,
    stabilized: window.kgStabilized === true
  };
}

function kgAfterCreate(net) {
  window.kgStabilized = false;
  net.once("stabilizationIterationsDone", function () {
    net.setOptions({physics: {enabled: false}});
    window.kgStabilized = true;
    document.body.setAttribute("data-stabilized", "true");
  });
  kgFillControls();
  document.getElementById("kg-document").addEventListener("change", kgApplyFilters);
  document.getElementById("kg-domain").addEventListener("change", kgApplyFilters);
  document.querySelectorAll("input[data-role]").forEach(function (box) { box.addEventListener("change", kgApplyFilters); });
  document.getElementById("kg-search").addEventListener("change", kgSearch);
  document.getElementById("kg-search-button").addEventListener("click", kgSearch);
}
