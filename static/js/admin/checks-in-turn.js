// Wagtail checks the editor's preview with axe (the 检查 panel: accessibility, words, reading
// time) each time a preview has loaded. When the preview reloads several times during one run
// (an editor typing on while it updates, or a slow machine), every waiting check starts at once
// as that run ends; axe refuses all but the first ("Axe is already running") and those checks
// are lost. Here each run waits for the one before it, so every check is made, in turn.
(function () {
  "use strict";

  var axe = window.axe;
  if (!axe || axe.run.inTurn) {
    return;
  }
  var run = axe.run.bind(axe);
  var previous = Promise.resolve();

  function runInTurn() {
    var args = arguments;
    var result = previous.then(function () {
      return run.apply(null, args);
    });
    previous = result.catch(function () {});
    return result;
  }
  runInTurn.inTurn = true;
  axe.run = runInTurn;
})();
