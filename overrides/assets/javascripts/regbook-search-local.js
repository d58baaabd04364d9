/* regbook search in the offline copy (file://), on the page's main thread.
 *
 * Browsers refuse a Web Worker and fetch() to pages opened from disk, so the theme's search box
 * would stay hidden. Loaded before the theme's bundle (overrides/partials/regbook-search-config.html),
 * this file does nothing on the website; on file:// it gives the theme, in place of the worker
 * `assets/javascripts/workers/regbook-search.js`, an object that speaks the same messages
 * (postMessage in, "message" events out) and runs that same file as a classic script on this
 * page (it then reads the index from the `.js` shards of the offline copy: dev-docs/search.md).
 * Any other worker is left to the browser. No request leaves the disk; no inline script (the
 * Content-Security-Policy allows 'self', which Chromium applies to file:// as the same folder tree).
 *
 * A copy of the site folder itself (not the offline zip) has no `.js` shards: the header then says
 * that this copy cannot search, where the search box was.
 */
(function () {
  "use strict";
  if (location.protocol !== "file:") return;

  var NativeWorker = window.Worker;
  var OURS = /\/workers\/regbook-search\.js$/;
  var core = null;

  function loadCore(src) {
    if (!core)
      core = new Promise(function (resolve, reject) {
        var el = document.createElement("script");
        el.src = src;
        el.onload = function () { resolve(window.regbookSearch); };
        el.onerror = function () { reject(new Error(src)); };
        document.head.appendChild(el);
      });
    return core;
  }

  function noIndex() {
    var note = document.createElement("div");
    note.className = "regbook-search-offline";
    note.setAttribute("role", "note");
    note.style.cssText = "font-size:.6rem;line-height:1.3;max-width:16rem;margin:0 .4rem;opacity:.9";
    note.textContent = "此副本不含检索索引，不能全文检索：请使用首页下载的“离线版”压缩包（解压后打开 index.html），或在网站上检索。";
    var show = function () {
      var header = document.querySelector(".md-header__inner");
      if (!header || header.querySelector(".regbook-search-offline")) return;
      var box = header.querySelector(".md-search");
      var button = header.querySelector('label.md-header__button[for="__search"]');
      if (box) box.style.display = "none";
      if (button) button.style.display = "none";
      header.insertBefore(note, box || null);
    };
    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", show); else show();
  }

  function LocalSearch(src) {
    var target = new EventTarget();
    var ready = loadCore(src);
    ready.then(function (search) { return search.start(); }).catch(noIndex);
    target.postMessage = function (message) {
      ready.then(function (search) {
        return search.handle(message, function (data) {
          target.dispatchEvent(new MessageEvent("message", { data: data }));
        });
      }).catch(function (err) { console.warn("regbook search:", err); });
    };
    target.terminate = function () {};
    return target;
  }

  window.Worker = function Worker(url, options) {
    var href = new URL(url, location.href);
    return OURS.test(href.pathname) ? LocalSearch(href.href) : new NativeWorker(url, options);
  };
})();
