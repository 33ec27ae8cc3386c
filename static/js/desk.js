// Behaviour every page shares, kept out of the markup so that the Content-Security-Policy
// can refuse inline scripts: a select marked data-submit-on-change submits its form (the
// language switch, the office pickers); a button marked data-print prints the page.
(function () {
  document.addEventListener("change", (event) => {
    const field = event.target.closest("[data-submit-on-change]");
    if (field && field.form) field.form.requestSubmit();
  });
  document.addEventListener("click", (event) => {
    if (event.target.closest("[data-print]")) window.print();
  });
})();
