/* regbook: 适老化 controls (字号 大/中/小, 长者模式), GB/T 37668-2019 and 工信部《互联网网站适老化
 * 通用设计规范》. Loaded synchronously in <head> (overrides/main.html, block libs) so the saved
 * choice is on <html> before the first paint (no flash of the small text); the buttons in
 * overrides/partials/regbook-access.html work through one delegated click listener. The choice
 * is kept in localStorage, so it follows the reader from page to page. No inline script: the
 * Content-Security-Policy allows only 'self' and the theme's own hashed scripts. */
(function () {
  "use strict";

  var SIZE_KEY = "regbook.access.size";
  var ELDER_KEY = "regbook.access.elder";
  var SIZES = { large: "大", medium: "中", small: "小" };
  var root = document.documentElement;

  function load(key) {
    try {
      return window.localStorage.getItem(key);
    } catch (error) {
      return null; /* storage disabled: the default text, nothing saved */
    }
  }

  function save(key, value) {
    try {
      window.localStorage.setItem(key, value);
    } catch (error) {
      /* storage disabled or full: the choice lasts for this page only */
    }
  }

  function size() {
    var value = load(SIZE_KEY);
    return Object.prototype.hasOwnProperty.call(SIZES, value) ? value : "medium";
  }

  function elder() {
    return load(ELDER_KEY) === "on";
  }

  /* The saved choice as attributes of <html>; regbook.css styles from them. */
  function apply() {
    root.setAttribute("data-regbook-js", "");
    root.setAttribute("data-regbook-text", size());
    root.setAttribute("data-regbook-mode", elder() ? "elder" : "standard");
  }

  /* Buttons show the choice to assistive technology (aria-pressed) as well as by their look. */
  function sync() {
    var current = size();
    var buttons = document.querySelectorAll("button[data-regbook-size]");
    for (var i = 0; i < buttons.length; i++) {
      buttons[i].setAttribute("aria-pressed", String(buttons[i].getAttribute("data-regbook-size") === current));
    }
    var toggles = document.querySelectorAll("button[data-regbook-elder]");
    for (var j = 0; j < toggles.length; j++) {
      toggles[j].setAttribute("aria-pressed", String(elder()));
    }
  }

  function announce(text) {
    var status = document.querySelector("[data-regbook-access-status]");
    if (status) {
      status.textContent = text;
    }
  }

  /* Wide tables scroll inside their own box (the theme wraps each table): a keyboard reader must
   * be able to reach that box to scroll it, so a box that overflows takes focus (tabindex=0) and
   * is named for screen readers; one that fits is left out of the tab order. */
  function tables() {
    var boxes = document.querySelectorAll(".md-typeset__scrollwrap");
    for (var i = 0; i < boxes.length; i++) {
      var box = boxes[i];
      if (box.scrollWidth > box.clientWidth + 1) {
        box.setAttribute("tabindex", "0");
        box.setAttribute("role", "group");
        box.setAttribute("aria-label", "表格（可左右滚动）");
      } else if (box.getAttribute("tabindex") === "0") {
        box.removeAttribute("tabindex");
        box.removeAttribute("role");
        box.removeAttribute("aria-label");
      }
    }
  }

  document.addEventListener("click", function (event) {
    var target = event.target instanceof Element ? event.target : null;
    var button = target && target.closest("button[data-regbook-size], button[data-regbook-elder]");
    if (!button) {
      return;
    }
    if (button.hasAttribute("data-regbook-size")) {
      var value = button.getAttribute("data-regbook-size");
      save(SIZE_KEY, value);
      announce("字号已设为" + SIZES[value]);
    } else {
      var on = !elder();
      save(ELDER_KEY, on ? "on" : "off");
      announce(on ? "已开启长者模式" : "已关闭长者模式");
    }
    apply();
    sync();
    tables();
  });

  /* Another tab changed the choice: follow it. */
  window.addEventListener("storage", function (event) {
    if (event.key === SIZE_KEY || event.key === ELDER_KEY) {
      apply();
      sync();
      tables();
    }
  });

  apply();
  document.addEventListener("DOMContentLoaded", sync);
  /* After the theme's own DOMContentLoaded work, which wraps the tables. */
  window.addEventListener("load", tables);
  window.addEventListener("resize", tables);
})();
