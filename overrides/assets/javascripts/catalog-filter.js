/*
 * regbook catalog filter: 效力位阶, 时效性, 制定机关, 年份 (公布日期) and a title box over the
 * catalog tables of the page, without loading any other page or file.
 *
 * Progressive enhancement: the catalog pages are full static tables; each row carries its facets
 * in a hidden <span class="regbook-row" data-level … data-number> (scripts/regbook/pages.py), and
 * <div data-regbook-filter hidden> marks where the form goes. Without JavaScript nothing changes.
 * With it, the form appears there (fieldset and legend, a label for every control, a live region
 * announcing the count), rows and empty groups are hidden, and the filter state lives in the
 * query string (?level=…&status=…&issuer=…&year=…&q=…): shareable, restored on load, and the
 * back button steps through earlier filters (a changed choice is a new history entry; typing in
 * the title box replaces the current one). Loaded on every page by mkdocs.yml's extra_javascript
 * (script-src 'self'); it does nothing where there is no filter box. Values go into the page as
 * text only (textContent, option values), never as markup.
 */
(function () {
  "use strict";

  var FIELDS = [
    { key: "level", label: "效力位阶" },
    { key: "status", label: "时效性" },
    { key: "issuer", label: "制定机关" },
    { key: "year", label: "年份（公布日期）" }
  ];
  var ALL = "全部";

  function normalise(text) {
    return (text || "").normalize("NFKC").toLowerCase().replace(/\s+/g, "");
  }

  function element(tag, props, children) {
    var el = document.createElement(tag);
    Object.keys(props || {}).forEach(function (name) {
      if (name === "text") el.textContent = props[name];
      else el.setAttribute(name, props[name]);
    });
    (children || []).forEach(function (child) { el.appendChild(child); });
    return el;
  }

  /* The distinct values of one facet, in the vocabulary's order where there is one; years newest
     first; 制定机关 by number of documents, then by name. */
  function choices(rows, key, order) {
    var counts = {};
    rows.forEach(function (row) {
      var value = row.data[key];
      if (value) counts[value] = (counts[value] || 0) + 1;
    });
    var values = Object.keys(counts);
    if (order && order[key]) {
      var rank = function (v) { var i = order[key].indexOf(v); return i < 0 ? order[key].length : i; };
      values.sort(function (a, b) { return rank(a) - rank(b) || a.localeCompare(b, "zh"); });
    } else if (key === "year") {
      values.sort(function (a, b) { return Number(b) - Number(a); });
    } else {
      values.sort(function (a, b) { return counts[b] - counts[a] || a.localeCompare(b, "zh"); });
    }
    return values.map(function (v) { return { value: v, count: counts[v] }; });
  }

  function init() {
    var box = document.querySelector("[data-regbook-filter]");
    if (!box) return;
    var order = {};
    try { order = JSON.parse(box.getAttribute("data-order") || "{}"); } catch (e) { order = {}; }
    var rows = Array.prototype.map.call(document.querySelectorAll(".regbook-row"), function (mark) {
      var tr = mark.closest("tr");
      var data = {};
      ["level", "status", "issuer", "year", "title", "number"].forEach(function (key) {
        data[key] = mark.getAttribute("data-" + key) || "";
      });
      return { tr: tr, data: data, text: normalise(data.title + " " + data.number) };
    }).filter(function (row) { return row.tr; });
    var groups = Array.prototype.slice.call(document.querySelectorAll(".regbook-catalog"));

    var controls = {};
    var fields = FIELDS.map(function (field) {
      var id = "regbook-filter-" + field.key;
      var select = element("select", { id: id, name: field.key }, [element("option", { value: "", text: ALL })]);
      choices(rows, field.key, order).forEach(function (c) {
        select.appendChild(element("option", { value: c.value, text: c.value + "（" + c.count + "）" }));
      });
      controls[field.key] = select;
      return element("div", { "class": "regbook-filter__field" }, [element("label", { "for": id, text: field.label }), select]);
    });
    var query = element("input", {
      id: "regbook-filter-q", name: "q", type: "search", autocomplete: "off",
      placeholder: "输入标题或发文字号中的文字", enterkeyhint: "search"
    });
    controls.q = query;
    fields.unshift(element("div", { "class": "regbook-filter__field regbook-filter__field--wide" }, [
      element("label", { "for": "regbook-filter-q", text: "标题或发文字号" }), query
    ]));
    var reset = element("button", { type: "reset", "class": "md-button regbook-filter__reset", text: "清除筛选" });
    var status = element("p", { "class": "regbook-filter__count", role: "status", "aria-live": "polite" });
    var form = element("form", { "class": "regbook-filter__form", role: "search", "aria-label": "筛选本目录", action: "" }, [
      element("fieldset", {}, [element("legend", { text: "筛选文件" })].concat(fields, [reset])),
      status
    ]);
    box.appendChild(form);
    box.hidden = false;

    function state() {
      var s = {};
      Object.keys(controls).forEach(function (key) { s[key] = controls[key].value.trim(); });
      return s;
    }

    function url(s) {
      var params = new URLSearchParams(location.search);
      Object.keys(controls).forEach(function (key) {
        if (s[key]) params.set(key, s[key]); else params.delete(key);
      });
      var search = params.toString();
      return location.pathname + (search ? "?" + search : "") + location.hash;
    }

    /* Put the URL's state into the form; a value the page does not have (a shared link from an
       older catalog) is kept as an extra option, so that the filter says what it filters by. */
    function restore() {
      var params = new URLSearchParams(location.search);
      Object.keys(controls).forEach(function (key) {
        var value = params.get(key) || "";
        var control = controls[key];
        if (control.tagName === "SELECT" && value &&
            !Array.prototype.some.call(control.options, function (o) { return o.value === value; })) {
          control.appendChild(element("option", { value: value, text: value + "（0）" }));
        }
        control.value = value;
      });
    }

    function apply() {
      var s = state();
      var needle = normalise(s.q);
      var shown = 0;
      rows.forEach(function (row) {
        var match = FIELDS.every(function (f) { return !s[f.key] || row.data[f.key] === s[f.key]; }) &&
          (!needle || row.text.indexOf(needle) >= 0);
        row.tr.hidden = !match;
        if (match) shown += 1;
      });
      groups.forEach(function (group) {
        var visible = group.querySelector("tr:not([hidden]) .regbook-row");
        group.hidden = !visible;
        var heading = group.previousElementSibling;
        if (heading && /^H[2-6]$/.test(heading.tagName)) heading.hidden = !visible;
      });
      var filtered = Object.keys(s).some(function (key) { return s[key]; });
      status.textContent = !filtered ? "共 " + rows.length + " 件，未筛选。"
        : shown ? "符合条件的文件 " + shown + " 件（共 " + rows.length + " 件）。"
        : "没有符合条件的文件（共 " + rows.length + " 件）。请减少筛选条件。";
    }

    function commit(replace) {
      var next = url(state());
      if (next === location.pathname + location.search + location.hash) return;
      try {
        if (replace) history.replaceState(null, "", next); else history.pushState(null, "", next);
      } catch (e) {
        /* A browser that refuses to change the address (some, for local files): the filter still works. */
      }
    }

    FIELDS.forEach(function (f) {
      controls[f.key].addEventListener("change", function () { apply(); commit(false); });
    });
    var typing = false;
    query.addEventListener("input", function () { apply(); commit(typing); typing = true; });
    query.addEventListener("change", function () { typing = false; });
    form.addEventListener("submit", function (event) { event.preventDefault(); typing = false; });
    form.addEventListener("reset", function () {
      setTimeout(function () { apply(); commit(false); typing = false; }, 0);  // after the form has reset
    });
    window.addEventListener("popstate", function () { restore(); apply(); typing = false; });

    restore();
    apply();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
