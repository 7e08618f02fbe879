#pragma once
// weir/insight/page.hpp — the web page http_server serves at "/".

#include <string_view>

namespace weir::insight {

/// One self-contained HTML document (styles and script inline, nothing
/// loaded from elsewhere) that polls /snapshot.json and /history.json every
/// second and draws the actor tree with states, sparklines of queue depth,
/// what each actor waits on or handles, the edges into it on demand, the standing
/// cycles, the lints and the system's counters. Every text from the system
/// is inserted as text, never as markup: actor names cannot inject script.
inline constexpr std::string_view page = R"weir-page(<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>weir insight</title>
<style>
:root {
  --bg: #f5f6f8; --panel: #ffffff; --text: #1d2330; --muted: #6b7280; --line: #e3e6eb; --head: #161b26;
  --accent: #2f6fde; --bad: #c93a3a; --warn: #c77700; --ok: #2e8b57; --mono: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace;
  --s-starting: #8a94a6; --s-idle: #9aa3b2; --s-scheduled: #2f6fde; --s-running: #1f9d55; --s-suspended: #e07b00;
  --s-waiting-reply: #7c4dcc; --s-paused: #c9a100; --s-stopping: #d4477a; --s-exited: #8b1e1e;
}
@media (prefers-color-scheme: dark) {
  :root { --bg: #11151c; --panel: #1a1f29; --text: #e3e7ee; --muted: #939cab; --line: #2a3140; --head: #0b0e13; }
}
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--text); font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
header { background: var(--head); color: #f0f3f8; padding: 10px 20px; display: flex; align-items: center; gap: 16px; }
header h1 { font-size: 17px; margin: 0; font-weight: 600; letter-spacing: .3px; }
header h1 span { color: #8fb4ff; font-weight: 400; }
header .spacer { flex: 1; }
header .meta { color: #aab4c5; font-size: 12.5px; }
.conn { font-size: 12px; padding: 2px 10px; border-radius: 999px; background: #2b3446; color: #c9d3e3; }
.conn.live { background: #173d29; color: #7fe0a5; }
.conn.down { background: #4a1c1c; color: #ff9c9c; }
main { padding: 16px 20px 28px; max-width: 1600px; margin: 0 auto; }
.counters { display: grid; grid-template-columns: repeat(auto-fit, minmax(140px, 1fr)); gap: 10px; margin-bottom: 16px; }
.counter { background: var(--panel); border: 1px solid var(--line); border-radius: 8px; padding: 10px 14px; }
.counter .v { font-size: 22px; font-weight: 600; font-variant-numeric: tabular-nums; }
.counter .k { color: var(--muted); font-size: 12px; text-transform: uppercase; letter-spacing: .5px; }
.counter.alert .v { color: var(--bad); }
.layout { display: grid; grid-template-columns: minmax(0, 1fr) 380px; gap: 16px; align-items: start; }
@media (max-width: 1100px) { .layout { grid-template-columns: 1fr; } }
.panel { background: var(--panel); border: 1px solid var(--line); border-radius: 8px; margin-bottom: 16px; overflow: hidden; }
.panel h2 { font-size: 13px; text-transform: uppercase; letter-spacing: .6px; color: var(--muted); margin: 0; padding: 10px 14px;
  border-bottom: 1px solid var(--line); display: flex; align-items: center; gap: 8px; }
.panel h2 .n { background: var(--line); color: var(--text); border-radius: 999px; padding: 0 8px; font-size: 11.5px; }
.panel h2 .n.bad { background: var(--bad); color: #fff; }
.panel h2 .n.warn { background: var(--warn); color: #fff; }
.panel h2 input { margin-left: auto; font: inherit; text-transform: none; letter-spacing: 0; padding: 3px 8px; border-radius: 6px;
  border: 1px solid var(--line); background: var(--bg); color: var(--text); width: 220px; }
.empty { color: var(--muted); padding: 14px; }
table { width: 100%; border-collapse: collapse; }
/* Fixed columns: an opened edge table scrolls inside its row instead of widening the tree. */
table.actors { table-layout: fixed; }
.scroll { overflow-x: auto; }
.nowrap { white-space: nowrap; }
th { text-align: left; font-weight: 600; font-size: 12px; color: var(--muted); padding: 7px 10px; border-bottom: 1px solid var(--line); white-space: nowrap; }
td { padding: 6px 10px; border-bottom: 1px solid var(--line); vertical-align: middle; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
tr.actor { cursor: pointer; }
tr.actor:hover { background: rgba(47, 111, 222, .06); }
tr.actor.in-cycle td:first-child { box-shadow: inset 3px 0 0 var(--bad); }
.name { font-weight: 600; }
.tree { color: var(--line); font-family: var(--mono); white-space: pre; }
.twisty { display: inline-block; width: 12px; color: var(--muted); font-size: 10px; }
.type { color: var(--muted); font-size: 12px; font-family: var(--mono); margin-left: 6px; overflow-wrap: anywhere; }
.state { display: inline-block; padding: 1px 9px; border-radius: 999px; font-size: 12px; font-weight: 600; color: #fff; white-space: nowrap; }
.dot { display: inline-block; width: 9px; height: 9px; border-radius: 50%; margin-right: 6px; vertical-align: middle; }
.activity { font-size: 12.5px; overflow-wrap: anywhere; }
.activity > div::before { content: ""; display: inline-block; width: 7px; height: 7px; border-radius: 50%; margin-right: 6px;
  vertical-align: middle; background: currentColor; }
.activity .w { color: var(--s-suspended); }
.activity .w.reply { color: var(--s-waiting-reply); }
.activity .h { color: var(--s-running); }
.activity .mono { color: var(--text); }
.mono { font-family: var(--mono); font-size: 12px; }
td.queued { white-space: nowrap; }
.qn { display: inline-block; min-width: 4ch; margin-left: 8px; text-align: right; }
.spark { display: inline-block; vertical-align: middle; }
.spark polyline { fill: none; stroke: var(--accent); stroke-width: 1.5; }
.spark .area { fill: rgba(47, 111, 222, .12); stroke: none; }
tr.edges > td { background: var(--bg); padding: 8px 14px 12px 40px; }
tr.edges table td, tr.edges table th { padding: 4px 8px; font-size: 12px; }
.item { padding: 10px 14px; border-bottom: 1px solid var(--line); }
.item:last-child { border-bottom: 0; }
.item .title { display: flex; gap: 8px; align-items: center; font-weight: 600; margin-bottom: 4px; flex-wrap: wrap; }
.tag { font-size: 11px; font-weight: 600; padding: 1px 7px; border-radius: 4px; background: var(--line); color: var(--text); }
.tag.bad { background: var(--bad); color: #fff; }
.tag.warn { background: var(--warn); color: #fff; }
.item ol { margin: 4px 0 0; padding-left: 20px; }
.item li { margin: 2px 0; }
.detail { color: var(--muted); font-family: var(--mono); font-size: 12px; white-space: pre-wrap; word-break: break-word; }
.legend { display: flex; flex-wrap: wrap; gap: 6px 14px; padding: 10px 14px; font-size: 12.5px; }
.note { color: var(--muted); font-size: 12px; padding: 8px 14px; }
</style>
</head>
<body>
<header>
  <h1>weir <span>insight</span></h1>
  <span id="conn" class="conn">connecting</span>
  <span class="spacer"></span>
  <span class="meta" id="meta"></span>
</header>
<main>
  <section class="counters" id="counters"></section>
  <div class="layout">
    <div>
      <section class="panel">
        <h2>Actors <span class="n" id="actor-count">0</span>
          <input id="filter" type="search" placeholder="filter by path or state" aria-label="filter actors"></h2>
        <table class="actors">
          <colgroup><col style="width: 30%"><col style="width: 120px"><col style="width: 90px"><col style="width: 180px">
            <col style="width: 76px"><col></colgroup>
          <thead><tr><th>actor</th><th>state</th><th class="num">handled</th><th class="num">queued</th>
            <th class="num">restarts</th><th>waiting on / handling</th></tr></thead>
          <tbody id="actors"></tbody>
        </table>
        <div class="note">Click an actor to see the edges into it. Sparklines: queue depth over the last samples.</div>
      </section>
    </div>
    <div>
      <section class="panel"><h2>Cycles <span class="n" id="cycle-count">0</span></h2><div id="cycles"></div></section>
      <section class="panel"><h2>Lints <span class="n" id="lint-count">0</span></h2><div id="lints"></div></section>
      <section class="panel"><h2>States</h2><div class="legend" id="legend"></div></section>
    </div>
  </div>
</main>
<script>
"use strict";
const STATES = ["starting", "idle", "scheduled", "running", "suspended", "waiting-reply", "paused", "stopping", "exited"];
const MAX_ROWS = 2000;
const expanded = new Set();
let last = null, lastHistory = null;

// Builds an element; strings become text nodes, so data never becomes markup.
function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === "class") e.className = v; else if (k === "style") e.style.cssText = v;
    else if (k.startsWith("on")) e.addEventListener(k.slice(2), v); else e.setAttribute(k, v);
  }
  for (const c of children.flat()) if (c !== null && c !== undefined) e.append(c instanceof Node ? c : String(c));
  return e;
}
function svg(tag, attrs) {
  const e = document.createElementNS("http://www.w3.org/2000/svg", tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  return e;
}
function ms(v) {
  if (v < 1000) return v + " ms";
  if (v < 60000) return (v / 1000).toFixed(1) + " s";
  const m = Math.floor(v / 60000), s = Math.floor((v % 60000) / 1000);
  return m < 60 ? m + " min " + s + " s" : Math.floor(m / 60) + " h " + (m % 60) + " min";
}
// Type names as the runtime demangles them; anonymous namespaces only add noise.
function shortType(t) { return t.replace(/\(anonymous namespace\)::/g, ""); }
function num(v) { return Number(v).toLocaleString("en-US"); }
function stateColor(s) { return "var(--s-" + s + ")"; }
function statePill(s) { return el("span", {class: "state", style: "background:" + stateColor(s)}, s); }

function sparkline(series) {
  const w = 110, h = 22, n = series ? series.length : 0;
  const box = svg("svg", {class: "spark", width: w, height: h, viewBox: "0 0 " + w + " " + h});
  if (n < 2) return box;
  const max = Math.max(1, ...series.filter(v => v !== null));
  const x = i => (i * (w - 2) / (n - 1) + 1).toFixed(1);
  const y = v => (h - 2 - v * (h - 4) / max).toFixed(1);
  let run = [];
  const flush = () => {
    if (run.length > 1) {
      box.append(svg("polygon", {class: "area", points: x(run[0][0]) + "," + (h - 1) + " " +
        run.map(([i, v]) => x(i) + "," + y(v)).join(" ") + " " + x(run[run.length - 1][0]) + "," + (h - 1)}));
      box.append(svg("polyline", {points: run.map(([i, v]) => x(i) + "," + y(v)).join(" ")}));
    }
    run = [];
  };
  series.forEach((v, i) => { if (v === null) flush(); else run.push([i, v]); });
  flush();
  const title = svg("title", {});
  title.textContent = "queue depth, last " + n + " samples; max " + max;
  box.append(title);
  return box;
}

function activity(a) {
  const parts = [];
  for (const w of a.waits) {
    parts.push(el("div", {class: w.kind === "reply" ? "w reply" : "w"},
      w.kind === "credit" ? "credit on " : "reply from ", el("span", {class: "mono"}, w.on),
      " \u00B7 " + ms(w.for_ms)));
  }
  if (a.handling) {
    parts.push(el("div", {class: "h"}, "handling ", el("span", {class: "mono"}, shortType(a.handling)),
      " \u00B7 " + ms(a.handling_for_ms)));
  }
  return el("td", {class: "activity"}, parts);
}

function edgeTable(a) {
  if (a.edges.length === 0) return el("div", {class: "empty"}, "No open edges into this actor.");
  const head = ["edge", "carries", "policy", "depth", "capacity", "credits", "sent", "handled", "refused", "dropped",
    "coalesced", "dead-lettered", "~bytes"];
  const numeric = new Set(["depth", "capacity", "credits", "sent", "handled", "refused", "dropped", "coalesced",
    "dead-lettered", "~bytes"]);
  return el("div", {class: "scroll"}, el("table", {},
    el("thead", {}, el("tr", {}, head.map(h => el("th", {class: numeric.has(h) ? "num" : ""}, h)))),
    el("tbody", {}, a.edges.map(i => el("tr", {},
      el("td", {class: "mono nowrap"}, i.edge), el("td", {class: "mono", title: i.carries}, shortType(i.carries) || "any"),
      el("td", {class: "mono nowrap"}, i.policy),
      [i.depth, i.capacity, i.credits, i.sent, i.handled, i.refused, i.dropped, i.coalesced, i.dead_lettered,
       i.approx_bytes].map(v => el("td", {class: "num"}, v === null ? "\u2013" : num(v))))))));
}

function renderCounters(s) {
  const c = [["live actors", s.live_actors], ["started", s.started_actors], ["waits now", s.waits],
    ["deadlocks", s.deadlocks, s.deadlocks > 0], ["crashes", s.crashes, s.crashes > 0],
    ["dead letters", s.dead_letters, s.dead_letters > 0]];
  document.getElementById("counters").replaceChildren(...c.map(([k, v, alert]) =>
    el("div", {class: alert ? "counter alert" : "counter"}, el("div", {class: "v"}, num(v)), el("div", {class: "k"}, k))));
}

function renderActors(s, h) {
  const depthOf = new Map(), series = new Map(), inCycle = new Set();
  if (h) for (const a of h.actors) series.set(a.id, a.queued);
  for (const c of s.cycles) for (const m of c.members) inCycle.add(m.id);
  const filter = document.getElementById("filter").value.trim().toLowerCase();
  const rows = [];
  let shown = 0;
  for (const a of s.actors) {
    const depth = a.parent === 0 ? 0 : (depthOf.get(a.parent) ?? -1) + 1;
    depthOf.set(a.id, depth);
    if (filter && !a.path.toLowerCase().includes(filter) && !a.state.includes(filter)) continue;
    if (++shown > MAX_ROWS) continue;
    const open = expanded.has(a.id);
    const toggle = () => { if (expanded.has(a.id)) expanded.delete(a.id); else expanded.add(a.id); render(); };
    rows.push(el("tr", {class: inCycle.has(a.id) ? "actor in-cycle" : "actor", onclick: toggle, title: a.path},
      el("td", {}, el("span", {class: "tree"}, "  ".repeat(depth) + (depth > 0 ? "\u2514 " : "")),
        el("span", {class: "twisty"}, open ? "\u25BC" : "\u25B6"), el("span", {class: "name"}, a.name),
        el("span", {class: "type", title: a.type}, shortType(a.type))),
      el("td", {}, statePill(a.state)),
      el("td", {class: "num"}, num(a.handled)),
      el("td", {class: "num queued"}, sparkline(series.get(a.id)), el("span", {class: "qn"}, num(a.queued))),
      el("td", {class: "num"}, a.restarts > 0 ? num(a.restarts) : "\u2013"),
      activity(a)));
    if (open) rows.push(el("tr", {class: "edges"}, el("td", {colspan: 6}, edgeTable(a))));
  }
  if (shown > MAX_ROWS) {
    rows.push(el("tr", {}, el("td", {colspan: 6, class: "empty"}, "\u2026 and " + num(shown - MAX_ROWS) +
      " more: narrow them down with the filter.")));
  }
  if (rows.length === 0) rows.push(el("tr", {}, el("td", {colspan: 6, class: "empty"}, "No actors.")));
  document.getElementById("actors").replaceChildren(...rows);
  document.getElementById("actor-count").textContent = num(s.actors.length);
}

function count(id, n, cls) {
  const e = document.getElementById(id);
  e.textContent = n;
  e.className = n > 0 ? "n " + cls : "n";
}

function renderCycles(s) {
  count("cycle-count", s.cycles.length, "bad");
  const box = document.getElementById("cycles");
  if (s.cycles.length === 0) return box.replaceChildren(el("div", {class: "empty"}, "\u2713 No wait-for cycle."));
  box.replaceChildren(...s.cycles.map(c => el("div", {class: "item"},
    el("div", {class: "title"}, el("span", {class: "tag bad"}, "deadlock"), c.members.length + " actors",
      el("span", {class: "tag"}, "remedy: " + c.remedy)),
    el("ol", {}, c.members.map(m => el("li", {},
      el("span", {class: "mono"}, m.path),
      m.kind === "credit"
        ? [" waits for credit on ", el("span", {class: "mono"}, m.on),
           m.depth !== null ? " (" + m.depth + " of " + m.capacity + " unconsumed)" : ""]
        : [" waits for a reply from ", el("span", {class: "mono"}, m.on)]))))));
}

function renderLints(s) {
  count("lint-count", s.lints.length, "warn");
  const box = document.getElementById("lints");
  if (s.lints.length === 0) return box.replaceChildren(el("div", {class: "empty"}, "\u2713 Nothing to report."));
  box.replaceChildren(...s.lints.map(l => el("div", {class: "item"},
    el("div", {class: "title"}, el("span", {class: "tag warn"}, l.kind.replace(/_/g, " ")),
      el("span", {class: "mono"}, l.path || "whole system"), el("span", {class: "type"}, "for " + ms(l.lasting_ms))),
    el("div", {class: "detail"}, l.detail))));
}

function renderLegend() {
  document.getElementById("legend").replaceChildren(...STATES.map(s =>
    el("span", {}, el("span", {class: "dot", style: "background:" + stateColor(s)}), s)));
}

function render() {
  if (!last) return;
  renderCounters(last);
  renderActors(last, lastHistory);
  renderCycles(last);
  renderLints(last);
  document.getElementById("meta").textContent = "uptime " + ms(last.uptime_ms) + " \u00B7 updated " +
    new Date().toLocaleTimeString();
}

function connection(ok, text) {
  const c = document.getElementById("conn");
  c.className = ok ? "conn live" : "conn down";
  c.textContent = text;
}

async function refresh() {
  try {
    const [s, h] = await Promise.all([
      fetch("snapshot.json", {cache: "no-store"}).then(r => { if (!r.ok) throw new Error(r.status); return r.json(); }),
      fetch("history.json", {cache: "no-store"}).then(r => r.ok ? r.json() : null).catch(() => null)]);
    last = s;
    lastHistory = h;
    connection(true, "live");
    render();
  } catch (e) {
    connection(false, "disconnected: showing the last data");
  } finally {
    setTimeout(refresh, 1000);
  }
}

document.getElementById("filter").addEventListener("input", render);
renderLegend();
refresh();
</script>
</body>
</html>
)weir-page";

}  // namespace weir::insight
