// coinnet explorer page: the block tree of the whole network (SVG), block / transaction /
// address views, mempool, miners and wallets. Data from /api/*, live updates over /ws.
// No framework and no build step: plain DOM, every text set through textContent or esc().
"use strict";

const SVG = "http://www.w3.org/2000/svg";
const COIN = 100000000;
const state = { tree: null, miners: [], selected: null };

function esc(s) {
  return String(s).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
}
function coins(units) {
  if (units === null || units === undefined) return "?";
  const sign = units < 0 ? "-" : "";
  const u = Math.abs(units);
  const whole = Math.floor(u / COIN);
  const frac = String(u % COIN).padStart(8, "0").replace(/0+$/, "");
  return sign + whole + (frac ? "." + frac : "");
}
function short(h) { return h ? h.slice(0, 6) + "…" + h.slice(-4) : ""; }
function hashLink(kind, h, text) {
  return '<a class="hash" href="#/' + kind + "/" + esc(h) + '">' + esc(text || h) + "</a>";
}
function ago(seconds) {
  const s = Math.max(0, Math.round(Date.now() / 1000 - seconds));
  if (s < 60) return s + " s ago";
  if (s < 3600) return Math.round(s / 60) + " min ago";
  return Math.round(s / 3600) + " h ago";
}
function rate(h) {
  if (!h) return "0 H/s";
  const units = ["H/s", "kH/s", "MH/s", "GH/s"];
  let i = 0;
  while (h >= 1000 && i < units.length - 1) { h /= 1000; i++; }
  return h.toFixed(1) + " " + units[i];
}
// One colour per watched miner (in name order), so who mined what reads at a glance; blocks
// of miners the explorer does not watch (an address) share a neutral one.
const PALETTE = ["#8fb4f2", "#f2b07f", "#8ed19f", "#e9a0c6", "#d8c56a", "#b2a3ee", "#79cfcf", "#ec9a9a"];
function colour(name) {
  if (name === "genesis") return "#c9c2f2";
  const names = Object.keys((state.tree && state.tree.tips) || {}).concat(state.miners.map((m) => m.name));
  const known = [...new Set(names)].sort();
  const i = known.indexOf(name);
  return i < 0 ? "#c8d0dc" : PALETTE[i % PALETTE.length];
}
async function getJSON(url) {
  const r = await fetch(url, { cache: "no-store" });
  const body = await r.json();
  if (!r.ok) throw new Error((body.error && body.error.code + ": " + body.error.message) || r.status);
  return body;
}
function el(tag, attrs, parent) {
  const e = document.createElementNS(SVG, tag);
  for (const k in attrs) e.setAttribute(k, attrs[k]);
  if (parent) parent.appendChild(e);
  return e;
}

// ---- the block tree -------------------------------------------------------------------

// Lanes: the best chain runs along lane 0; a branch keeps its parent's lane when it is the
// parent's first child drawn, else takes the first lane free since before its height.
function layout(blocks) {
  const byHash = new Map(blocks.map((b) => [b.hash, b]));
  const sorted = blocks.slice().sort((a, b) => a.height - b.height || (b.active - a.active) || (a.hash < b.hash ? -1 : 1));
  const lane = new Map(), laneEnd = [], childTaken = new Set();
  for (const b of sorted) {
    const p = byHash.get(b.parent);
    let l;
    if (b.active) l = 0;
    else if (p && lane.has(p.hash) && !childTaken.has(p.hash) && lane.get(p.hash) !== 0) l = lane.get(p.hash);
    else {
      l = 1;
      while (laneEnd[l] !== undefined && laneEnd[l] >= b.height - 1) l++;
    }
    if (p) childTaken.add(p.hash);
    lane.set(b.hash, l);
    laneEnd[l] = Math.max(laneEnd[l] === undefined ? -1 : laneEnd[l], b.height);
  }
  return lane;
}

function drawTree() {
  const t = state.tree;
  const svg = document.getElementById("tree");
  while (svg.firstChild) svg.removeChild(svg.firstChild);
  if (!t || !t.blocks.length) {
    document.getElementById("tree-summary").textContent = "no blocks yet";
    return;
  }
  const W = 92, H = 58, BW = 74, BH = 34, PAD = 34;
  const lane = layout(t.blocks);
  const minH = Math.min(...t.blocks.map((b) => b.height));
  const maxH = Math.max(...t.blocks.map((b) => b.height));
  const lanes = Math.max(...lane.values()) + 1;
  const tipsAt = new Map();
  for (const [miner, hash] of Object.entries(t.tips)) {
    if (!tipsAt.has(hash)) tipsAt.set(hash, []);
    tipsAt.get(hash).push(miner);
  }
  const maxTips = Math.max(1, ...[...tipsAt.values()].map((v) => v.length));
  const top = PAD + 12 * maxTips;
  const x = (b) => 10 + (b.height - minH) * W;
  const y = (b) => top + lane.get(b.hash) * H;
  svg.setAttribute("width", 20 + (maxH - minH + 1) * W);
  svg.setAttribute("height", top + lanes * H + 6);
  const byHash = new Map(t.blocks.map((b) => [b.hash, b]));
  const edges = el("g", {}, svg), nodes = el("g", {}, svg), marks = el("g", {}, svg);
  for (let h = minH; h <= maxH; h++)
    if ((h - minH) % 5 === 0 || h === maxH) {
      const txt = el("text", { class: "height", x: 10 + (h - minH) * W, y: 12 }, edges);
      txt.textContent = "#" + h;
    }
  for (const b of t.blocks) {
    const p = byHash.get(b.parent);
    if (p)
      el("path", { class: "edge" + (b.active ? "" : " stale"),
        d: "M" + (x(p) + BW) + "," + (y(p) + BH / 2) + " C" + (x(p) + BW + 10) + "," + (y(p) + BH / 2) + " " + (x(b) - 10) + "," + (y(b) + BH / 2) + " " + x(b) + "," + (y(b) + BH / 2) }, edges);
    const g = el("g", { class: "block" + (b.active ? " active" : " stale") + (b.hash === state.selected ? " selected" : ""), "data-hash": b.hash, transform: "translate(" + x(b) + "," + y(b) + ")" }, nodes);
    const title = el("title", {}, g);
    title.textContent = "block " + b.height + " " + b.hash + "\nmined by " + b.miner + " · " + b.txs + " tx" + (b.active ? "" : " · stale");
    el("rect", { width: BW, height: BH, fill: colour(b.miner) }, g);
    const l1 = el("text", { x: 5, y: 13 }, g);
    l1.textContent = b.hash.slice(0, 10);
    const l2 = el("text", { class: "miner", x: 5, y: 27 }, g);
    l2.textContent = (b.miner.length > 9 ? b.miner.slice(0, 8) + "…" : b.miner) + " · " + b.txs + " tx";
    g.addEventListener("click", () => { location.hash = "#/block/" + b.hash; });
    const miners = tipsAt.get(b.hash) || [];
    miners.forEach((m, i) => {
      const tg = el("g", { class: "tip", "data-miner": m, "data-tip-hash": b.hash, transform: "translate(" + x(b) + "," + (y(b) - 4 - 12 * i) + ")" }, marks);
      el("path", { d: "M0,0 L4,-7 L8,0 Z" }, tg);
      const tt = el("text", { x: 11, y: 0 }, tg);
      tt.textContent = m;
    });
  }
  const stale = t.blocks.filter((b) => !b.active).length;
  document.getElementById("tree-summary").textContent =
    t.blocks.length + " blocks, heights " + minH + "–" + maxH + ", " + stale + " stale" + (t.best ? " · best chain: " + t.best : " · no miner connected");
}

async function loadTree(scroll) {
  try {
    const [tree, miners] = await Promise.all([getJSON("/api/tree?limit=100"), getJSON("/api/miners")]);
    state.tree = tree;
    state.miners = miners.miners;
    const box = document.getElementById("tree-scroll");
    const atEnd = box.scrollLeft + box.clientWidth >= box.scrollWidth - 40;
    drawTree();
    if (scroll || atEnd) box.scrollLeft = box.scrollWidth;
  } catch (e) {
    document.getElementById("tree-summary").textContent = "tree unavailable: " + e.message;
  }
}

// ---- views -------------------------------------------------------------------------------

function minersTable(miners) {
  let h = '<table><tr><th>miner</th><th class="num">height</th><th>tip</th><th>peers</th><th class="num">hash rate</th><th class="num">mempool</th><th>state</th></tr>';
  for (const m of miners) {
    const peers = (m.peers || []).map((p) => esc(p.name)).join(", ");
    const st = !m.connected ? '<span class="badge stale">disconnected</span>' : m.mining ? '<span class="badge good">mining</span>' : '<span class="badge warn">' + esc(m.waiting || "waiting") + "</span>";
    h += '<tr data-miner-row="' + esc(m.name) + '"><td><span class="swatch" style="background:' + colour(m.name) + '"></span>' + esc(m.name) + '</td><td class="num">' + m.height + "</td><td>" + (m.tip ? hashLink("block", m.tip, short(m.tip)) : "") + "</td><td>" + (peers || '<span class="muted">none</span>') + '</td><td class="num">' + rate(m.hashrate) + '</td><td class="num">' + m.mempool + "</td><td>" + st + "</td></tr>";
  }
  return h + "</table>";
}
function mempoolTable(pool, max) {
  let h = '<table><tr><th>txid</th><th class="num">fee</th><th class="num">size</th><th class="num">sat/B</th><th class="num">amount</th><th>at</th></tr>';
  for (const t of pool.txs.slice(0, max)) {
    h += "<tr><td>" + hashLink("tx", t.txid, short(t.txid)) + '</td><td class="num">' + coins(t.fee) + '</td><td class="num">' + t.size + ' B</td><td class="num">' + (t.fee / Math.max(1, t.size)).toFixed(1) + '</td><td class="num">' + coins(t.amount) + "</td><td>" + esc(t.miners.join(", ")) + "</td></tr>";
  }
  if (!pool.txs.length) h += '<tr><td colspan="6" class="muted">empty</td></tr>';
  return h + "</table>";
}
function walletsTable(w) {
  let h = '<table><tr><th>wallet</th><th>address</th><th class="num">balance</th></tr>';
  for (const x of w.wallets)
    h += "<tr><td>" + hashLink("address", x.name, x.name) + '</td><td class="hash">' + hashLink("address", x.address, x.address) + '</td><td class="num">' + coins(x.balance) + "</td></tr>";
  if (!w.wallets.length) h += '<tr><td colspan="3" class="muted">no wallets registered</td></tr>';
  return h + "</table>";
}

async function viewHome(view) {
  const [miners, pool, wallets] = await Promise.all([getJSON("/api/miners"), getJSON("/api/mempool"), getJSON("/api/wallets")]);
  state.miners = miners.miners;
  view.innerHTML = '<div id="home-view"><h2>Miners</h2>' + minersTable(miners.miners) +
    '<div class="grid"><div><h3>Mempool (' + pool.total + ", highest fee rate first)</h3>" + mempoolTable(pool, 12) +
    "</div><div><h3>Wallets</h3>" + walletsTable(wallets) + "</div></div></div>";
}
async function viewMiners(view) {
  const miners = await getJSON("/api/miners");
  state.miners = miners.miners;
  view.innerHTML = "<h2>Miners</h2>" + minersTable(miners.miners) + '<p class="muted">The best chain is the tip with the most cumulative work: ' + esc(miners.best || "none yet") + ".</p>";
}
async function viewMempool(view) {
  const pool = await getJSON("/api/mempool");
  view.innerHTML = "<h2>Mempool: " + pool.total + " transactions, highest fee rate first</h2>" + mempoolTable(pool, 1000);
}
async function viewWallets(view) {
  view.innerHTML = "<h2>Wallets</h2>" + walletsTable(await getJSON("/api/wallets"));
}

function zeroBits(hex, bits) {
  // The hash in binary, its leading zero bits highlighted, the first 64 bits shown.
  let bin = "";
  for (const c of hex.slice(0, 16)) bin += parseInt(c, 16).toString(2).padStart(4, "0");
  return '<span class="bits"><span class="z">' + bin.slice(0, Math.min(bits, 64)) + "</span>" + bin.slice(Math.min(bits, 64)) + "…</span>";
}
function journey(seen) {
  const entries = Object.entries(seen || {}).sort((a, b) => a[1] - b[1]);
  if (!entries.length) return '<p class="muted">No arrival times known for this block.</p>';
  const first = entries[0][1], span = Math.max(1, entries[entries.length - 1][1] - first);
  let h = '<div class="journey">';
  entries.forEach(([m, ms], i) => {
    const pct = (100 * (ms - first)) / span;
    h += '<div class="row" data-seen="' + esc(m) + '"><span>' + esc(m) + '</span><div class="bar"><span class="dot' + (i === 0 ? " first" : "") + '" style="left:' + pct + '%"></span></div><span class="muted">' + (i === 0 ? new Date(ms).toLocaleTimeString() : "+" + (ms - first) + " ms") + "</span></div>";
  });
  return h + "</div>";
}
function txRows(t) {
  const ins = t.coinbase ? '<span class="muted">coinbase (new coins' + (t.coinbase_height !== undefined ? ", height " + t.coinbase_height : "") + ")</span>" :
    t.inputs.map((i) => hashLink("tx", i.txid, short(i.txid)) + ":" + i.index + " " + hashLink("address", i.address, i.owner || short(i.address))).join("<br>");
  const outs = t.outputs.map((o) => coins(o.amount) + " → " + hashLink("address", o.address, o.owner || short(o.address)) + (o.change ? ' <span class="badge">change</span>' : "")).join("<br>");
  return { ins, outs };
}
async function viewBlock(view, hash) {
  state.selected = hash;
  drawTree();
  const b = await getJSON("/api/block/" + encodeURIComponent(hash));
  const node = b.block || {};
  const active = node.active !== undefined ? node.active : b.active_on_answering_miner;
  let txs = '<table><tr><th>txid</th><th>inputs</th><th>outputs</th><th class="num">fee</th></tr>';
  for (const t of b.txs) {
    const r = txRows(t);
    txs += "<tr><td>" + hashLink("tx", t.txid, short(t.txid)) + (t.coinbase ? ' <span class="badge">coinbase</span>' : "") + "</td><td>" + r.ins + "</td><td>" + r.outs + '</td><td class="num">' + (t.coinbase ? "" : coins(t.fee)) + "</td></tr>";
  }
  txs += "</table>";
  const hd = b.header;
  view.innerHTML = '<div id="block-view" data-hash="' + esc(b.hash) + '"><h2>Block ' + b.height + " " + (active ? '<span class="badge good">best chain</span>' : '<span class="badge stale">stale branch</span>') + '</h2><dl class="kv">' +
    '<dt>hash</dt><dd class="hash">' + esc(b.hash) + "</dd>" +
    "<dt>mined by</dt><dd>" + esc(b.miner) + "</dd>" +
    "<dt>previous block</dt><dd>" + hashLink("block", hd.prev_hash) + "</dd>" +
    '<dt>merkle root</dt><dd class="hash">' + esc(hd.merkle_root) + "</dd>" +
    "<dt>time</dt><dd>" + new Date(hd.time * 1000).toLocaleString() + " (" + ago(hd.time) + ")</dd>" +
    "<dt>version · bits · nonce</dt><dd>" + hd.version + " · 0x" + esc(hd.bits) + " · " + hd.nonce + "</dd>" +
    "<dt>hash vs target</dt><dd>the hash starts with <b>" + b.hash_zero_bits + "</b> zero bits; the target asks for at least " + b.target_zero_bits + "<br>" + zeroBits(b.hash, b.hash_zero_bits) + '<br><span class="hash muted">target ' + esc(b.target) + "</span></dd>" +
    "<dt>reward · fees</dt><dd>" + coins(b.reward) + " · " + coins(b.fees) + "</dd>" +
    "<dt>confirmations</dt><dd>" + b.confirmations + "</dd>" +
    "</dl><h3>Journey: when each miner received it</h3>" + journey(node.seen) +
    "<h3>" + b.txs.length + " transactions</h3>" + txs + "</div>";
}
async function viewTx(view, txid) {
  const t = await getJSON("/api/tx/" + encodeURIComponent(txid));
  const r = txRows(t);
  const where = t.in_mempool ? '<span class="badge warn">in the mempool</span>' : '<span class="badge good">' + t.confirmations + " confirmations</span>";
  view.innerHTML = '<div id="tx-view" data-txid="' + esc(t.txid) + '"><h2>Transaction ' + where + '</h2><dl class="kv"><dt>txid</dt><dd class="hash">' + esc(t.txid) + "</dd>" +
    (t.block ? "<dt>block</dt><dd>" + hashLink("block", t.block) + " (height " + t.height + ")</dd>" : "") +
    "<dt>amount out</dt><dd>" + coins(t.amount) + "</dd><dt>fee</dt><dd>" + (t.coinbase ? "none (coinbase)" : coins(t.fee)) + "</dd></dl>" +
    '<div class="grid"><div><h3>Inputs</h3>' + r.ins + "</div><div><h3>Outputs</h3>" + r.outs + "</div></div></div>";
}
async function viewAddress(view, id) {
  const a = await getJSON("/api/address/" + encodeURIComponent(id));
  let h = '<table><tr><th>txid</th><th class="num">received</th><th class="num">sent</th><th class="num">height</th></tr>';
  for (const e of a.history)
    h += "<tr><td>" + hashLink("tx", e.txid, short(e.txid)) + (e.coinbase ? ' <span class="badge">coinbase</span>' : "") + '</td><td class="num">' + coins(e.received) + '</td><td class="num">' + coins(e.sent) + '</td><td class="num">' + (e.height || '<span class="muted">mempool</span>') + "</td></tr>";
  view.innerHTML = '<div id="address-view"><h2>' + esc(a.name ? "Wallet " + a.name : "Address") + '</h2><dl class="kv"><dt>address</dt><dd class="hash">' + esc(a.address) + "</dd><dt>balance</dt><dd>" + coins(a.balance) + " (" + coins(a.confirmed) + " confirmed, " + coins(a.pending) + " pending)</dd></dl><h3>History (newest first)</h3>" + h + "</table></div>";
}

// ---- routing and live updates -----------------------------------------------------------

async function route() {
  const view = document.getElementById("view");
  const parts = location.hash.replace(/^#\/?/, "").split("/");
  if (parts[0] !== "block" && state.selected) { state.selected = null; drawTree(); }
  try {
    if (parts[0] === "block" && parts[1]) await viewBlock(view, parts[1]);
    else if (parts[0] === "tx" && parts[1]) await viewTx(view, parts[1]);
    else if (parts[0] === "address" && parts[1]) await viewAddress(view, decodeURIComponent(parts[1]));
    else if (parts[0] === "mempool") await viewMempool(view);
    else if (parts[0] === "miners") await viewMiners(view);
    else if (parts[0] === "wallets") await viewWallets(view);
    else await viewHome(view);
  } catch (e) {
    view.innerHTML = '<p class="error">' + esc(e.message) + "</p>";
  }
}

let treeTimer = null, viewTimer = null;
function soon(kind) {
  // Bursts (a backlog, a reorganisation) become one refresh.
  if (kind === "tree" && !treeTimer) treeTimer = setTimeout(() => { treeTimer = null; loadTree(false); }, 300);
  const parts = location.hash.replace(/^#\/?/, "").split("/");
  const live = ["", "mempool", "miners", "wallets"].includes(parts[0]);
  if (live && !viewTimer) viewTimer = setTimeout(() => { viewTimer = null; route(); }, 1000);
}
function connect() {
  const live = document.getElementById("live");
  const ws = new WebSocket((location.protocol === "https:" ? "wss://" : "ws://") + location.host + "/ws");
  ws.onopen = () => { live.textContent = "live"; live.className = "live on"; };
  ws.onclose = () => { live.textContent = "offline"; live.className = "live off"; setTimeout(connect, 2000); };
  ws.onmessage = (m) => {
    let e;
    try { e = JSON.parse(m.data); } catch (_) { return; }
    if (e.type === "block" || e.type === "tip") soon("tree");
    else soon("view");
  };
}

document.getElementById("search").addEventListener("submit", (ev) => {
  ev.preventDefault();
  const q = document.getElementById("search-box").value.trim();
  if (!q) return;
  if (/^[0-9a-fA-F]{64}$/.test(q)) {
    getJSON("/api/block/" + q).then(() => { location.hash = "#/block/" + q; }, () => { location.hash = "#/tx/" + q; });
  } else location.hash = "#/address/" + encodeURIComponent(q);
});
window.addEventListener("hashchange", route);
loadTree(true).then(route);
connect();
