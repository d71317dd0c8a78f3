/* 适老化 / 无障碍 display modes: text size (标准 / 大 / 特大) and a high-contrast palette for
 * the whole site, chosen in the header toolbar (overrides/partials/wp-a11y-toolbar.html) and
 * drawn by assets/a11y.css. Plain JavaScript, no library, no network.
 *
 * Loaded in <head> (overrides/main.html), so the stored choice is on <html> before the page is
 * first painted: <html data-wp-text="l|xl" data-wp-contrast="high">. The standard mode sets
 * neither attribute, and every rule of a11y.css that reads them is screen-only: print is the same
 * in every mode.
 *
 * The choice is remembered in localStorage ("wp-a11y": {"text": "xl", "contrast": true}), shared
 * by every page of the site, and by other tabs (the storage event). Where storage is refused —
 * some browsers for file:// pages, privacy modes — the tab's window.name carries it from page to
 * page instead (only when window.name is empty or already ours), and the toolbar still works on
 * the page in view.
 */
(function () {
  "use strict";

  var KEY = "wp-a11y";
  var NAME_PREFIX = KEY + "=";
  var SIZES = ["m", "l", "xl"];          // m: the standard size, no attribute
  var DEFAULT = { text: "m", contrast: false };
  var root = document.documentElement;

  function normalise(value) {
    var state = { text: DEFAULT.text, contrast: DEFAULT.contrast };
    if (value && typeof value === "object") {
      if (SIZES.indexOf(value.text) >= 0) state.text = value.text;
      state.contrast = value.contrast === true;
    }
    return state;
  }

  function parse(text) {
    try {
      return text ? normalise(JSON.parse(text)) : null;
    } catch (e) {
      return null;                                   // garbage in storage: ignore it
    }
  }

  function fromWindowName() {
    var name = window.name || "";
    return name.indexOf(NAME_PREFIX) === 0 ? parse(name.slice(NAME_PREFIX.length)) : null;
  }

  function read() {
    var stored = null;
    try {
      stored = parse(window.localStorage.getItem(KEY));
    } catch (e) {                                    // storage refused: see the note at the top
      stored = null;
    }
    return stored || fromWindowName() || normalise(null);
  }

  function save(state) {
    var text = JSON.stringify(state);
    try {
      window.localStorage.setItem(KEY, text);
      return;
    } catch (e) {
      // fall through to window.name
    }
    if (!window.name || window.name.indexOf(NAME_PREFIX) === 0) window.name = NAME_PREFIX + text;
  }

  function apply(state) {
    if (state.text === DEFAULT.text) root.removeAttribute("data-wp-text");
    else root.setAttribute("data-wp-text", state.text);
    if (state.contrast) root.setAttribute("data-wp-contrast", "high");
    else root.removeAttribute("data-wp-contrast");
  }

  var initial = read();
  apply(initial);                                    // in <head>: before the first paint

  // --------------------------------------------------------------------------- the toolbar
  function setupToolbar() {
    var bar = document.querySelector("[data-wp-a11y]");
    if (!bar || bar.getAttribute("data-ready")) return;
    bar.setAttribute("data-ready", "1");
    var toggle = bar.querySelector(".wp-a11y__toggle");
    var panel = bar.querySelector(".wp-a11y__panel");
    var sizes = bar.querySelectorAll("input[name='wp-a11y-text']");
    var contrast = bar.querySelector("input[name='wp-a11y-contrast']");
    var reset = bar.querySelector(".wp-a11y__reset");

    function show(state) {
      for (var i = 0; i < sizes.length; i++) sizes[i].checked = sizes[i].value === state.text;
      contrast.checked = state.contrast;
    }

    function choose(state) {
      apply(state);
      save(state);
      show(state);
    }

    function current() {
      var state = normalise(null);
      for (var i = 0; i < sizes.length; i++) if (sizes[i].checked) state.text = sizes[i].value;
      state.contrast = contrast.checked;
      return state;
    }

    function open(yes, returnFocus) {
      panel.hidden = !yes;
      toggle.setAttribute("aria-expanded", yes ? "true" : "false");
      if (!yes && returnFocus) toggle.focus();
    }

    toggle.addEventListener("click", function () {
      open(panel.hidden);
      if (!panel.hidden) (bar.querySelector("input:checked") || sizes[0]).focus();
    });
    bar.addEventListener("change", function () { choose(current()); });
    reset.addEventListener("click", function () { choose(normalise(null)); });
    bar.addEventListener("keydown", function (e) {
      if ((e.key === "Escape" || e.key === "Esc") && !panel.hidden) {
        e.stopPropagation();                         // Material would close its search too
        open(false, true);
      }
    });
    // A pointer or the keyboard leaving the toolbar closes the panel (it covers the page).
    document.addEventListener("click", function (e) {
      if (!panel.hidden && !bar.contains(e.target)) open(false);
    });
    bar.addEventListener("focusout", function (e) {
      if (!panel.hidden && e.relatedTarget && !bar.contains(e.relatedTarget)) open(false);
    });
    window.addEventListener("storage", function (e) {  // chosen in another tab of the site
      if (e.key === KEY) {
        var state = parse(e.newValue) || normalise(null);
        apply(state);
        show(state);
      }
    });

    show(initial);
    bar.hidden = false;
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setupToolbar);
  } else {
    setupToolbar();
  }
})();
