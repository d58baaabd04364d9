/*
 * regbook search: exact-substring search over a sharded n-gram index.
 *
 * Speaks the message protocol of Material for MkDocs' search worker (SETUP 0 → READY 1,
 * QUERY 2 → RESULT 3), so the theme's search box, keyboard handling, result list and
 * highlighting stay as they are; only the answers come from here. The index is written by
 * scripts/regbook/search/index.py (format described there) into search/regbook/ and loaded
 * lazily: index.json at setup (a few hundred bytes), then only the gram shards a query needs
 * and the metadata shards of its results. Everything loaded is kept for later queries.
 *
 * Two ways to run (dev-docs/search.md):
 * - on the website, as the theme's Web Worker: shards are fetched (`g12.bin`, gzip);
 * - in the offline copy (file://), where browsers allow neither workers nor fetch: the page
 *   loads this file as a classic script (assets/javascripts/regbook-search-local.js, main
 *   thread), and the shards are scripts beside the .bin files (`g12.js`, the same gzip bytes in
 *   base64, written by scripts/regbook/search/scripts.py) loaded with <script src> on demand;
 *   result addresses get their `index.html` (a folder address opens a listing on file://).
 *
 * Semantics (dev-docs/search.md): a page is a result iff its normalised text contains every
 * whitespace-separated term of the normalised query. Normalisation: whitespace runs → one
 * space, ASCII A–Z → a–z, nothing else folded.
 */
(function (scope) {
"use strict";

const SETUP = 0, READY = 1, QUERY = 2, RESULT = 3;
const STATUS_RANK = { "现行有效": 0, "尚未生效": 1, "": 1, "已修改": 2, "已废止": 3, "已失效": 3 };
const STATUS_CLASS = {
  "现行有效": "current", "尚未生效": "pending", "已修改": "amended", "已废止": "repealed", "已失效": "expired"
};
const IN_WORKER = typeof WorkerGlobalScope !== "undefined" && scope instanceof WorkerGlobalScope;
const SCRIPT_URL = IN_WORKER ? scope.location.href : document.currentScript.src;
const INDEX_DIR = new URL("../../../search/regbook/", SCRIPT_URL);
const FILES = "regbookSearchFiles";  // the global the offline shard scripts assign to

let head = null;          // Promise of index.json
let spaceRe = /\s+/g;     // replaced by the index's own whitespace set at setup
const gramShards = new Map();   // shard number → Promise<Map<gram, posting>>
const metaShards = new Map();   // shard number → Promise<Array<[url, title, number, status]>>
let latest = 0;                 // sequence number of the newest query: older answers are dropped

function normalise(text) {
  return text.replace(spaceRe, " ").replace(/[A-Z]+/g, s => s.toLowerCase()).trim();
}

function splitTerms(query) {
  const terms = [];
  for (const t of normalise(query).split(" "))
    if (t && !terms.includes(t)) terms.push(t);
  return terms;
}

function gramHash(cps) {
  let h = 0x811c9dc5;
  for (const c of cps) h = Math.imul(h ^ c, 0x01000193) >>> 0;
  return h;
}

async function gunzip(stream) {
  return new Uint8Array(await new Response(stream.pipeThrough(new DecompressionStream("gzip"))).arrayBuffer());
}

/* Offline copy: run `<name>.js` (it assigns its content to scope[FILES][name]) and take what it left. */
function loadScript(name) {
  return new Promise((resolve, reject) => {
    const el = document.createElement("script");
    el.src = new URL(`${name}.js`, INDEX_DIR).href;
    el.onload = () => {
      el.remove();
      const files = scope[FILES] || {};
      const value = files[name];
      delete files[name];
      if (value === undefined) reject(new Error(`${name}.js: empty`)); else resolve(value);
    };
    el.onerror = () => { el.remove(); reject(new Error(`${name}.js: not found`)); };
    document.head.append(el);
  });
}

/* The bytes of a gzip'd shard (`g12`, `m0`), unpacked. */
async function loadBytes(name) {
  if (!IN_WORKER) {
    const packed = Uint8Array.from(atob(await loadScript(name)), c => c.charCodeAt(0));
    return gunzip(new Blob([packed]).stream());
  }
  const response = await fetch(new URL(`${name}.bin`, INDEX_DIR));
  if (!response.ok) throw new Error(`${name}.bin: HTTP ${response.status}`);
  return gunzip(response.body);
}

async function loadHead() {
  if (!IN_WORKER) return loadScript("index");
  const response = await fetch(new URL("index.json", INDEX_DIR));
  if (!response.ok) throw new Error(`index.json: HTTP ${response.status}`);
  return response.json();
}

/* index.json, once; sets the whitespace set of the normalisation. */
function start() {
  if (!head) {
    head = loadHead();
    head.then(({ whitespace }) => { spaceRe = new RegExp(`[${whitespace}]+`, "g"); }, () => {});
  }
  return head;
}

/* A page's address as the theme opens it: on file:// a folder address names its index.html. */
function pageAddress(url) {
  return IN_WORKER || !(url === "" || url.endsWith("/")) ? url : `${url}index.html`;
}

/* Parse one gram shard: gram → { docs, starts, positions } (starts/positions only for trigrams). */
function parseShard(bytes) {
  let i = 0;
  const next = () => {
    let v = 0, shift = 0, b;
    do { b = bytes[i++]; v += (b & 0x7f) * 2 ** shift; shift += 7; } while (b & 0x80);
    return v;
  };
  const map = new Map();
  while (i < bytes.length) {
    const k = next();
    const cps = [];
    for (let j = 0; j < k; j++) cps.push(next());
    const n = next();
    const docs = new Int32Array(n);
    let doc = 0;
    if (k < 3) {
      for (let j = 0; j < n; j++) { doc += next(); docs[j] = doc; }
      map.set(String.fromCodePoint(...cps), { docs });
    } else {
      const starts = new Int32Array(n + 1);
      const positions = [];
      for (let j = 0; j < n; j++) {
        doc += next(); docs[j] = doc;
        const npos = next();
        starts[j] = positions.length;
        let pos = 0;
        for (let p = 0; p < npos; p++) { pos += next(); positions.push(pos); }
      }
      starts[n] = positions.length;
      map.set(String.fromCodePoint(...cps), { docs, starts, positions: Int32Array.from(positions) });
    }
  }
  return map;
}

async function posting(gram) {
  const { gramShards: count } = await head;
  const shard = gramHash(Array.from(gram, c => c.codePointAt(0))) % count;
  if (!gramShards.has(shard))
    gramShards.set(shard, loadBytes(`g${shard}`).then(parseShard));
  return (await gramShards.get(shard)).get(gram) || null;
}

function indexOf(sorted, value) {
  let lo = 0, hi = sorted.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] === value) return mid;
    if (sorted[mid] < value) lo = mid + 1; else hi = mid - 1;
  }
  return -1;
}

function contains(sorted, from, to, value) {
  let lo = from, hi = to - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] === value) return true;
    if (sorted[mid] < value) lo = mid + 1; else hi = mid - 1;
  }
  return false;
}

/* The sorted ids of the documents that contain one term. */
async function termDocs(term) {
  const chars = Array.from(term);
  if (chars.length <= 2) {
    const p = await posting(term);
    return p ? Array.from(p.docs) : [];
  }
  const offsets = [];
  for (let o = 0; o + 3 <= chars.length; o += 3) offsets.push(o);
  if (offsets[offsets.length - 1] !== chars.length - 3) offsets.push(chars.length - 3);
  const grams = await Promise.all(offsets.map(o => posting(chars.slice(o, o + 3).join(""))));
  if (grams.some(g => !g)) return [];
  const rarest = grams.reduce((a, b) => (b.docs.length < a.docs.length ? b : a));
  const found = [];
  for (const doc of rarest.docs) {
    const slots = grams.map(g => indexOf(g.docs, doc));
    if (slots.some(s => s < 0)) continue;
    // Anchor on the gram with the fewest occurrences in this document, check the others line up.
    let anchor = 0;
    for (let j = 1; j < grams.length; j++) {
      const a = grams[anchor], b = grams[j];
      if (b.starts[slots[j] + 1] - b.starts[slots[j]] < a.starts[slots[anchor] + 1] - a.starts[slots[anchor]]) anchor = j;
    }
    const a = grams[anchor];
    let hit = false;
    for (let p = a.starts[slots[anchor]]; p < a.starts[slots[anchor] + 1] && !hit; p++) {
      const begin = a.positions[p] - offsets[anchor];
      hit = grams.every((g, j) => j === anchor ||
        contains(g.positions, g.starts[slots[j]], g.starts[slots[j] + 1], begin + offsets[j]));
    }
    if (hit) found.push(doc);
  }
  return found;
}

function intersect(a, b) {
  const out = [];
  let i = 0, j = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) { out.push(a[i]); i++; j++; }
    else if (a[i] < b[j]) i++; else j++;
  }
  return out;
}

function metaShard(shard) {
  if (!metaShards.has(shard))
    metaShards.set(shard, loadBytes(`m${shard}`).then(b => JSON.parse(new TextDecoder().decode(b))));
  return metaShards.get(shard);
}

async function meta(doc) {
  const { metaShardDocs } = await head;
  return (await metaShard(Math.floor(doc / metaShardDocs)))[doc % metaShardDocs];
}

/* Fetch every metadata shard (a few, ~13 KB each) alongside the first query's grams: the result
   list needs the metadata of every hit, and waiting for the hits first would add a round trip. */
async function prefetchMeta() {
  const { metaShards: count } = await head;
  for (let k = 0; k < count; k++) metaShard(k).catch(() => metaShards.delete(k));
}

function escapeHTML(s) {
  return String(s ?? "").replace(/[&<>"']/g, c => `&#${c.charCodeAt(0)};`);
}

/* Metadata is text: the theme puts these strings into innerHTML, so the matches are marked on the
   text and every piece is escaped (marking escaped HTML would cut through its entities). */
function highlight(text, mark) {
  text = String(text ?? "");
  let out = "", last = 0;
  for (const m of text.matchAll(mark)) {
    if (!m[0]) continue;
    out += `${escapeHTML(text.slice(last, m.index))}<mark>${escapeHTML(m[0])}</mark>`;
    last = m.index + m[0].length;
  }
  return out + escapeHTML(text.slice(last));
}

function escapeRegExp(s) {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

async function search(query) {
  const terms = splitTerms(query);
  if (!terms.length) return [];
  const pending = Promise.all(terms.map(termDocs));  // gram shards first: they gate the answer
  prefetchMeta();
  const lists = await pending;
  lists.sort((a, b) => a.length - b.length);
  const docs = lists.reduce(intersect);
  const rows = await Promise.all(docs.map(meta));
  const mark = new RegExp(terms.map(escapeRegExp).join("|"), "gi");
  const ranked = docs.map((doc, i) => {
    const [url, title, number, status] = rows[i].map(v => String(v ?? ""));
    const header = normalise(`${title} ${number}`);
    return {
      doc, url, title, number, status,
      inHeader: terms.filter(t => header.includes(t)).length,
      rank: Object.hasOwn(STATUS_RANK, status) ? STATUS_RANK[status] : 1
    };
  });
  ranked.sort((a, b) => (b.inHeader - a.inHeader) || (a.rank - b.rank) || (a.doc - b.doc));
  const matched = Object.fromEntries(terms.map(t => [t, true]));
  return ranked.map((r, i) => {
    const parts = [];
    if (r.status)
      parts.push(`<span class="regbook-status regbook-status--${(Object.hasOwn(STATUS_CLASS, r.status) ? STATUS_CLASS[r.status] : "current")}">${escapeHTML(r.status)}</span>`);
    if (r.number)
      parts.push(`<span class="regbook-search-number">${highlight(r.number, mark)}</span>`);
    return [{
      location: pageAddress(r.url),
      title: highlight(r.title, mark),
      text: parts.length ? `<p class="regbook-search-meta">${parts.join(" ")}</p>` : "",
      score: ranked.length - i,
      terms: matched
    }];
  });
}

/* One message of the theme's protocol; `reply` posts the answer back. */
async function handle(message, reply) {
  if (message.type === SETUP) {
    try {
      await start();
    } finally {
      reply({ type: READY });  // without an index every query answers nothing (logged below)
    }
  } else if (message.type === QUERY) {
    const seq = ++latest;
    let items = [];
    try {
      await start();
      items = await search(message.data);
    } catch (err) {
      console.warn("regbook search:", err);
    }
    // regbookQuery is ours (the theme ignores it): lets tests and benchmarks pair answers with queries.
    if (seq === latest) reply({ type: RESULT, data: { items, regbookQuery: message.data } });
  }
}

if (IN_WORKER)
  scope.addEventListener("message", ev => handle(ev.data, data => scope.postMessage(data)).catch(() => {}));
else
  scope.regbookSearch = { handle, start };
})(self);
