// Intake form: Ctrl+Enter saves; the unit list follows the building; the facility field
// shows only for facility faults and the responsible party only for to-improve complaints.
(function () {
  const form = document.getElementById("intake-form");
  if (!form) return;
  form.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      form.requestSubmit(form.querySelector("[data-testid=save-complaint]"));
    }
  });
  const toggle = (selectId, fieldId, shownFor) => {
    const select = document.getElementById(selectId);
    const field = document.getElementById(fieldId);
    if (!select || !field) return;
    const update = () => { field.hidden = select.value !== shownFor && !field.querySelector(".is-invalid"); };
    select.addEventListener("change", update);
    update();
  };
  toggle("id_urgent_kind", "field-facility_kind", "facility");
  toggle("id_classification", "field-responsible_party", "to_improve");
  const building = document.getElementById("id_building");
  const unit = document.getElementById("id_unit");
  if (building && unit && window.htmx) {
    building.addEventListener("change", () => {
      htmx.ajax("GET", form.dataset.unitsUrl + "?building=" + encodeURIComponent(building.value), { target: unit, swap: "innerHTML" });
    });
  }
})();
// Long texts show their limit as they are typed (issue 14): "120 / 10000 characters".
(function () {
  const form = document.getElementById("intake-form");
  if (!form) return;
  form.querySelectorAll("[data-count][maxlength]").forEach((field) => {
    const counter = document.createElement("div");
    counter.className = "form-text text-end";
    counter.dataset.testid = "count-" + field.name;
    const update = () => {
      counter.textContent = `${field.value.length} / ${field.maxLength} ${form.dataset.countText || ""}`.trim();
      counter.classList.toggle("text-danger", field.value.length >= field.maxLength);
    };
    field.insertAdjacentElement("afterend", counter);
    field.addEventListener("input", update);
    update();
  });
})();
