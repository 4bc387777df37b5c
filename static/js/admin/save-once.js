// One save per click. Wagtail saves the editor's form by itself a moment after each change; for a
// page not yet created, that autosave creates it and only then points the form at the new page's
// edit address. A 保存草稿 or 发布 clicked in that moment (leaving a field to click the button is
// itself a change) went to the "add" address as well, and made a second copy of the page. So a
// click made while an autosave is on its way waits for it, then goes to wherever the form now
// points; and once a save by hand has started, no autosave follows it.
(function () {
  "use strict";

  var autosaving = false;
  var held = null;
  var leaving = false;
  var HOLD_AT_MOST = 20000;

  function sendByHand(form, submitter) {
    leaving = true;
    // The button may be gone (the autosave redraws parts of the form) or disabled by its own
    // progress spinner, and a disabled button's name is not sent: carry the action in the form.
    if (submitter && submitter.name) {
      var action = document.createElement("input");
      action.type = "hidden";
      action.name = submitter.name;
      action.value = submitter.value;
      form.appendChild(action);
    }
    HTMLFormElement.prototype.submit.call(form);
  }

  function autosaveEnded() {
    autosaving = false;
    if (held) {
      var waiting = held;
      held = null;
      sendByHand(waiting.form, waiting.submitter);
    }
  }

  document.addEventListener("w-autosave:save", function (event) {
    if (leaving || held) {
      event.preventDefault();
      return;
    }
    autosaving = true;
    // An autosave something else called off sends nothing, and so never ends.
    setTimeout(function () {
      if (event.defaultPrevented) {
        autosaveEnded();
      }
    });
  });
  document.addEventListener("w-autosave:success", autosaveEnded);
  document.addEventListener("w-autosave:error", autosaveEnded);
  document.addEventListener("w-autosave:deactivated", autosaveEnded);

  document.addEventListener(
    "submit",
    function (event) {
      var form = event.target;
      if (!form.matches || !form.matches("form[data-edit-form]")) {
        return;
      }
      if (autosaving || held) {
        event.preventDefault();
        held = { form: form, submitter: event.submitter };
        // Normally sent when the autosave's answer arrives; checked again every 20 s, and never
        // sent while an autosave is on its way (that would make the second copy).
        setTimeout(function sendUnlessAutosaving() {
          if (!held) {
            return;
          }
          if (autosaving) {
            setTimeout(sendUnlessAutosaving, HOLD_AT_MOST);
            return;
          }
          autosaveEnded();
        }, HOLD_AT_MOST);
        return;
      }
      leaving = true;
    },
    true
  );
})();
