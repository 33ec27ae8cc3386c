// The complaint's page: the record card opens when a link points at it (#record), and its unit
// list follows the chosen building, as on the intake form.
(function () {
  const openTarget = () => {
    const target = window.location.hash && document.querySelector(window.location.hash);
    if (target && target.tagName === "DETAILS") target.open = true;
  };
  window.addEventListener("hashchange", openTarget);
  openTarget();
  const form = document.getElementById("record-form");
  if (!form) return;
  const building = form.querySelector("[name=building]");
  const unit = form.querySelector("[name=unit]");
  if (building && unit && window.htmx) {
    building.addEventListener("change", () => {
      htmx.ajax("GET", form.dataset.unitsUrl + "?building=" + encodeURIComponent(building.value), { target: unit, swap: "innerHTML" });
    });
  }
})();
