// Guided questioning: a question whose parent is answered otherwise is hidden (and its answer cleared, as the
// server drops it too). Without JavaScript every question stays visible and the server applies the same rule.
(function () {
  function answerOf(name) {
    const checked = document.querySelector('[name="' + name + '"]:checked');
    if (checked) return checked.value;
    const field = document.querySelector('select[name="' + name + '"], input[type=text][name="' + name + '"]');
    return field ? field.value : "";
  }
  function refresh() {
    document.querySelectorAll("[data-parent]").forEach(function (row) {
      const parentRow = document.querySelector('[data-name="' + row.dataset.parent + '"]');
      const shown = !(parentRow && parentRow.hidden) &&
        answerOf(row.dataset.parent).trim().toLowerCase() === row.dataset.parentValue.trim().toLowerCase();
      row.hidden = !shown;
    });
  }
  document.addEventListener("change", refresh);
  document.addEventListener("DOMContentLoaded", refresh);
})();
