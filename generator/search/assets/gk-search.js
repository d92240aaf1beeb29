/* gongkai search: Chinese bigram search over a sharded Pagefind index.
 *
 * Attaches to every element with [data-gk-search] (the home page and
 * search/). The header form from partials/gk-search.html sends its query to
 * search/?q=… and needs no script.
 *
 * The tokenizer below must match generator/search/tokens.py exactly; see the
 * docstring there. tests/test_search_tokens.py compares the two in Chromium.
 * Everything is loaded from this site: <root>/pagefind/gk-search.json (the
 * shard manifest), <root>/pagefind/pagefind.js and the shards it merges.
 *
 * A search is progressive: it searches the shards in manifest order, a step
 * at a time, until it has a screen of results (PAGE_SIZE) or has searched
 * them all, and says how much it searched (已搜索 1/11 个部分). The rest is
 * searched on request: 「显示更多结果」 searches on when the results found
 * run out, 「在其余 N 个部分中继续搜索」 searches every shard left and gives
 * the exact count. The root element reports data-gk-state (idle, busy, done,
 * error), data-gk-count (found so far), data-gk-searched, data-gk-shards and
 * data-gk-complete for tests and tools.
 */
(function () {
  "use strict";

  /* ---------- tokenizer (same steps as tokens.py) ---------- */

  var ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz";
  var SHORT_LEADS = 34;
  var SHORT_LIMIT = SHORT_LEADS * 36 * 36;
  var LONG_SPAN = 36 * 36 * 36 * 36;
  var LETTER_OR_NUMBER = /^[\p{L}\p{N}]$/u;

  function gkNormalize(text) {
    return String(text).normalize("NFKC").toLowerCase();
  }

  function isWordChar(ch) {
    var cp = ch.codePointAt(0);
    if (cp >= 0x20000 && cp <= 0x3ffff) return true;
    return LETTER_OR_NUMBER.test(ch);
  }

  function gkRuns(text) {
    var out = [];
    var current = "";
    for (var ch of gkNormalize(text)) {
      if (isWordChar(ch)) {
        current += ch;
      } else if (current) {
        out.push(current);
        current = "";
      }
    }
    if (current) out.push(current);
    return out;
  }

  function gkEncodeChar(ch) {
    var cp = ch.codePointAt(0);
    if (cp < SHORT_LIMIT) {
      return ALPHABET[Math.floor(cp / 1296)] + ALPHABET[Math.floor(cp / 36) % 36] + ALPHABET[cp % 36];
    }
    var v = cp - SHORT_LIMIT;
    var out = ALPHABET[SHORT_LEADS + Math.floor(v / LONG_SPAN)];
    v %= LONG_SPAN;
    for (var k = 3; k >= 0; k--) out += ALPHABET[Math.floor(v / Math.pow(36, k)) % 36];
    return out;
  }

  function runTokens(run) {
    var codes = Array.from(run, gkEncodeChar);
    var out = [];
    for (var i = 0; i + 1 < codes.length; i++) out.push(codes[i] + codes[i + 1]);
    if (codes.length) out.push(codes[codes.length - 1]);
    return out;
  }

  function gkTokens(text) {
    var out = [];
    gkRuns(text).forEach(function (run) {
      out.push.apply(out, runTokens(run));
    });
    return out;
  }

  function queryPart(run) {
    if (Array.from(run).length === 1) return { text: run, pagefind: gkEncodeChar(run), exact: false };
    var bigrams = runTokens(run).slice(0, -1);
    return { text: run, pagefind: '"' + bigrams.join(" ") + '"', exact: true };
  }

  function gkQueryParts(query) {
    var seen = new Map();
    gkRuns(query).forEach(function (run) {
      if (!seen.has(run)) seen.set(run, queryPart(run));
    });
    return Array.from(seen.values());
  }

  /* ---------- the index: manifest, sessions of merged shards ---------- */

  var SCRIPT = document.currentScript;
  var ROOT = new URL("../", SCRIPT ? SCRIPT.src : location.href); // <root>/assets/gk-search.js
  var ROOT_PATH = ROOT.pathname;
  var manifestPromise = null;
  var sessions = new Map();
  var pagefindModule = null;

  function loadManifest() {
    if (!manifestPromise) {
      manifestPromise = fetch(ROOT_PATH + "pagefind/gk-search.json").then(function (r) {
        if (!r.ok) throw new Error("manifest " + r.status);
        return r.json();
      });
    }
    return manifestPromise;
  }

  /* The shards a search with `province` ("" = all) needs, in manifest order:
   * the primary (it carries the runtime; site-wide pages) comes first. */
  function shardsFor(manifest, province) {
    return manifest.shards.filter(function (s, i) {
      return i === 0 || !province || s.provinces.indexOf(province) >= 0;
    });
  }

  /* How many of `shards` a search has searched after its next step, from
   * `depth`: the first step takes shards until they hold half a full shard
   * of pages (the primary alone, unless it is small), each later step at
   * least as many pages as all before (Pagefind searches every merged shard
   * again, so a search carried on to the end searches no shard more than
   * about twice). */
  function nextDepth(shards, depth, stepPages) {
    var before = 0;
    for (var i = 0; i < depth; i++) before += shards[i].pages;
    var want = Math.max(stepPages, before);
    var added = 0;
    var d = depth;
    while (d < shards.length && (d === depth || added < want)) added += shards[d++].pages;
    return d;
  }

  function stepPages(manifest) {
    return Math.max(1, Math.floor((manifest.max_shard_pages || 1000) / 2));
  }

  /* A Pagefind instance holding the primary shard; the other shards of
   * `province` are merged into it on demand (deepen), in order. Every search
   * on it searches all its merged shards. Work on a session is chained, so
   * `merged` is exact when a search starts. */
  function newSession(manifest, province) {
    var shards = shardsFor(manifest, province);
    var session = { province: province, shards: shards, merged: 0, instance: null, chain: null };
    session.chain = (async function () {
      if (!shards.length) return;
      if (!pagefindModule) pagefindModule = import(ROOT_PATH + "pagefind/pagefind.js");
      var pf = await pagefindModule;
      // noWorker: the worker script would add 41 KB to every first search.
      session.instance = pf.createInstance({
        basePath: ROOT_PATH + shards[0].path,
        baseUrl: ROOT_PATH,
        noWorker: true,
      });
      await session.instance.init();
      session.merged = 1;
    })();
    return session;
  }

  function onSession(session, work) {
    var next = session.chain.then(function () {
      return work(session);
    });
    session.chain = next.catch(function () {});
    return next;
  }

  /* The session for `province`. A new search starts from the first step:
   * when the cached session has merged more than that (an earlier search
   * went on), a fresh one is made, so one long search does not make every
   * later one download all it loaded. */
  async function sessionFor(province, firstDepth) {
    var manifest = await loadManifest();
    var session = sessions.get(province);
    if (session && session.failed) session = null;
    if (session && firstDepth !== null && session.merged > firstDepth) session = null;
    if (!session) {
      session = newSession(manifest, province);
      session.chain.catch(function () {
        session.failed = true;
      });
      sessions.set(province, session);
    }
    return session;
  }

  function deepen(session, depth) {
    return onSession(session, function () {
      var todo = session.shards.slice(session.merged, depth);
      if (!todo.length) return;
      return Promise.all(
        todo.map(function (s) {
          return session.instance.mergeIndex(ROOT_PATH + s.path);
        }),
      ).then(
        function () {
          session.merged += todo.length;
        },
        function (e) {
          session.failed = true; // Pagefind keeps the broken shard: never search this session again
          throw e;
        },
      );
    });
  }

  /* A one-character query is a prefix search, and Pagefind loads only the
   * index chunk where the prefix falls. Preloading every bigram that starts
   * with the character (listed by index.py in gk-next/<code>.txt) loads all
   * the chunks the prefix search needs. Null when the character is nowhere. */
  var nextCache = new Map();
  function followingBigrams(code) {
    if (!nextCache.has(code)) {
      nextCache.set(
        code,
        fetch(ROOT_PATH + "pagefind/gk-next/" + code + ".txt").then(function (r) {
          if (!r.ok) return code; // only ever last in its run: the unigram itself
          return r.text().then(function (t) {
            return [code].concat(t.split(" ").map(function (n) {
              return code + n;
            })).join(" ");
          });
        }),
      );
    }
    return nextCache.get(code);
  }

  function firstLocation(result) {
    return result.words && result.words.length ? Math.min.apply(null, result.words) : 1e9;
  }

  /* Every page of the session's merged shards whose text contains every part
   * of the query, best first (earliest match first: the title is indexed
   * before the text). */
  function searchSession(session, parts, pfFilters) {
    return onSession(session, async function () {
      var searches = await Promise.all(
        parts.map(async function (p) {
          if (!p.exact) {
            var probes = await followingBigrams(p.pagefind);
            if (!probes) return { results: [] };
            await session.instance.preload(probes, { filters: pfFilters });
          }
          return session.instance.search(p.pagefind, { filters: pfFilters });
        }),
      );
      var merged = new Map();
      searches[0].results.forEach(function (r) {
        merged.set(r.id, { result: r, rank: firstLocation(r), score: r.score });
      });
      searches.slice(1).forEach(function (s) {
        var here = new Map(
          s.results.map(function (r) {
            return [r.id, r];
          }),
        );
        merged.forEach(function (entry, id) {
          var r = here.get(id);
          if (!r) merged.delete(id);
          else entry.rank += firstLocation(r);
        });
      });
      var results = Array.from(merged.values()).sort(function (a, b) {
        return a.rank - b.rank || b.score - a.score || (a.result.id < b.result.id ? -1 : 1);
      });
      return {
        results: results.map(function (e) {
          return e.result;
        }),
        searched: session.merged,
      };
    });
  }

  /* One search, carried out step by step over the shards of its province.
   * step() searches the next step (or, with `all`, every shard left) and
   * returns the state: parts, results so far (best first), searched and total
   * shards, complete. */
  function gkQuery(query, filters) {
    filters = filters || {};
    var parts = gkQueryParts(query);
    var pfFilters = {};
    Object.keys(filters).forEach(function (k) {
      if (filters[k]) pfFilters[k] = filters[k];
    });
    var state = { parts: parts, results: [], searched: 0, total: 0, complete: !parts.length };
    var session = null;
    return {
      state: state,
      step: async function (all) {
        if (state.complete) return state;
        var manifest = await loadManifest();
        var province = filters.province || "";
        if (!session) {
          var shards = shardsFor(manifest, province);
          var first = all ? shards.length : nextDepth(shards, 0, stepPages(manifest));
          session = await sessionFor(province, all ? null : first);
        }
        state.total = session.shards.length;
        if (!state.total) {
          state.complete = true;
          return state;
        }
        var depth = all
          ? state.total
          : nextDepth(session.shards, state.searched, stepPages(manifest));
        if (state.searched === 0 && !all) depth = Math.max(depth, session.merged);
        await deepen(session, depth);
        var found = await searchSession(session, parts, pfFilters);
        state.results = found.results;
        state.searched = found.searched;
        state.complete = state.searched >= state.total;
        return state;
      },
    };
  }

  /* Every page whose text contains every part of `query` (all shards searched). */
  async function gkSearch(query, filters) {
    var q = gkQuery(query, filters);
    var state = await q.step(true);
    return { parts: state.parts, results: state.results };
  }

  /* ---------- the UI ---------- */

  var LEVELS = { national: "国家级", province: "省级", city: "市级", county: "县级" };
  var KINDS = { agency: "机构", report: "年度报告", guide: "公开指南", page: "页面" };
  var FILTERS = [
    ["year", "年度"],
    ["province", "省份"],
    ["level", "层级"],
    ["kind", "类型"],
  ];
  var PAGE_SIZE = 10;
  var widgetCount = 0;

  function label(key, value) {
    if (key === "level") return LEVELS[value] || value;
    if (key === "kind") return KINDS[value] || value;
    if (key === "year") return value + "年度";
    return value;
  }

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === "text") node.textContent = attrs[k];
      else node.setAttribute(k, attrs[k]);
    });
    (children || []).forEach(function (c) {
      node.append(c);
    });
    return node;
  }

  /* Text with every occurrence of the query parts wrapped in <mark>. */
  function highlighted(text, parts) {
    var lower = text.toLowerCase();
    var frag = document.createDocumentFragment();
    if (lower.length !== text.length || !parts.length) {
      frag.append(text);
      return frag;
    }
    var marks = [];
    parts.forEach(function (p) {
      for (var i = lower.indexOf(p.text); i >= 0 && p.text; i = lower.indexOf(p.text, i + 1)) {
        marks.push([i, i + p.text.length]);
      }
    });
    marks.sort(function (a, b) {
      return a[0] - b[0];
    });
    var pos = 0;
    marks.forEach(function (m) {
      if (m[0] < pos) return;
      frag.append(text.slice(pos, m[0]), el("mark", { text: text.slice(m[0], m[1]) }));
      pos = m[1];
    });
    frag.append(text.slice(pos));
    return frag;
  }

  function resultItem(data, parts) {
    var meta = data.meta || {};
    var filters = data.filters || {};
    var raw = (data.raw_url || data.url || "").replace(/^\/+/, "");
    var href = ROOT_PATH + raw;
    var badges = el("span", { class: "gk-search__badges" });
    var kind = meta.kind || (filters.kind || [])[0];
    if (kind) badges.append(el("span", { class: "gk-badge gk-badge--kind", text: label("kind", kind) }));
    ["year", "province", "level"].forEach(function (k) {
      (filters[k] || []).forEach(function (v) {
        badges.append(el("span", { class: "gk-badge", text: label(k, v) }));
      });
    });
    var link = el("a", { href: href, class: "gk-search__title" }, [highlighted(meta.title || raw, parts)]);
    var item = el("li", { class: "gk-search__result" }, [link, badges]);
    if (meta.excerpt) {
      item.append(el("p", { class: "gk-search__excerpt" }, [highlighted(meta.excerpt, parts)]));
    }
    return item;
  }

  function buildForm(root, id, manifest) {
    var input = el("input", {
      id: id + "-q",
      type: "search",
      name: "q",
      autocomplete: "off",
      spellcheck: "false",
      placeholder: "例如：行政复议、依申请公开、聊城市",
    });
    var form = el("form", { class: "gk-search__form", role: "search", action: ROOT_PATH + "search/" }, [
      el("label", { for: id + "-q", class: "gk-search__label", text: "搜索机构、年度报告和公开指南" }),
      el("span", { class: "gk-search__bar" }, [input, el("button", { type: "submit", text: "搜索" })]),
    ]);
    var filters = el("div", { class: "gk-search__filters", role: "group", "aria-label": "筛选条件" });
    var facets = (manifest && manifest.facets) || {};
    FILTERS.forEach(function (f) {
      var values = facets[f[0]] || [];
      if (!values.length) return;
      var select = el("select", { name: f[0], id: id + "-" + f[0] }, [el("option", { value: "", text: "全部" })]);
      values.forEach(function (v) {
        select.append(el("option", { value: v, text: label(f[0], v) }));
      });
      filters.append(el("label", { for: id + "-" + f[0], class: "gk-search__filter" }, [f[1] + " ", select]));
    });
    form.append(filters);
    root.append(form);
    return form;
  }

  function formState(form) {
    var state = { q: form.elements.q.value, filters: {} };
    FILTERS.forEach(function (f) {
      var s = form.elements[f[0]];
      if (s && s.value) state.filters[f[0]] = s.value;
    });
    return state;
  }

  function applyParams(form) {
    var params = new URLSearchParams(location.search);
    if (params.has("q")) form.elements.q.value = params.get("q");
    FILTERS.forEach(function (f) {
      var s = form.elements[f[0]];
      if (s && params.has(f[0])) s.value = params.get(f[0]);
    });
  }

  function saveParams(state) {
    var params = new URLSearchParams();
    if (state.q) params.set("q", state.q);
    Object.keys(state.filters).forEach(function (k) {
      params.set(k, state.filters[k]);
    });
    var qs = params.toString();
    history.replaceState(null, "", location.pathname + (qs ? "?" + qs : "") + location.hash);
  }

  /* The status line: what was found, and how much of the index was searched. */
  function statusText(state, q) {
    var n = state.results.length;
    if (state.complete) return n ? "找到 " + n + " 个结果" : "没有找到包含“" + q + "”的页面";
    return "已搜索 " + state.searched + "/" + state.total + " 个部分，找到至少 " + n + " 个结果";
  }

  async function attach(root) {
    if (root.dataset.gkReady) return;
    root.dataset.gkReady = "1";
    root.classList.add("gk-search");
    var id = root.id ? root.id : "gk-search-" + ++widgetCount;
    var manifest = null;
    var status = el("p", { class: "gk-search__status", role: "status", "aria-live": "polite", tabindex: "-1" });
    var rest = el("button", { type: "button", class: "gk-search__rest", hidden: "" });
    var list = el("ol", { class: "gk-search__results", "aria-label": "搜索结果" });
    var more = el("button", { type: "button", class: "gk-search__more", hidden: "", text: "显示更多结果" });
    try {
      manifest = await loadManifest();
    } catch (e) {
      status.textContent = "搜索索引无法加载。请通过网站服务器访问本站（直接打开本地文件时浏览器不允许加载索引）。";
    }
    var form = buildForm(root, id, manifest);
    root.append(status, rest, list, more);
    root.setAttribute("data-gk-state", "idle");
    if (!manifest) return;
    applyParams(form);

    var current = null; // { query, text, shown: Set of result ids }
    var counter = 0;

    function pool() {
      return current.query.state.results.filter(function (r) {
        return !current.shown.has(r.id);
      });
    }

    /* Append the next `count` results not yet shown (best first among those found). */
    async function show(count, mine) {
      var batch = pool().slice(0, Math.max(0, count));
      var datas = await Promise.all(
        batch.map(function (r) {
          return r.data();
        }),
      );
      if (mine !== counter) return;
      batch.forEach(function (r, i) {
        current.shown.add(r.id);
        list.append(resultItem(datas[i], current.query.state.parts));
      });
    }

    function report(busy) {
      var state = current.query.state;
      var left = state.total - state.searched;
      status.textContent = statusText(state, current.text) + (busy ? "，正在继续搜索…" : "");
      rest.hidden = state.complete || busy;
      rest.textContent = "在其余 " + left + " 个部分中继续搜索";
      rest.title = "搜索索引按省份分成 " + state.total + " 个部分。为节省流量，先搜索前面的部分，够一页结果就先显示。";
      more.hidden = busy || (state.complete && !pool().length);
      root.setAttribute("data-gk-count", String(state.results.length));
      root.setAttribute("data-gk-searched", String(state.searched));
      root.setAttribute("data-gk-shards", String(state.total));
      root.setAttribute("data-gk-complete", String(state.complete));
    }

    /* Search on (step by step, or with `all` every shard left) until `target`
     * results can be on the page or everything is searched, showing what is
     * found at once. The results on the page stay where they are; later ones
     * are the best of those found and not yet shown. */
    async function carryOn(mine, target, all) {
      var here = current;
      var state = here.query.state;
      if (here.busy) return;
      here.busy = true;
      root.setAttribute("data-gk-state", "busy");
      try {
        while (!state.complete && (all || current.shown.size + pool().length < target)) {
          if (state.searched) report(true);
          await current.query.step(all);
          if (mine !== counter) return;
          await show(target - current.shown.size, mine);
          if (mine !== counter) return;
        }
        await show(target - current.shown.size, mine);
      } catch (e) {
        if (mine !== counter) return;
        status.textContent = "搜索出错：" + e;
        rest.hidden = more.hidden = true;
        root.setAttribute("data-gk-state", "error");
        return;
      } finally {
        here.busy = false;
      }
      if (mine !== counter) return;
      report(false);
      // Set once the results are on the page: tests and tools wait for it.
      root.setAttribute("data-gk-state", "done");
    }

    async function run() {
      var state = formState(form);
      var mine = ++counter;
      saveParams(state);
      list.replaceChildren();
      more.hidden = rest.hidden = true;
      if (!gkRuns(state.q).length) {
        status.textContent = state.q.trim() ? "请输入汉字、字母或数字。" : "";
        root.setAttribute("data-gk-state", "idle");
        return;
      }
      status.textContent = "正在搜索…";
      current = { query: gkQuery(state.q, state.filters), text: state.q.trim(), shown: new Set() };
      await carryOn(mine, PAGE_SIZE, false);
    }

    var timer = null;
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      clearTimeout(timer);
      run();
    });
    form.elements.q.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(run, 300);
    });
    form.addEventListener("change", function (ev) {
      if (ev.target.tagName === "SELECT") run();
    });
    more.addEventListener("click", function () {
      var next = list.children.length;
      carryOn(counter, next + PAGE_SIZE, false).then(function () {
        var link = list.children[next] && list.children[next].querySelector("a");
        if (link) link.focus();
      });
    });
    rest.addEventListener("click", function () {
      carryOn(counter, Math.max(list.children.length, PAGE_SIZE), true).then(function () {
        status.focus();
      });
    });
    if (form.elements.q.value) run();
  }

  function attachAll() {
    document.querySelectorAll("[data-gk-search]").forEach(attach);
  }

  window.gkSearchApi = {
    normalize: gkNormalize,
    runs: gkRuns,
    encodeChar: gkEncodeChar,
    tokens: gkTokens,
    queryParts: gkQueryParts,
    search: gkSearch,
    root: ROOT_PATH,
  };

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", attachAll);
  else attachAll();
  // mkdocs-material's instant navigation swaps pages without reloading scripts.
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(attachAll);
  }
})();
