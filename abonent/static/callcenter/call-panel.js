// The call panel: a running timer for the duration, digits 1-9 pick an outcome, Enter saves, and a note
// is never lost (kept in the browser until the call is saved, with a warning before leaving the page).
(function () {
  if (window.abonentCallPanel) { window.abonentCallPanel.start(document); return; }
  const KEY = "abonent.callnote.";
  let dirty = null; // the form whose note is typed but not saved

  function draftKey(form) {
    const tab = form.closest("[data-party]");
    return KEY + (tab ? tab.dataset.party : "");
  }

  function start(root) {
    const tab = root.querySelector ? root.querySelector("#calls-tab") || (root.id === "calls-tab" ? root : null) : null;
    if (tab && tab.dataset.callSaved) {
      window.localStorage.removeItem(KEY + tab.dataset.party);
      dirty = null;
    }
    (root.querySelectorAll ? root.querySelectorAll("[data-call-form]:not([data-ready])") : []).forEach(setUp);
  }

  function setUp(form) {
    form.dataset.ready = "1";
    const note = form.querySelector("[data-call-note]");
    const duration = form.querySelector("[data-call-duration]");
    const timer = form.querySelector("[data-call-timer]");
    const outcome = form.querySelector("[data-call-outcome]");
    const callback = form.querySelector("[data-call-callback]");
    const key = draftKey(form);

    // A note typed before a reload or a crash comes back.
    const draft = window.localStorage.getItem(key);
    if (draft && !note.value.trim()) {
      note.value = draft;
      form.querySelector("[data-draft-restored]").classList.remove("d-none");
    }
    if (note.value.trim()) dirty = form;
    note.addEventListener("input", function () {
      if (note.value.trim()) {
        window.localStorage.setItem(key, note.value);
        dirty = form;
      } else {
        window.localStorage.removeItem(key);
        dirty = null;
      }
    });

    // The timer counts from what the field holds (0, or the seconds sent with a form that came back).
    let base = parseInt(duration.value || "0", 10) || 0;
    const opened = Date.now();
    let auto = true;
    duration.addEventListener("input", function () { auto = false; timer.classList.add("text-body-secondary"); });
    const tick = window.setInterval(function () {
      if (!document.body.contains(form)) { window.clearInterval(tick); return; }
      const seconds = base + Math.floor((Date.now() - opened) / 1000);
      timer.textContent = Math.floor(seconds / 60) + ":" + String(seconds % 60).padStart(2, "0");
      if (auto) duration.value = seconds;
    }, 1000);

    // Digits pick an outcome while the outcome list has the focus.
    outcome.addEventListener("keydown", function (event) {
      if (event.altKey || event.ctrlKey || event.metaKey) return;
      const n = parseInt(event.key, 10);
      if (n >= 1 && n <= 9 && n <= outcome.options.length) {
        event.preventDefault();
        outcome.selectedIndex = n - 1;
        outcome.dispatchEvent(new Event("change", {bubbles: true}));
      }
    });
    function needsCallback() {
      const chosen = outcome.options[outcome.selectedIndex];
      callback.required = chosen && chosen.dataset.callback === "1";
      callback.closest("div").classList.toggle("call-needed", callback.required);
    }
    outcome.addEventListener("change", needsCallback);
    needsCallback();

    // Enter saves from anywhere in the form; Shift+Enter is a new line in the note.
    form.addEventListener("keydown", function (event) {
      if (event.key !== "Enter" || event.shiftKey || event.isComposing) return;
      if (event.target.tagName === "BUTTON" || event.target.tagName === "A") return;
      event.preventDefault();
      if (auto) duration.value = base + Math.floor((Date.now() - opened) / 1000);
      form.requestSubmit();
    });
    form.addEventListener("submit", function () {
      if (auto) duration.value = base + Math.floor((Date.now() - opened) / 1000);
    });
  }

  window.addEventListener("beforeunload", function (event) {
    if (dirty && document.body.contains(dirty)) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
  document.addEventListener("htmx:beforeRequest", function (event) {
    // Leaving the panel for another tab while a note is unsaved: ask first.
    const form = dirty;
    if (!form || !document.body.contains(form) || form.contains(event.detail.elt)) return;
    if (event.detail.elt.closest && event.detail.elt.closest("#party-tabs")) {
      if (!window.confirm(form.dataset.leaveWarning)) {
        event.preventDefault();
      }
    }
  });

  window.abonentCallPanel = {start: start};
  document.addEventListener("htmx:afterSwap", function (event) { start(event.target); });
  start(document);
})();
