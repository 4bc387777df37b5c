/* Applies the reader's remembered font size and 适老化 mode before the page is drawn, so the text
   never jumps. */
(function () {
  try {
    var root = document.documentElement;
    var size = window.localStorage.getItem("font-size");
    if (size === "large" || size === "small") {
      root.classList.add("font-" + size);
    }
    if (window.localStorage.getItem("elder-mode") === "on") {
      root.classList.add("elder-mode");
    }
  } catch (e) {
    /* Storage blocked: the defaults are used. */
  }
})();
