// The search page: Pagefind's JS API over the shards that /pagefind/shards.json lists, merged into one result list.
// Shards are contiguous spans of time, newest first, so "newest first" reads them in that order; relevance merges all.
const form = document.querySelector("form[data-base]");
const base = form.dataset.base;
const input = form.elements.q;
const status = document.getElementById("search-status");
const list = document.getElementById("search-results");
const more = document.getElementById("search-more");
const PAGE = 10;
let shardKeys = [];
let current = null; // the search on screen: {results, next, take}
let generation = 0;

async function load() {
  const response = await fetch(`${base}pagefind/shards.json`, { cache: "no-cache" });
  if (!response.ok) throw new Error(`no search index (${response.status})`);
  const shards = (await response.json()).shards;
  if (!shards.length) throw new Error("an empty search index");
  const bundle = (key) => `${base}pagefind/${key}/`;
  const api = await import(`${bundle(shards[0].key)}pagefind.js`);
  await api.options({ baseUrl: base, metaCacheTag: shards[0].tag, mergeFilter: { shard: shards[0].key } });
  await Promise.all(shards.slice(1).map((s) => api.mergeIndex(bundle(s.key), { metaCacheTag: s.tag, mergeFilter: { shard: s.key } })));
  shardKeys = shards.map((s) => s.key);
  const years = new Set(shardKeys.map((key) => key.split("-")[0]).filter((year) => /^\d+$/.test(year)));
  for (const year of years) form.elements.year.add(new Option(year, year)); // newest first, as the manifest lists them
  return api;
}

function readState(names) {
  const params = new URLSearchParams(location.search);
  for (const name of names) {
    const field = form.elements[name];
    const value = params.get(name) || "";
    if (field.tagName === "SELECT" && value && ![...field.options].some((o) => o.value === value)) field.add(new Option(value, value));
    field.value = value;
  }
}

function writeState() {
  const params = new URLSearchParams();
  for (const name of ["q", "topic", "year", "sort"]) {
    const value = form.elements[name].value.trim();
    if (value) params.set(name, value);
  }
  const query = params.toString();
  history.replaceState(null, "", query ? `?${query}` : location.pathname);
}

// Pagefind looks a term up in each shard alone, and a shard without the term falls back to the longest prefix of it
// that the shard has ("installation" finds "in" there): deliberate upstream, and harmless over one index, which has the
// term or not. Over shards, a shard that fell back is told apart by the words it matched: one result of each shard
// shows them (at its locations, and in the metadata it matched, such as the topic), and a shard whose words share with
// the term a prefix shorter than the best shard's and no longer than half the term is left out (more than half, since
// a stem, "instal" of "installation", can be shorter than the term). Each term of the query is judged alone and
// without the form's filters, as one index would judge it, and the answer is kept for the page's life.
const judged = new Map(); // a term -> the shards whose matches of it stand

function termShards(pagefind, term) {
  if (!judged.has(term)) judged.set(term, judge(pagefind, term));
  return judged.get(term);
}

async function judge(pagefind, term) {
  const found = await pagefind.search(term);
  const counts = (found.filters && found.filters.shard) || {};
  const hit = shardKeys.filter((key) => counts[key] > 0);
  const wanted = normalised(term);
  const reach = await Promise.all(hit.map(async (shard) => {
    const [sample] = (await pagefind.search(term, { filters: { shard } })).results;
    if (!sample) return 0;
    const data = await sample.data();
    const words = data.content.split(/[\r\n\s]+/g);
    const inMeta = (sample.matchedMetaFields || []).flatMap((field) => String(data.meta[field] || "").split(/\s+/));
    const matched = [...sample.words.map((at) => words[at] || ""), ...inMeta].flatMap(wordForms);
    return Math.max(0, ...matched.map((word) => sharedPrefix(wanted, word)));
  }));
  const best = Math.max(0, ...reach);
  return new Set(hit.filter((_, k) => reach[k] >= best || reach[k] > wanted.length / 2));
}

// The shards where every term of the query stands, newest first.
async function keptShards(pagefind, query) {
  const terms = query.split(/\s+/).filter((term) => normalised(term));
  const shards = await Promise.all(terms.map((term) => termShards(pagefind, term)));
  return shardKeys.filter((key) => shards.every((set) => set.has(key)));
}

// Lower case without diacritics or punctuation, as Pagefind compares words.
function normalised(word) {
  return word.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase().replace(/[^\p{L}\p{N}]/gu, "");
}

// A word of the page as Pagefind indexes it: whole, and a hyphenated word also in its parts ("long-term", "term").
function wordForms(word) {
  const parts = word.split(/[^\p{L}\p{N}\p{M}]+/u).map(normalised).filter(Boolean);
  return [parts.join(""), ...parts];
}

// How many letters of the term a word has, as a stemmer would count them: "y" and "i" alike ("city" has "citi" of
// "cities") and a doubled letter once ("plan" has "plann" of "planning").
function sharedPrefix(term, word) {
  const same = (x, y) => x === y || (x === "i" && y === "y") || (x === "y" && y === "i");
  let n = 0;
  while (n < term.length && n < word.length && same(term[n], word[n])) n++;
  return n && n < term.length && term[n] === term[n - 1] ? n + 1 : n;
}

// The filters, and only the shards whose results stand; null when none does.
async function scoped(pagefind, term, filters) {
  const shards = await keptShards(pagefind, term);
  return shards.length ? { ...filters, shard: { any: shards } } : null;
}

const NOTHING = { total: 0, take: async () => [] };

// Newest first: one search gives the number of matches in each shard; the shards are then read newest first, as needed.
async function newestFirst(pagefind, term, filters) {
  const sort = { date: "desc" };
  const within = await scoped(pagefind, term, filters);
  if (!within) return NOTHING;
  const found = await pagefind.search(term, { filters: within, sort });
  const counts = (found.filters && found.filters.shard) || {};
  const queue = within.shard.any.filter((key) => counts[key] > 0);
  const results = [];
  const take = async (n) => {
    while (results.length < n && queue.length) {
      const one = await pagefind.search(term, { filters: { ...filters, shard: queue.shift() }, sort });
      results.push(...one.results);
    }
    return results.slice(0, n);
  };
  return { total: found.results.length, take };
}

async function mostRelevant(pagefind, term, filters) {
  const within = await scoped(pagefind, term, filters);
  if (!within) return NOTHING;
  const found = await pagefind.search(term, { filters: within });
  return { total: found.results.length, take: async (n) => found.results.slice(0, n) };
}

async function search() {
  const mine = ++generation;
  const term = input.value.trim();
  const pagefind = await ready;
  if (mine !== generation) return; // a newer search has started
  if (!pagefind) {
    document.getElementById("search-asked").textContent = term;
    return;
  }
  writeState();
  list.replaceChildren();
  more.hidden = true;
  if (!term) {
    status.textContent = "";
    return;
  }
  status.textContent = "Searching…";
  const filters = {};
  if (form.elements.topic.value) filters.topic = form.elements.topic.value;
  if (form.elements.year.value) filters.year = form.elements.year.value;
  const run = form.elements.sort.value === "newest" ? newestFirst : mostRelevant;
  const found = await run(pagefind, term, filters);
  if (mine !== generation) return; // a newer search has started
  current = { ...found, shown: 0 };
  const scope = [filters.topic, filters.year].filter(Boolean).join(", ");
  const where = scope ? ` in ${scope}` : "";
  const order = run === newestFirst && found.total > 1 ? ", newest first" : "";
  await showMore(mine);
  if (mine !== generation) return;
  status.textContent = found.total
    ? `${found.total} ${found.total === 1 ? "briefing matches" : "briefings match"} “${term}”${where}${order}.`
    : `No briefing matches “${term}”${where}.`;
}

async function showMore(mine, focus = false) {
  const page = (await current.take(current.shown + PAGE)).slice(current.shown);
  // Pagefind keeps one copy of a page's data and sets its locations on every data() call: the result's own are used.
  const data = await Promise.all(page.map(async (result) => ({ ...(await result.data()), locations: result.words })));
  if (mine !== generation) return;
  const items = data.map(render);
  list.append(...items);
  current.shown += items.length;
  more.hidden = current.shown >= current.total;
  if (focus && items.length) items[0].querySelector("a").focus();
}

// The title and an excerpt of the body: the body's words only, since the title is shown above it (Pagefind's content
// starts with the title, and its own excerpt would often repeat it). Built as DOM nodes, never as HTML.
function render(data) {
  const words = data.content.split(/[\r\n\s]+/g);
  const title = data.meta.title || data.url;
  const titleWords = data.content.startsWith(title) ? title.split(/[\r\n\s]+/g).length : 0;
  const hits = new Set(data.locations);
  const item = document.createElement("li");
  item.className = "search-result";
  const heading = document.createElement("h2");
  const link = document.createElement("a");
  link.href = data.url;
  link.append(...marked(title.split(/[\r\n\s]+/g), titleWords ? 0 : -1, hits)); // Pagefind's copy may end in an added "."
  heading.append(link);
  const meta = document.createElement("p");
  meta.className = "search-result-meta";
  if (data.meta.date) {
    const time = document.createElement("time");
    time.dateTime = data.meta.date;
    time.textContent = data.meta.day || data.meta.date.slice(0, 10);
    meta.append(time);
  }
  if (data.meta.topic) meta.append(data.meta.date ? " · " : "", data.meta.topic);
  const excerpt = document.createElement("p");
  excerpt.className = "search-result-excerpt";
  const start = excerptStart(data.locations.filter((at) => at >= titleWords), titleWords, words.length);
  const end = Math.min(words.length, start + 30);
  excerpt.append(start > titleWords ? "… " : "", ...marked(words.slice(start, end), start, hits), end < words.length ? " …" : "");
  item.append(heading, meta, excerpt);
  return item;
}

function excerptStart(hits, first, length) {
  if (!hits.length) return first;
  const start = Math.max(first, hits[0] - 10); // the first hit in the body, with some words before it
  return Math.max(first, Math.min(start, length - 30));
}

function marked(words, offset, hits) {
  const nodes = [];
  let text = "";
  words.forEach((word, i) => {
    const gap = i ? " " : "";
    if (offset >= 0 && hits.has(offset + i)) {
      nodes.push(text + gap);
      text = "";
      const [, core, after] = word.match(/^(.*?)([.,;:!?…”’"')\]]*)$/);
      const mark = document.createElement("mark");
      mark.textContent = core || word;
      nodes.push(mark);
      text = core ? after : "";
    } else {
      text += gap + word;
    }
  });
  nodes.push(text);
  return nodes;
}

let timer = 0;
input.addEventListener("input", () => {
  clearTimeout(timer);
  timer = setTimeout(search, 250);
});
form.addEventListener("submit", (event) => {
  event.preventDefault();
  clearTimeout(timer);
  search();
});
for (const name of ["topic", "year", "sort"]) form.elements[name].addEventListener("change", search);
more.addEventListener("click", () => showMore(generation, true));

// Until the index has loaded, a search waits for it; without one, the page says what was asked and where to browse.
async function start() {
  try {
    const pagefind = await load(); // the topics are in the page; the years come from the manifest
    readState(["topic", "year", "sort"]);
    form.querySelector(".search-options").hidden = false;
    return pagefind;
  } catch (error) {
    console.warn("Search is unavailable:", error);
    document.getElementById("search-unavailable").hidden = false;
    return null;
  }
}

readState(["q"]);
const ready = start();
if (!input.value) input.focus();
search();
