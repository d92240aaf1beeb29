// Deadline calculator for disclosure requests (gongkai). Runs in the browser only:
// no network requests, no storage. The calendar is window.GK_CALENDAR, written at
// build time by generator/requester/calculator.py from generator/workdays.py;
// the counting here mirrors workdays.add_working_days exactly.
(function () {
  "use strict";
  var WEEKDAYS = ["星期日", "星期一", "星期二", "星期三", "星期四", "星期五", "星期六"];

  function OutOfCoverage(iso, covered) {
    this.iso = iso;
    this.covered = covered;
    this.message = iso + " 超出节假日数据的覆盖范围（" + covered[0] + "—" + covered[1] +
      " 年），无法计算；本计算器不作推测。";
  }

  function Calendar(data) {
    this.covered = data.covered;
    this.answerDays = data.answer_days;
    this.extendedDays = data.extended_days;
    this.years = {};
    var self = this;
    Object.keys(data.years).forEach(function (y) {
      self.years[y] = {
        off: new Set(data.years[y].holidays),
        on: new Set(data.years[y].workdays)
      };
    });
  }

  function parseIso(iso) {
    var m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso || "");
    if (!m) return null;
    var d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
    return d.getUTCMonth() === +m[2] - 1 ? d : null;
  }

  function toIso(d) {
    return d.toISOString().slice(0, 10);
  }

  Calendar.prototype.check = function (iso) {
    var y = +iso.slice(0, 4);
    if (y < this.covered[0] || y > this.covered[1] || !this.years[String(y)]) {
      throw new OutOfCoverage(iso, this.covered);
    }
  };

  Calendar.prototype.isWorkday = function (iso) {
    this.check(iso);
    var t = this.years[iso.slice(0, 4)];
    if (t.on.has(iso)) return true;
    if (t.off.has(iso)) return false;
    var wd = parseIso(iso).getUTCDay();
    return wd >= 1 && wd <= 5;
  };

  // The n-th working day after `iso` (the day itself is not counted).
  Calendar.prototype.addWorkingDays = function (iso, n) {
    this.check(iso);
    var d = parseIso(iso);
    var left = n;
    while (left > 0) {
      d = new Date(d.getTime() + 86400000);
      if (this.isWorkday(toIso(d))) left -= 1;
    }
    return toIso(d);
  };

  Calendar.prototype.deadlines = function (iso) {
    return {
      received: iso,
      answer: this.addWorkingDays(iso, this.answerDays),
      extended: this.addWorkingDays(iso, this.extendedDays)
    };
  };

  function weekday(iso) {
    return WEEKDAYS[parseIso(iso).getUTCDay()];
  }

  function show(root, cal) {
    var input = root.querySelector("input[type=date]");
    var out = root.querySelector(".gk-calc-result");
    var iso = input.value;
    out.textContent = "";
    if (!parseIso(iso)) {
      out.dataset.state = "empty";
      return;
    }
    try {
      var r = cal.deadlines(iso);
      out.dataset.state = "ok";
      out.dataset.answer = r.answer;
      out.dataset.extended = r.extended;
      var lines = [
        ["收到申请", iso + "（" + weekday(iso) + "）"],
        ["答复期限（" + cal.answerDays + " 个工作日）", r.answer + "（" + weekday(r.answer) + "）"],
        ["延长后的期限（共 " + cal.extendedDays + " 个工作日）", r.extended + "（" + weekday(r.extended) + "）"]
      ];
      var dl = document.createElement("dl");
      lines.forEach(function (pair) {
        var dt = document.createElement("dt");
        dt.textContent = pair[0];
        var dd = document.createElement("dd");
        dd.textContent = pair[1];
        dl.appendChild(dt);
        dl.appendChild(dd);
      });
      out.appendChild(dl);
    } catch (e) {
      if (!(e instanceof OutOfCoverage)) throw e;
      out.dataset.state = "refused";
      delete out.dataset.answer;
      delete out.dataset.extended;
      var p = document.createElement("p");
      p.className = "gk-calc-refused";
      p.textContent = e.message;
      out.appendChild(p);
    }
  }

  function init() {
    if (!window.GK_CALENDAR) return;
    var cal = new Calendar(window.GK_CALENDAR);
    window.GK_CALCULATOR = cal; // for tests and the curious
    document.querySelectorAll(".gk-calculator").forEach(function (root) {
      if (root.dataset.ready) return;
      root.dataset.ready = "1";
      var input = root.querySelector("input[type=date]");
      input.min = cal.covered[0] + "-01-01";
      input.max = cal.covered[1] + "-12-31";
      input.addEventListener("input", function () { show(root, cal); });
      input.addEventListener("change", function () { show(root, cal); });
      root.querySelector("form").addEventListener("submit", function (ev) {
        ev.preventDefault();
        show(root, cal);
      });
      root.hidden = false;
      show(root, cal);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
  // mkdocs-material instant navigation swaps pages without reloading scripts
  if (window.document$ && window.document$.subscribe) window.document$.subscribe(init);
})();
