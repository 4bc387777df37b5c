/* 互动交流's forms (interaction/): how many characters the content has, counted as the server
   counts them (a line break is one, an emoji is one), and the receipt's 复制 button. Everything
   works without it: the limits are also written beside each field and checked by the server. */
(function () {
  document.querySelectorAll("[data-count-for]").forEach(function (counter) {
    var field = document.getElementById(counter.getAttribute("data-count-for"));
    var shown = counter.querySelector("[data-count]");
    if (!field || !shown) {
      return;
    }
    var limit = parseInt(field.getAttribute("data-count-limit"), 10);
    function update() {
      var count = Array.from(field.value.replace(/\r\n/g, "\n")).length;
      shown.textContent = String(count);
      counter.classList.toggle("form-count--over", Boolean(limit) && count > limit);
    }
    counter.hidden = false;
    field.addEventListener("input", update);
    update();
  });

  document.querySelectorAll("[data-copy-receipt]").forEach(function (button) {
    var status = button.parentElement.querySelector("[data-copy-status]");
    var number = document.getElementById("receipt-number");
    var code = document.getElementById("receipt-code");
    if (!number || !code) {
      return;
    }
    var text = "受理编号：" + number.textContent.trim() + "  查询码：" + code.textContent.trim();
    function say(words) {
      if (status) {
        status.textContent = words;
      }
    }
    function selectCodes() {
      var range = document.createRange();
      range.selectNodeContents(button.closest("[id=receipt]") || code);
      var selection = window.getSelection();
      selection.removeAllRanges();
      selection.addRange(range);
      say("已选中，请按 Ctrl+C（手机上长按）复制。");
    }
    button.hidden = false;
    button.addEventListener("click", function () {
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(text).then(function () {
          say("已复制受理编号和查询码。");
        }, selectCodes);
      } else {
        selectCodes();
      }
    });
  });
})();
