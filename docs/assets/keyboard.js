/* Keyboard access to the theme's pointer-only controls (WCAG 2.1.1, 2.4.3). Plain JavaScript, no
 * library, no network.
 *
 * - Material opens the phone navigation drawer and the search with <label for="__drawer"> and
 *   <label for="__search"> wired to hidden checkboxes: a pointer can click them, the keyboard
 *   cannot reach them. Each becomes a real <button> (focusable, named, saying whether its panel is
 *   open) that toggles the same checkbox, so the theme's own behaviour follows.
 * - The open drawer takes focus and closes on Escape or when Tab leaves it, focus going back to
 *   its button; its sub-menus can be opened and left with the keyboard (setupSubmenus).
 * - The search dialog gets a name; its results pane leaves the tab order while the dialog is shut.
 * - What is closed is hidden from Tab by assets/a11y.css (drawer, sub-menus, phone search box).
 *
 * This patches Material's markup in the browser rather than keeping copies of its templates: the
 * patch is small, and without JavaScript the theme's labels stay as they were.
 */
(function () {
  "use strict";

  // The label's look (classes, content) on a button that flips the label's checkbox; assets/a11y.css
  // hides it where the theme hides the label (data-for). name: for a button showing only an icon.
  // When the panel it opened closes and focus was inside it (or lost), focus returns to it.
  function asButton(label, name) {
    var toggle = document.getElementById(label.htmlFor);
    var button = document.createElement("button");
    button.type = "button";
    button.className = label.className + " wp-toggle";
    button.setAttribute("data-for", label.htmlFor);
    if (name) button.setAttribute("aria-label", name);
    while (label.firstChild) button.appendChild(label.firstChild);
    label.parentNode.replaceChild(button, label);

    var opened = false;
    button.addEventListener("click", function () {
      toggle.checked = !toggle.checked;
      opened = toggle.checked;
      toggle.dispatchEvent(new Event("change", { bubbles: true }));   // the theme listens to it
    });
    toggle.addEventListener("change", function () {
      button.setAttribute("aria-expanded", toggle.checked ? "true" : "false");
      if (!toggle.checked && opened) {
        opened = false;
        var at = document.activeElement;
        if (!at || at === document.body || (panelOf[toggle.id] && panelOf[toggle.id].contains(at))) button.focus();
      }
    });
    button.setAttribute("aria-expanded", toggle.checked ? "true" : "false");
    return button;
  }

  // What each toggle opens (to know whether focus was inside it when it closed).
  var panelOf = {};

  function setupDrawer() {
    var toggle = document.getElementById("__drawer");
    var label = document.querySelector(".md-header label.md-header__button[for='__drawer']");
    var drawer = document.querySelector(".md-sidebar--primary");
    if (!toggle || !label || !drawer) return;
    panelOf[toggle.id] = drawer;
    var button = asButton(label, "导航菜单");

    function close() {
      toggle.checked = false;
      toggle.dispatchEvent(new Event("change", { bubbles: true }));
    }

    toggle.addEventListener("change", function () {
      if (!toggle.checked) return;
      // Once it is visible (a11y.css makes it so on :checked), the drawer takes focus.
      requestAnimationFrame(function () {
        var first = drawer.querySelector(".md-nav__link[href], .md-nav__link[tabindex='0'], a[href]");
        if (first) first.focus({ preventScroll: true });
      });
    });
    document.addEventListener("keydown", function (e) {
      if ((e.key === "Escape" || e.key === "Esc") && toggle.checked) close();
    });
    // Tab past its last link: the drawer closes rather than cover the page the focus went to.
    drawer.addEventListener("focusout", function (e) {
      var to = e.relatedTarget;
      if (toggle.checked && to && !drawer.contains(to) && to !== button) close();
    });
    setupSubmenus(drawer);
  }

  // Words for screen readers only (assets/a11y.css .wp-sr): labels are not allowed an aria-label.
  function hiddenText(text) {
    var span = document.createElement("span");
    span.className = "wp-sr";
    span.textContent = text;
    return span;
  }

  // In the phone drawer a section opens as a sub-menu sliding over its parent, and closes with
  // the "←" title at its top. The theme clicks a focused label on Enter, but its "←" labels
  // cannot take focus, and focus stays on the opener, now covered. Here the "←" can be focused,
  // opening a sub-menu moves focus to it, closing one returns focus to its opener; an opener that
  // shows only an arrow gets the section's name (which also names the sub-menu's landmark).
  function setupSubmenus(drawer) {
    var phone = window.matchMedia("(max-width: 76.234375em)");
    var toggles = drawer.querySelectorAll("input.md-nav__toggle[id]");
    for (var i = 0; i < toggles.length; i++) (function (toggle) {
      var opener = drawer.querySelector("label.md-nav__link[for='" + toggle.id + "']");
      var back = drawer.querySelector("label.md-nav__title[for='" + toggle.id + "']");
      if (!opener || !back) return;
      var title = back.textContent.trim();
      if (!opener.textContent.trim() && title) opener.appendChild(hiddenText(title + " 下级菜单"));
      back.insertBefore(hiddenText("返回上一级："), back.firstChild);
      back.setAttribute("tabindex", "0");
      toggle.addEventListener("change", function () {
        if (!phone.matches) return;
        // preventScroll: mid-slide, scrolling it into view would shift the whole drawer sideways
        if (toggle.checked) back.focus({ preventScroll: true });
        else opener.focus();
      });
    })(toggles[i]);
  }

  // The header's magnifier (phones) and the home page's 搜索单位或事项 open the search dialog.
  function setupSearch() {
    var dialog = document.querySelector(".md-search[role='dialog']");
    if (!dialog || !document.getElementById("__search")) return;
    if (!dialog.hasAttribute("aria-label")) dialog.setAttribute("aria-label", "搜索");
    panelOf.__search = dialog;
    // Tab in the search box closes the dialog (the theme's choice; results are reached with the
    // arrow keys). Its results pane would then be the next stop, about to hide: skip it.
    var toggle = document.getElementById("__search");
    var results = dialog.querySelector(".md-search__scrollwrap");
    if (results) {
      var sync = function () { results.tabIndex = toggle.checked ? 0 : -1; };
      toggle.addEventListener("change", sync);
      sync();
    }
    // The theme focuses the search box when its header label is clicked; the buttons do the same.
    var input = dialog.querySelector(".md-search__input");
    var labels = document.querySelectorAll("label[for='__search']:not(.md-search__icon):not(.md-search__overlay)");
    for (var i = 0; i < labels.length; i++) {
      asButton(labels[i], labels[i].textContent.trim() ? null : "搜索").addEventListener("click", function () {
        if (toggle.checked && input) input.focus();
      });
    }
  }

  function setup() {
    setupDrawer();
    setupSearch();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setup);
  } else {
    setup();
  }
})();
