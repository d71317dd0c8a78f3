/* Keyboard access to the theme's pointer-only controls (WCAG 2.1.1). Plain JavaScript, no library.
 *
 * Material opens the phone navigation drawer and the phone search with <label for="__drawer">
 * and <label for="__search"> wired to hidden checkboxes: a pointer can click them, the keyboard
 * cannot reach them. Here each becomes a real <button> (focusable, named, saying whether its
 * panel is open) that toggles the same checkbox, so the theme's own behaviour follows. An open
 * drawer takes focus to its first link and closes on Escape, giving focus back to its button; a
 * closed one is hidden (assets/a11y.css), so Tab does not walk through links that are off screen.
 * Material's search dialog gets a name.
 *
 * This patches Material's markup in the browser rather than keeping copies of its templates: the
 * patch is small, and without JavaScript the theme's labels stay as they were.
 */
(function () {
  "use strict";

  // The label's look (classes, icon) on a button that flips the label's checkbox; assets/a11y.css
  // hides it where the theme hides the label (data-for).
  function asButton(label, name) {
    var toggle = document.getElementById(label.htmlFor);
    var button = document.createElement("button");
    button.type = "button";
    button.className = label.className + " wp-header-toggle";
    button.setAttribute("data-for", label.htmlFor);
    button.setAttribute("aria-label", name);
    while (label.firstChild) button.appendChild(label.firstChild);
    label.parentNode.replaceChild(button, label);

    function sync() { button.setAttribute("aria-expanded", toggle.checked ? "true" : "false"); }
    button.addEventListener("click", function () {
      toggle.checked = !toggle.checked;
      toggle.dispatchEvent(new Event("change", { bubbles: true }));   // the theme listens to it
    });
    toggle.addEventListener("change", sync);
    sync();
    return button;
  }

  function setupDrawer() {
    var toggle = document.getElementById("__drawer");
    var label = document.querySelector(".md-header label.md-header__button[for='__drawer']");
    var drawer = document.querySelector(".md-sidebar--primary");
    if (!toggle || !label || !drawer) return;
    var button = asButton(label, "导航菜单");

    function close(refocus) {
      toggle.checked = false;
      toggle.dispatchEvent(new Event("change", { bubbles: true }));
      if (refocus) button.focus();
    }

    toggle.addEventListener("change", function () {
      if (!toggle.checked) return;
      // Once it is visible (a11y.css makes it so on :checked), the drawer takes focus.
      requestAnimationFrame(function () {
        var first = drawer.querySelector(".md-nav__link[href], .md-nav__link[tabindex='0'], a[href]");
        if (first) first.focus();
      });
    });
    document.addEventListener("keydown", function (e) {
      if ((e.key === "Escape" || e.key === "Esc") && toggle.checked) close(true);
    });
    // Tab past its last link: the drawer closes rather than cover the page the focus went to.
    drawer.addEventListener("focusout", function (e) {
      var to = e.relatedTarget;
      if (toggle.checked && to && !drawer.contains(to) && to !== button) close(false);
    });
  }

  function setup() {
    setupDrawer();
    var search = document.querySelector(".md-header label.md-header__button[for='__search']");
    if (search && document.getElementById("__search")) asButton(search, "搜索");
    var dialog = document.querySelector(".md-search[role='dialog']");
    if (dialog && !dialog.hasAttribute("aria-label")) dialog.setAttribute("aria-label", "搜索");
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setup);
  } else {
    setup();
  }
})();
