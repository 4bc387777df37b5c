/* Applies the reader's remembered font size before the page is drawn, so the text never jumps. */
(function () {
  try {
    var size = window.localStorage.getItem("font-size");
    if (size === "large" || size === "small") {
      document.documentElement.classList.add("font-" + size);
    }
  } catch (e) {
    /* Storage blocked: the default size is used. */
  }
})();
