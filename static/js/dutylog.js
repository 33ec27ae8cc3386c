// Duty log: a line updated in place (htmx) shows its form errors, which come back as 400,
// instead of htmx's default of ignoring error responses; other failures are said aloud.
(function () {
  const table = document.querySelector("[data-testid=dutylog-lines]");
  if (!table) return;
  const ours = (event) => event.detail.xhr.status === 400 && table.contains(event.detail.elt);
  document.body.addEventListener("htmx:beforeOnLoad", (event) => {
    // With DEBUG, django-htmx replaces the page with any 400 response (on `document`); this
    // 400 carries the line's form errors to swap in, so keep it from reaching that handler.
    if (ours(event)) event.stopPropagation();
  });
  document.body.addEventListener("htmx:beforeSwap", (event) => {
    if (ours(event)) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });
  document.body.addEventListener("htmx:responseError", (event) => {
    if (table.contains(event.detail.elt)) window.alert(table.dataset.errorMessage);
  });
})();
