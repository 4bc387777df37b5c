// The image and document libraries' file fields (add and edit pages, the choosers' upload tabs).
// A file over the library's size limit is refused as soon as it is chosen, before a byte of it is
// sent: the field says why, naming the file, and is emptied. And a new file chosen after a refusal
// takes the old refusal away, so the message beside the field is about the file in it. The limit
// and the message come from the field itself (news/library/uploads.py); the server checks again.
(function () {
  "use strict";

  // As news/library/files.py writes the size of a file over a limit: "0.4 KB", "5.1 KB",
  // "28.6 MB", rounded up, so that a file a few bytes over 5 MB is not said to have 5.0 MB.
  function sizeInWords(size) {
    var value = Math.max(size / 1024, 0.1);
    var units = ["KB", "MB", "GB"];
    var unit = 0;
    while (unit < units.length - 1 && Math.round(value * 10) / 10 >= 1024) {
      value /= 1024;
      unit += 1;
    }
    return (Math.ceil(value * 10) / 10).toFixed(1) + "\u00a0" + units[unit];
  }

  function errorsOf(input) {
    var field = input.closest("[data-field]");
    return field ? { field: field, errors: field.querySelector("[data-field-errors]") } : null;
  }

  function forgetRefusal(input) {
    var place = errorsOf(input);
    if (!place || !place.errors) return;
    place.errors.replaceChildren();
    place.field.classList.remove("w-field--error");
    input.removeAttribute("aria-invalid");
  }

  function refuse(input, message) {
    var place = errorsOf(input);
    input.value = "";
    input.setAttribute("aria-invalid", "true");
    if (!place || !place.errors) {
      window.alert(message);
      return;
    }
    var text = document.createElement("p");
    text.className = "error-message";
    text.setAttribute("role", "alert");
    text.textContent = message;
    place.errors.replaceChildren(text);
    place.field.classList.add("w-field--error");
  }

  // Capturing, so the check comes before Wagtail's own handlers copy the file's name into the
  // title: an emptied field gives them no name to copy.
  document.addEventListener(
    "input",
    function (event) {
      var input = event.target;
      if (!(input instanceof HTMLInputElement) || input.type !== "file") return;
      if (!input.hasAttribute("data-max-upload-size")) return;
      forgetRefusal(input);
      var limit = Number(input.getAttribute("data-max-upload-size"));
      var file = input.files && input.files[0];
      if (file && limit && file.size > limit) {
        var message = input
          .getAttribute("data-too-big-message")
          .replace("{size}", sizeInWords(file.size))
          // A function, so that "$&" in a file's name is not a replacement pattern.
          .replace("{name}", function () { return file.name; });
        refuse(input, message);
      }
    },
    true
  );
})();
