// Cancelling a request asks first: it cannot be undone.
document.addEventListener("submit", function (event) {
  const form = event.target.closest("[data-confirm-cancel]");
  if (form && !window.confirm(form.dataset.confirmCancel)) event.preventDefault();
});
