// Show the name fields that fit the kind of customer: first and last name for a person, a name for an organisation.
(function () {
  const form = document.getElementById("party-form");
  if (!form) return;
  function update() {
    const kind = (form.querySelector("input[name=kind]:checked") || {}).value;
    form.querySelectorAll("[data-kind]").forEach(function (el) {
      el.hidden = kind && el.dataset.kind !== kind;
    });
  }
  form.querySelectorAll("input[name=kind]").forEach(function (radio) { radio.addEventListener("change", update); });
  update();
})();
