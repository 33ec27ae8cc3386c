// The complaint's page keeps your place (issue 14): after a step or a correction is sent, the
// page comes back to that step with its panel open instead of at the top with all collapsed.
// The record card opens when a link points at it (#record), and its unit list follows the
// chosen building, as on the intake form.
(function () {
  const KEY = "desk:place";
  document.addEventListener("submit", (event) => {
    const place = event.target.closest("[data-testid^='step-'], [data-testid='record-card']");
    if (place) {
      sessionStorage.setItem(KEY, JSON.stringify({ path: window.location.pathname, testid: place.dataset.testid }));
    }
  });
  const restore = () => {
    const saved = JSON.parse(sessionStorage.getItem(KEY) || "null");
    sessionStorage.removeItem(KEY);
    if (!saved || saved.path !== window.location.pathname) return;
    const place = document.querySelector(`[data-testid="${saved.testid}"]`) || document.getElementById("next-step");
    if (!place) return;
    if (place.tagName === "DETAILS") place.open = true;
    const panel = place.querySelector(".accordion-collapse");
    if (panel) {
      panel.classList.add("show");
      const button = place.querySelector(".accordion-button");
      if (button) { button.classList.remove("collapsed"); button.setAttribute("aria-expanded", "true"); }
    }
    place.scrollIntoView({ block: "start" });
  };
  const openTarget = () => {
    const target = window.location.hash && document.querySelector(window.location.hash);
    if (target && target.tagName === "DETAILS") target.open = true;
  };
  window.addEventListener("hashchange", openTarget);
  openTarget();
  restore();
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
