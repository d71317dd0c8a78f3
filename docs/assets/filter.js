/* Item table filters (table/), print date and print button. Plain JavaScript, no library, no
 * network: the filter data is a JSON blob embedded in the page (<script type="application/json"
 * id="wp-filter-data">, written by workplan.pages.Site.table_index), so the page works from
 * file:// as well as over HTTP.
 *
 * Filter state lives in the URL: ?cat=3-1&lead=czj&resp=…&county=…&rel=named|collective|mentioned&status=…&q=…
 * (status: the item's latest 落实状态 — 未启动, 推进中, 已完成, 受阻 or 尚无报告; issue 8)
 * (the matrix and chart pages link to such URLs). Changes are written back with
 * history.replaceState; where a browser refuses that (some do for file:// pages) they go to the
 * hash instead (#cat=3-1&lead=czj), which is read the same way and wins over the query.
 * Data is only ever compared and shown through textContent / option values, never as HTML.
 */
(function () {
  "use strict";

  var KEYS = ["cat", "lead", "resp", "county", "rel", "status", "q"];
  var RELS = ["named", "collective", "mentioned"];

  function fold(text) {
    return String(text).toLowerCase().replace(/（/g, "(").replace(/）/g, ")").replace(/\s+/g, " ");
  }

  function parseParams(text, state) {
    text = (text || "").replace(/^[?#]/, "");
    if (text.indexOf("=") < 0) return state;        // an ordinary anchor such as #item-3-1-16
    text.split("&").forEach(function (pair) {
      var i = pair.indexOf("=");
      if (i < 0) return;
      var key, value;
      try {
        key = decodeURIComponent(pair.slice(0, i).replace(/\+/g, " "));
        value = decodeURIComponent(pair.slice(i + 1).replace(/\+/g, " "));
      } catch (e) {
        return;
      }
      if (KEYS.indexOf(key) >= 0) state[key] = value;
    });
    return state;
  }

  /* State from a location: the query, then the hash (which wins). */
  function parseState(search, hash) {
    var state = {};
    KEYS.forEach(function (k) { state[k] = ""; });
    parseParams(search, state);
    parseParams(hash, state);
    return state;
  }

  function formatState(state) {
    return KEYS.filter(function (k) { return state[k]; })
      .map(function (k) { return k + "=" + encodeURIComponent(state[k]); }).join("&");
  }

  function has(list, value) {
    return (list || []).indexOf(value) >= 0;
  }

  /* Does one item (its entry in the JSON blob) pass the filters? */
  function matches(entry, state) {
    if (state.cat && entry.cat !== state.cat && entry.part !== state.cat) return false;
    if (state.lead && !has(entry.lead, state.lead)) return false;
    if (state.resp && !has(entry.resp, state.resp)) return false;
    if (state.status && entry.status !== state.status) return false;
    var rels = RELS.indexOf(state.rel) >= 0 ? [state.rel] : RELS;
    if (state.county) {
      if (!rels.some(function (r) { return has(entry[r], state.county); })) return false;
    } else if (state.rel && RELS.indexOf(state.rel) >= 0) {
      if (!(entry[state.rel] || []).length) return false;
    }
    if (state.q) {
      var hay = fold(entry.text);
      var terms = fold(state.q).split(" ").filter(Boolean);
      if (!terms.every(function (t) { return hay.indexOf(t) >= 0; })) return false;
    }
    return true;
  }

  function filterIds(data, state) {
    return (data.order || Object.keys(data.items)).filter(function (id) { return matches(data.items[id], state); });
  }

  // --------------------------------------------------------------------------- the page
  function setupTable() {
    var blob = document.getElementById("wp-filter-data");
    var form = document.getElementById("wp-filter");
    if (!blob || !form || form.getAttribute("data-ready")) return;
    form.setAttribute("data-ready", "1");
    var data = JSON.parse(blob.textContent);
    var rows = Array.prototype.slice.call(document.querySelectorAll("#wp-filter-table tbody tr[id^='item-']"));
    var status = document.getElementById("wp-filter-status");
    var empty = document.getElementById("wp-filter-empty");
    var total = rows.length;

    function control(key) {
      return form.elements.namedItem(key);
    }

    function ensureOption(select, value) {
      if (!value || select.tagName !== "SELECT") return;
      for (var i = 0; i < select.options.length; i++) if (select.options[i].value === value) return;
      var opt = document.createElement("option");
      opt.value = value;
      opt.textContent = (data.names && data.names[value]) || value;
      select.appendChild(opt);
    }

    function toForm(state) {
      KEYS.forEach(function (k) {
        var el = control(k);
        if (!el) return;
        ensureOption(el, state[k]);
        el.value = state[k];
      });
    }

    function fromForm() {
      var state = {};
      KEYS.forEach(function (k) { var el = control(k); state[k] = el ? el.value.trim() : ""; });
      return state;
    }

    function apply(state) {
      var shown = 0;
      rows.forEach(function (tr) {
        var entry = data.items[tr.id.slice(5)];
        var ok = !entry || matches(entry, state);
        tr.hidden = !ok;
        if (ok) shown++;
      });
      status.textContent = (formatState(state) ? "筛选结果：" + shown + " 项（共 " + total + " 项）。" : "共 " + total + " 项。");
      if (empty) empty.hidden = shown > 0;
    }

    function writeUrl(state) {
      var query = formatState(state);
      var url = location.pathname + (query ? "?" + query : "");
      try {
        history.replaceState(null, "", url);
      } catch (e) {                                   // e.g. file:// in some browsers
        location.replace("#" + query);
      }
    }

    function readUrl() {
      var state = parseState(location.search, location.hash);
      toForm(state);
      apply(state);
    }

    form.hidden = false;
    form.addEventListener("submit", function (e) { e.preventDefault(); });
    form.addEventListener("input", function () { var s = fromForm(); apply(s); writeUrl(s); });
    form.addEventListener("change", function () { var s = fromForm(); apply(s); writeUrl(s); });
    form.addEventListener("reset", function () {
      setTimeout(function () { var s = fromForm(); apply(s); writeUrl(s); }, 0);
    });
    window.addEventListener("hashchange", readUrl);
    window.addEventListener("popstate", readUrl);
    readUrl();
  }

  // --------------------------------------------------------------------------- printing
  function today() {
    var d = new Date();
    return d.getFullYear() + "年" + (d.getMonth() + 1) + "月" + d.getDate() + "日";
  }

  function setupPrint() {
    var fill = function () {
      var when = new Date();
      var iso = when.getFullYear() + "-" + String(when.getMonth() + 1).padStart(2, "0") + "-" +
        String(when.getDate()).padStart(2, "0");
      document.querySelectorAll(".wp-print-date").forEach(function (el) {
        el.textContent = today();
        el.setAttribute("datetime", iso);
      });
    };
    fill();
    window.addEventListener("beforeprint", fill);
    document.querySelectorAll(".wp-print-button").forEach(function (button) {
      button.hidden = false;
      if (button.getAttribute("data-ready")) return;
      button.setAttribute("data-ready", "1");
      button.addEventListener("click", function () { window.print(); });
    });
  }

  function setup() {
    setupTable();
    setupPrint();
  }

  if (typeof module !== "undefined" && module.exports) {   // Node, for the tests
    module.exports = { matches: matches, parseState: parseState, formatState: formatState, filterIds: filterIds };
  } else if (typeof document !== "undefined") {
    if (window.document$ && typeof window.document$.subscribe === "function") {
      window.document$.subscribe(setup);                 // Material's instant navigation, if turned on
    } else if (document.readyState === "loading") {
      document.addEventListener("DOMContentLoaded", setup);
    } else {
      setup();
    }
  }
})();
