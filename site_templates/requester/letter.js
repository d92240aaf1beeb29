// Application letter helper (gongkai). Everything stays in this page: no network
// requests, no cookies, no localStorage; the letter is built from the inputs with
// textContent only (no HTML from the user is ever interpreted).
(function () {
  "use strict";

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function today() {
    var d = new Date();
    return d.getFullYear() + "年" + (d.getMonth() + 1) + "月" + d.getDate() + "日";
  }

  function values(root) {
    return Array.prototype.map.call(root.querySelectorAll("[data-label]"), function (input) {
      return { label: input.dataset.label, value: input.value.trim() };
    });
  }

  function chosenChannel(root, cfg) {
    var r = root.querySelector("input[name=gk-channel]:checked");
    return r ? cfg.channels[+r.value] : null;
  }

  function channelLines(ch) {
    if (!ch) return [];
    var lines = ["提交方式：" + ch.label];
    var where = [ch.office, ch.address].filter(Boolean).join("，");
    if (where) lines.push("地址：" + where + (ch.postcode ? "（邮政编码 " + ch.postcode + "）" : ""));
    if (ch.phone) lines.push("电话：" + ch.phone);
    if (ch.email) lines.push("电子邮箱：" + ch.email);
    if (ch.fax) lines.push("传真：" + ch.fax);
    if (ch.url) lines.push("网址：" + ch.url);
    if (ch.notes) lines.push("注意：" + ch.notes);
    return lines;
  }

  function build(root, cfg) {
    var fields = values(root);
    var ch = chosenChannel(root, cfg);
    var intro = "根据" + cfg.basis + "，现向贵机关申请公开以下政府信息：";
    var out = root.querySelector("#gk-letter-print");
    out.textContent = "";
    out.appendChild(el("h1", "gk-letter-title", "政府信息公开申请书"));
    out.appendChild(el("p", "gk-letter-to", cfg.recipient + "："));
    out.appendChild(el("p", "gk-letter-intro", intro));
    var table = el("table", "gk-letter-fields");
    var tbody = el("tbody");
    fields.forEach(function (f) {
      var tr = el("tr");
      var th = el("th", "", f.label);
      th.scope = "row";
      tr.appendChild(th);
      tr.appendChild(el("td", f.value ? "" : "gk-letter-blank", f.value || "　"));
      tbody.appendChild(tr);
    });
    table.appendChild(tbody);
    out.appendChild(table);
    var send = channelLines(ch);
    if (send.length) {
      var box = el("div", "gk-letter-channel");
      send.forEach(function (line) { box.appendChild(el("p", "", line)); });
      out.appendChild(box);
    }
    out.appendChild(el("p", "gk-letter-sign", "申请人（签名或者盖章）：＿＿＿＿＿＿＿＿　　日期：" + today()));

    var text = ["政府信息公开申请书", "", cfg.recipient + "：", intro, ""];
    fields.forEach(function (f) { text.push(f.label + "：" + f.value); });
    if (send.length) text = text.concat([""], send);
    text.push("", "申请人（签名或者盖章）：", "日期：" + today());
    root.querySelector("#gk-letter-text").value = text.join("\n");
  }

  function copy(root) {
    var ta = root.querySelector("#gk-letter-text");
    var status = root.querySelector("#gk-copy-status");
    ta.select();
    var done = function () { status.textContent = "已复制"; };
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(ta.value).then(done, function () {
        status.textContent = "请手动复制（Ctrl+C）";
      });
    } else {
      try { document.execCommand("copy"); done(); } catch (e) { status.textContent = "请手动复制"; }
    }
  }

  function init() {
    var root = document.querySelector(".gk-letter");
    var cfgEl = document.getElementById("gk-letter-config");
    if (!root || !cfgEl || root.dataset.ready) return;
    root.dataset.ready = "1";
    var cfg = JSON.parse(cfgEl.textContent);
    var rebuild = function () { build(root, cfg); };
    root.querySelectorAll("input, textarea").forEach(function (input) {
      if (input.id !== "gk-letter-text") input.addEventListener("input", rebuild);
      if (input.type === "radio") input.addEventListener("change", rebuild);
    });
    root.querySelector("#gk-print").addEventListener("click", function () {
      rebuild();
      window.print();
    });
    root.querySelector("#gk-copy").addEventListener("click", function () { rebuild(); copy(root); });
    rebuild();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
  if (window.document$ && window.document$.subscribe) window.document$.subscribe(init);
})();
