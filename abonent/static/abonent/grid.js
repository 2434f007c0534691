// Comforts of the list pages: keyboard keys, Enter in the filter bar, menus that close, the header star
// kept in step with HTMX updates, confirmations, printing. The pages work without this file.
(function () {
  "use strict";

  function grid() { return document.getElementById("grid"); }

  function typing(element) {
    return element && (element.isContentEditable || /^(INPUT|TEXTAREA|SELECT|BUTTON)$/.test(element.tagName));
  }

  function closeMenus(except) {
    document.querySelectorAll("#grid details.grid-drop[open]").forEach(function (menu) {
      if (!menu.contains(except)) { menu.open = false; }
    });
  }

  document.addEventListener("keydown", function (event) {
    if (!grid() || event.ctrlKey || event.metaKey || event.altKey) { return; }
    var target = event.target;
    if (event.key === "Escape") { closeMenus(null); return; }
    if (typing(target)) {
      // Enter on a checkbox or list box of the filter bar applies the filters, as it does in a text field.
      if (event.key === "Enter" && target.form && target.form.id === "grid-filters" &&
          (target.type === "checkbox" || target.tagName === "SELECT")) {
        event.preventDefault();
        target.form.requestSubmit();
      }
      return;
    }
    var link = null;
    if (event.key === "/") {
      var search = document.querySelector("#grid [data-grid-search]");
      if (search) { event.preventDefault(); search.focus(); search.select(); }
    } else if (event.key === "n") {
      link = document.querySelector("#grid [data-grid-next]");
    } else if (event.key === "p") {
      link = document.querySelector("#grid [data-grid-prev]");
    }
    if (link) { event.preventDefault(); link.click(); }
  });

  document.addEventListener("change", function (event) {
    if (event.target.matches && event.target.matches("[data-grid-autosubmit]")) {
      var form = event.target.form;
      if (form) { form.requestSubmit(); }
    }
  });

  document.addEventListener("click", function (event) {
    if (event.target.closest && event.target.closest("[data-grid-print]")) { window.print(); return; }
    closeMenus(event.target);
  });

  document.addEventListener("toggle", function (event) {
    var menu = event.target;
    if (menu.matches && menu.matches("#grid details.grid-drop") && menu.open) { closeMenus(menu); }
  }, true);

  document.addEventListener("submit", function (event) {
    var message = event.target.getAttribute && event.target.getAttribute("data-confirm");
    if (message && !window.confirm(message)) { event.preventDefault(); event.stopImmediatePropagation(); }
  }, true);

  // A menu marked data-keep-open (the columns) stays open while its buttons update the list.
  var keepOpen = [];
  document.addEventListener("htmx:beforeSwap", function () {
    keepOpen = Array.prototype.map.call(
      document.querySelectorAll("#grid details[data-keep-open][open]"), function (menu) { return menu.id; });
  });
  document.addEventListener("htmx:afterSettle", function () {
    keepOpen.forEach(function (id) { var menu = document.getElementById(id); if (menu) { menu.open = true; } });
    keepOpen = [];
    syncStar();
  });

  // The star beside the page title pins the address on screen, which HTMX changes without a reload.
  function syncStar() {
    var list = grid();
    var form = document.querySelector(".shell-top form input[name='url']");
    if (!list || !form) { return; }
    form.value = list.getAttribute("data-here");
    var pinned = list.getAttribute("data-pinned") === "1";
    var icon = form.form.querySelector("i.bi");
    if (icon) { icon.className = pinned ? "bi bi-star-fill" : "bi bi-star"; }
  }
})();
