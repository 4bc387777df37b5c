/* Reading tools: the 大/中/小 font-size switch and the 适老化 mode (both remembered in localStorage),
   and the print button.
   Both are hidden until this script runs, so readers without JavaScript never see dead buttons. */
(function () {
  var root = document.documentElement;
  var sizes = ["large", "medium", "small"];

  function applySize(size) {
    sizes.forEach(function (name) {
      root.classList.toggle("font-" + name, name === size && name !== "medium");
    });
    document.querySelectorAll("[data-font-size]").forEach(function (button) {
      button.setAttribute("aria-pressed", String(button.getAttribute("data-font-size") === size));
    });
  }

  function storedSize() {
    try {
      return window.localStorage.getItem("font-size") || "medium";
    } catch (e) {
      return "medium";
    }
  }

  document.querySelectorAll("[data-reading-tools]").forEach(function (tools) {
    tools.hidden = false;
  });
  applySize(storedSize());
  document.querySelectorAll("[data-font-size]").forEach(function (button) {
    button.addEventListener("click", function () {
      var size = button.getAttribute("data-font-size");
      remember("font-size", size);
      applySize(size);
    });
  });

  function remember(key, value) {
    try {
      window.localStorage.setItem(key, value);
    } catch (e) {
      /* Not remembered, but still applied to this page. */
    }
  }

  document.querySelectorAll("[data-elder-toggle]").forEach(function (button) {
    button.setAttribute("aria-pressed", String(root.classList.contains("elder-mode")));
    button.addEventListener("click", function () {
      var on = !root.classList.contains("elder-mode");
      root.classList.toggle("elder-mode", on);
      remember("elder-mode", on ? "on" : "off");
      document.querySelectorAll("[data-elder-toggle]").forEach(function (other) {
        other.setAttribute("aria-pressed", String(on));
      });
    });
  });

  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      window.print();
    });
  });
})();
