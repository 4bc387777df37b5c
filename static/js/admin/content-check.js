// 检查错敏词 in the page editor (quality/check_button.py): the edit form as it stands is posted
// to the check, which saves nothing, and its findings are shown above the form.
(function () {
  "use strict";

  function region(form) {
    var found = document.getElementById("content-check-results");
    if (!found) {
      found = document.createElement("div");
      found.id = "content-check-results";
      found.setAttribute("role", "status");
      found.setAttribute("aria-live", "polite");
      found.tabIndex = -1;
      // At the top of the tab being read (内容), in the form's own width; else of the form.
      var where = form.querySelector('[role="tabpanel"]:not([hidden])') || form;
      where.insertBefore(found, where.firstChild);
    }
    return found;
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-content-check-url]");
    if (!button) {
      return;
    }
    event.preventDefault();
    var form = document.querySelector("[data-edit-form]") || button.closest("form");
    var shown = region(form);
    shown.textContent = "正在检查……";
    button.disabled = true;
    fetch(button.getAttribute("data-content-check-url"), {
      method: "POST",
      body: new FormData(form),
      headers: { "X-Requested-With": "XMLHttpRequest" },
      credentials: "same-origin",
    })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(String(response.status));
        }
        return response.json();
      })
      .then(function (data) {
        shown.innerHTML = data.html;
        shown.scrollIntoView({ block: "start" });
        shown.focus();
      })
      .catch(function () {
        shown.textContent = "检查未能完成，请稍后再试。";
      })
      .finally(function () {
        button.disabled = false;
      });
  });
})();
