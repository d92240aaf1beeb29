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

  function shardsFor(manifest, province) {
    return manifest.shards.filter(function (s, i) {
      return i === 0 || !province || s.provinces.indexOf(province) >= 0;
    });
  }

  /* A Pagefind instance that has merged the shards needed for `province`
   * ("" = all). Cached: switching back and forth loads nothing twice. */
  function session(province) {
    if (sessions.has(province)) return sessions.get(province);
    var promise = loadManifest().then(async function (manifest) {
      var shards = shardsFor(manifest, province);
      if (!shards.length) return null;
      if (!pagefindModule) pagefindModule = import(ROOT_PATH + "pagefind/pagefind.js");
      var pf = await pagefindModule;
      // noWorker: the worker script would add 41 KB to every first search.
      var instance = pf.createInstance({
        basePath: ROOT_PATH + shards[0].path,
        baseUrl: ROOT_PATH,
        noWorker: true,
      });
      await instance.init();
      await Promise.all(
        shards.slice(1).map(function (s) {
          return instance.mergeIndex(ROOT_PATH + s.path);
        }),
      );
      return instance;
    });
    promise.catch(function () {
      sessions.delete(province);
    });
    sessions.set(province, promise);
    return promise;
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

  /* Every page whose text contains every part of `query`, best first
   * (earliest match first: the title is indexed before the text). */
  async function gkSearch(query, filters) {
    var parts = gkQueryParts(query);
    if (!parts.length) return { parts: parts, results: [] };
    filters = filters || {};
    var instance = await session(filters.province || "");
    if (!instance) return { parts: parts, results: [] };
    var pfFilters = {};
    Object.keys(filters).forEach(function (k) {
      if (filters[k]) pfFilters[k] = filters[k];
    });
    var searches = await Promise.all(
      parts.map(async function (p) {
        if (!p.exact) {
          var probes = await followingBigrams(p.pagefind);
          if (!probes) return { results: [] };
          await instance.preload(probes, { filters: pfFilters });
        }
        return instance.search(p.pagefind, { filters: pfFilters });
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
      parts: parts,
      results: results.map(function (e) {
        return e.result;
      }),
    };
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

  async function attach(root) {
    if (root.dataset.gkReady) return;
    root.dataset.gkReady = "1";
    root.classList.add("gk-search");
    var id = root.id ? root.id : "gk-search-" + ++widgetCount;
    var manifest = null;
    var status = el("p", { class: "gk-search__status", role: "status", "aria-live": "polite" });
    var list = el("ol", { class: "gk-search__results", "aria-label": "搜索结果" });
    var more = el("button", { type: "button", class: "gk-search__more", hidden: "", text: "显示更多结果" });
    try {
      manifest = await loadManifest();
    } catch (e) {
      status.textContent = "搜索索引无法加载。请通过网站服务器访问本站（直接打开本地文件时浏览器不允许加载索引）。";
    }
    var form = buildForm(root, id, manifest);
    root.append(status, list, more);
    root.setAttribute("data-gk-state", "idle");
    if (!manifest) return;
    applyParams(form);

    var current = null;
    var shown = 0;
    var counter = 0;

    async function showMore() {
      var batch = current.results.slice(shown, shown + PAGE_SIZE);
      var datas = await Promise.all(
        batch.map(function (r) {
          return r.data();
        }),
      );
      datas.forEach(function (d) {
        list.append(resultItem(d, current.parts));
      });
      shown += batch.length;
      more.hidden = shown >= current.results.length;
    }

    async function run() {
      var state = formState(form);
      var mine = ++counter;
      saveParams(state);
      list.replaceChildren();
      more.hidden = true;
      if (!gkRuns(state.q).length) {
        status.textContent = state.q.trim() ? "请输入汉字、字母或数字。" : "";
        root.setAttribute("data-gk-state", "idle");
        return;
      }
      root.setAttribute("data-gk-state", "busy");
      status.textContent = "正在搜索…";
      var found;
      try {
        found = await gkSearch(state.q, state.filters);
      } catch (e) {
        if (mine !== counter) return;
        status.textContent = "搜索出错：" + e;
        root.setAttribute("data-gk-state", "error");
        return;
      }
      if (mine !== counter) return;
      current = found;
      shown = 0;
      var n = found.results.length;
      status.textContent = n ? "找到 " + n + " 个结果" : "没有找到包含“" + state.q.trim() + "”的页面";
      if (n) await showMore();
      if (mine !== counter) return;
      // Set once the first results are on the page: tests and tools wait for it.
      root.setAttribute("data-gk-count", String(n));
      root.setAttribute("data-gk-state", "done");
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
      showMore().then(function () {
        var link = list.children[next] && list.children[next].querySelector("a");
        if (link) link.focus();
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
