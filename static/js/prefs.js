/* Applies the reader's remembered font size, 适老化 mode and 无障碍 toolbar choices (zoom, large
   cursor, guide, plain text, captions; see a11y-toolbar.js) before the page is drawn, so the text
   never jumps, and marks the page as scripted (the header's folding, css/site.css). */
(function () {
  // Shared with a11y-toolbar.js: where its choices are kept, and the class each switch sets.
  var toolbarChoices = {
    key: "a11y-toolbar",
    classes: { cursor: "a11y-big-cursor", guide: "a11y-guide-on", text: "a11y-text-only", caption: "a11y-caption-on" }
  };
  window.readerPrefs = { toolbar: toolbarChoices };
  var root = document.documentElement;
  // Scripts run: on a narrow screen the header's search and menu start folded behind 搜索 and
  // 菜单 (site.js opens them), so they never show for a moment first.
  root.classList.add("js-enabled");
  try {
    var size = window.localStorage.getItem("font-size");
    if (size === "large" || size === "small") {
      root.classList.add("font-" + size);
    }
    if (window.localStorage.getItem("elder-mode") === "on") {
      root.classList.add("elder-mode");
    }
    var toolbar = JSON.parse(window.localStorage.getItem(toolbarChoices.key)) || {};
    Object.keys(toolbarChoices.classes).forEach(function (name) {
      if (toolbar[name]) {
        root.classList.add(toolbarChoices.classes[name]);
      }
    });
    if (toolbar.zoom > 1 && toolbar.zoom <= 2) {
      root.style.setProperty("--zoom", String(toolbar.zoom));
    }
  } catch (e) {
    /* Storage blocked or unreadable: the defaults are used. */
  }
})();
