// Draws an entity's network with cytoscape.js (shipped in this package) and shows the
// evidence of the selected link. The table under the graph lists the same links for
// keyboard and screen-reader users; its "Show in graph" buttons select a link here.
(function () {
  "use strict";

  function el(tag, text, className) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = text;
    if (className) node.className = className;
    return node;
  }

  var RELATIONS = {
    ownership: "owns", control: "controls", director: "is director/officer of",
    operator: "owns or operates", representative: "represents", employee: "works for",
    member: "is member of", family: "is family of", associate: "is associate of",
    linked: "is linked to", same_as: "is the same party as"
  };

  function evidenceList(items) {
    var list = el("ul", null, "evidence");
    (items || []).forEach(function (ev) {
      var li = el("li");
      li.appendChild(el("span", ev.kind, "badge"));
      var where = [ev.dataset, ev.ref ? "entry " + ev.ref : null, ev.version ? "(version " + ev.version + ")" : null,
                   ev.file ? ev.file + (ev.line ? ", line " + ev.line : "") : null, ev.date].filter(Boolean).join(" ");
      li.appendChild(document.createTextNode(" " + where));
      if (ev.text) li.appendChild(el("q", ev.text));
      list.appendChild(li);
    });
    return list;
  }

  function showEdge(panel, edge, nodes) {
    var d = edge.data();
    panel.replaceChildren();
    panel.appendChild(el("h3", "Link"));
    var p = el("p");
    p.appendChild(el("strong", nodes[d.source] || d.source));
    p.appendChild(document.createTextNode(" " + d.label + " "));
    p.appendChild(el("strong", nodes[d.target] || d.target));
    panel.appendChild(p);
    if (d.role) panel.appendChild(el("p", d.role, "muted"));
    panel.appendChild(el("h4", "Evidence"));
    panel.appendChild(evidenceList(d.evidence));
  }

  function showNode(panel, node, base) {
    var d = node.data();
    panel.replaceChildren();
    panel.appendChild(el("h3", d.label));
    panel.appendChild(el("p", d.schema + (d.listed ? " · listed: " + d.dataset + " entry " + (d.ref || "–") : " · not listed"), "muted"));
    if (d.programs && d.programs.length) panel.appendChild(el("p", "Programs: " + d.programs.join(", ")));
    if (d.listed) {
      var a = el("a", "Open " + d.label);
      a.href = base + encodeURIComponent(d.id);
      panel.appendChild(a);
    }
    panel.appendChild(el("p", node.connectedEdges().length + " link(s) shown", "muted"));
  }

  // One link away: the entity in the middle, its neighbours around it. Further: a force
  // layout, spaced so that labels stay readable.
  function layoutFor(data, focus) {
    if (data.hops === 1 || data.nodes.length > 150) {
      return { name: "concentric", fit: true, padding: 40, animate: false, minNodeSpacing: 30,
               concentric: function (n) { return n.id() === focus ? 2 : 1; },
               levelWidth: function () { return 1; } };
    }
    return { name: "cose", fit: true, padding: 40, animate: false, randomize: false,
             nodeRepulsion: function () { return 60000; }, idealEdgeLength: function () { return 110; },
             nodeOverlap: 20, gravity: 0.4, numIter: 1500 };
  }

  function draw(box, data) {
    var focus = box.getAttribute("data-focus");
    var base = box.getAttribute("data-entity-base");
    var panel = document.getElementById("graph-detail");
    var captions = {};
    var elements = [];
    data.nodes.forEach(function (n) {
      captions[n.id] = n.caption;
      elements.push({ group: "nodes", data: {
        id: n.id, label: n.caption, schema: n.schema, listed: !!n.listed, dataset: n.dataset || null,
        ref: n.ref || null, programs: n.programs || [], focus: n.id === focus } });
    });
    data.edges.forEach(function (e) {
      var label = (RELATIONS[e.relation] || e.relation) + (e.share ? " " + e.share.label : "");
      elements.push({ group: "edges", data: {
        id: e.source + "|" + e.target + "|" + e.relation, source: e.source, target: e.target,
        relation: e.relation, label: label, role: e.role || null, evidence: e.evidence || [] } });
    });
    var cy = window.cytoscape({
      container: box,
      elements: elements,
      minZoom: 0.2,
      maxZoom: 1.6,
      style: [
        { selector: "node", style: {
          "label": "data(label)", "font-size": 11, "color": "#1b1b1b", "text-wrap": "ellipsis",
          "text-max-width": 140, "text-valign": "bottom", "text-margin-y": 4,
          "background-color": "#ffffff", "border-width": 2, "border-color": "#4a4a4a",
          "shape": "round-rectangle", "width": 18, "height": 18 } },
        { selector: "node[?listed]", style: { "background-color": "#D55E00", "border-color": "#7a3300", "shape": "ellipse", "width": 22, "height": 22 } },
        { selector: "node[?focus]", style: { "width": 34, "height": 34, "border-width": 4, "border-color": "#0b57a4", "font-weight": "bold" } },
        { selector: "edge", style: {
          "width": 2, "line-color": "#8a94a3", "target-arrow-color": "#8a94a3", "target-arrow-shape": "triangle",
          "curve-style": "bezier", "label": "data(label)", "font-size": 9, "color": "#374151",
          "text-rotation": "autorotate", "text-background-color": "#ffffff", "text-background-opacity": 0.85 } },
        { selector: "edge[relation = 'same_as']", style: { "line-style": "dashed", "target-arrow-shape": "none" } },
        { selector: ":selected", style: { "line-color": "#b45309", "target-arrow-color": "#b45309", "border-color": "#b45309", "width": 4 } }
      ],
      layout: layoutFor(data, focus)
    });
    window.sanctionsnetGraph = cy;
    box.setAttribute("data-ready", "true");
    cy.on("select", "edge", function (evt) {
      showEdge(panel, evt.target, captions);
      markRow(evt.target.id());
    });
    cy.on("select", "node", function (evt) { showNode(panel, evt.target, base); });
    cy.on("dbltap", "node[?listed]", function (evt) {
      if (evt.target.id() !== focus) window.location.href = base + encodeURIComponent(evt.target.id());
    });
    document.querySelectorAll("button.show-edge").forEach(function (button) {
      button.addEventListener("click", function () {
        var edge = cy.getElementById(button.getAttribute("data-edge"));
        if (!edge.length) return;
        cy.elements().unselect();
        edge.select();
        cy.animate({ center: { eles: edge }, duration: 200 });
        box.scrollIntoView({ block: "nearest" });
      });
    });
  }

  function markRow(key) {
    document.querySelectorAll("table.links tr.selected").forEach(function (tr) { tr.classList.remove("selected"); });
    document.querySelectorAll("table.links tr").forEach(function (tr) {
      if (tr.getAttribute("data-edge") === key) tr.classList.add("selected");
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var box = document.getElementById("graph");
    if (!box || !window.cytoscape) return;
    fetch(box.getAttribute("data-src"), { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); })
      .then(function (data) { draw(box, data); })
      .catch(function () {
        box.replaceChildren(el("p", "The graph could not be drawn; the table below lists every link.", "errors"));
      });
  });
})();
