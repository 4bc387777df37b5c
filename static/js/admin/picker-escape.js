// Esc closes the date picker, and only the picker. Wagtail's dialogs (设置发布计划, the schedule
// dialog) close on Esc too, and they hear it first, on the document: pressing Esc to close the
// picker also closed the dialog, and the time just typed was gone from sight before it was saved.
// Listening on the window, which hears a key before the document does, the picker is closed here
// and the key goes no further while a picker is open.
(function () {
  "use strict";

  function openPicker() {
    var pickers = document.querySelectorAll(".xdsoft_datetimepicker");
    for (var i = 0; i < pickers.length; i++) {
      // Shown, wherever it sits (inside a dialog it is fixed in place, and has no offsetParent).
      if (pickers[i].getClientRects().length > 0) return pickers[i];
    }
    return null;
  }

  window.addEventListener(
    "keydown",
    function (event) {
      // The picker is jQuery's datetimepicker, open for the field that has the focus.
      var $ = window.jQuery;
      if (event.key !== "Escape" || !$ || !openPicker()) return;
      var field = $(document.activeElement);
      if (field.data("xdsoft_datetimepicker")) {
        field.datetimepicker("hide");
      } else {
        $(".xdsoft_datetimepicker:visible").hide();
      }
      event.preventDefault();
      event.stopImmediatePropagation();
    },
    true
  );
})();
