// 发起检查: a "select all" box for the account checkboxes (CSP: no inline script).
document.addEventListener("change", (event) => {
  const box = event.target.closest("[data-check-all]");
  if (!box) return;
  document.querySelectorAll(`input[type=checkbox][name="${box.dataset.checkAll}"]`).forEach((input) => {
    input.checked = box.checked;
  });
});
