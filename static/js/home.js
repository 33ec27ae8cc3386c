// The home page's one key to intake: a link marked data-hotkey="n" opens when N is pressed,
// unless the user is typing in a field.
(function () {
  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.target.closest("input, textarea, select, [contenteditable]")) return;
    const link = document.querySelector(`[data-hotkey="${event.key.toLowerCase()}"]`);
    if (link) link.click();
  });
})();
