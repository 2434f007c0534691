// A small rich-text editor over each note textarea: bold, italic, lists and links. The server sanitises
// whatever arrives; without JavaScript the textarea sends plain text (format=text).
(function () {
  function enhance(root) {
    root.querySelectorAll("[data-note-editor]:not([data-ready])").forEach(function (box) {
      box.dataset.ready = "1";
      const textarea = box.querySelector("textarea");
      const toolbar = box.querySelector(".note-toolbar");
      const format = box.querySelector("[data-note-format]");
      const wasHtml = format.value === "html";
      format.value = "html";
      const editor = document.createElement("div");
      editor.contentEditable = "true";
      editor.className = textarea.className + " note-body";
      editor.setAttribute("role", "textbox");
      editor.setAttribute("aria-multiline", "true");
      editor.setAttribute("aria-label", textarea.labels.length ? textarea.labels[0].textContent : "");
      editor.innerHTML = wasHtml ? textarea.value : textarea.value.replace(/[&<>]/g, function (c) {
        return {"&": "&amp;", "<": "&lt;", ">": "&gt;"}[c];
      }).replace(/\n/g, "<br>");
      textarea.hidden = true;
      textarea.after(editor);
      toolbar.classList.remove("d-none");
      toolbar.addEventListener("click", function (event) {
        const button = event.target.closest("[data-command]");
        if (!button) return;
        let value = null;
        if (button.dataset.command === "createLink") {
          value = window.prompt(button.dataset.prompt, "https://");
          if (!value) return;
        }
        editor.focus();
        document.execCommand(button.dataset.command, false, value);
      });
      textarea.form.addEventListener("submit", function () { textarea.value = editor.innerHTML; });
      textarea.form.addEventListener("htmx:configRequest", function (event) {
        event.detail.parameters.body = editor.innerHTML;
      });
    });
  }
  enhance(document);
  document.addEventListener("htmx:afterSwap", function (event) { enhance(event.target); });
})();
