// The classification selects offer only the children of the level above; clearing a level clears those below.
(function () {
  function setUp() {
    const data = document.getElementById("classification-parents");
    if (!data) return;
    const parents = JSON.parse(data.textContent);
    const levels = ["id_class_1", "id_class_2", "id_class_3"].map(function (id) { return document.getElementById(id); });
    if (levels.some(function (s) { return !s; })) return;
    function filter(depth) {
      const above = levels[depth - 1].value;
      const select = levels[depth];
      Array.from(select.options).forEach(function (option) {
        if (!option.value) return;
        const fits = above !== "" && String(parents[option.value]) === above;
        option.hidden = !fits;
        option.disabled = !fits;
        if (!fits && option.selected) select.value = "";
      });
      select.disabled = above === "";
    }
    function refresh() { filter(1); filter(2); }
    levels[0].addEventListener("change", refresh);
    levels[1].addEventListener("change", function () { filter(2); });
    refresh();
    // A disabled select sends nothing, which is what an empty level means.
  }
  document.addEventListener("DOMContentLoaded", setUp);
})();
