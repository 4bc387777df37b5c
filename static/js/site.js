/* Reading tools: the 大/中/小 font-size switch and the 适老化 mode (both remembered in localStorage),
   the compact header's 搜索 and 菜单, the print button (the printed page carries the day it was
   printed), 分享's 复制链接, the 纠错 link's selected words and 站内搜索's 自定义 dates. Readers without JavaScript never see these dead buttons: the
   header's are shown only on a page prefs.js has marked as scripted (css/site.css), so they are
   there from the first paint; the others are hidden until this script runs. */
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

  // The compact header's 搜索 and 菜单 (shown by css/site.css on a narrow screen or with large
  // text) each open what they control under the row; Esc inside it folds it again.
  document.querySelectorAll("[data-header-toggle]").forEach(function (toggle) {
    var panel = document.getElementById(toggle.getAttribute("aria-controls"));
    if (!panel) {
      toggle.hidden = true;
      return;
    }
    function setOpen(open) {
      toggle.setAttribute("aria-expanded", String(open));
      panel.classList.toggle("header-panel--open", open);
    }
    toggle.addEventListener("click", function () {
      var open = toggle.getAttribute("aria-expanded") !== "true";
      setOpen(open);
      var field = panel.querySelector("input");
      if (open && field) {
        field.focus();
      }
    });
    panel.addEventListener("keydown", function (event) {
      var compact = toggle.getClientRects().length > 0;
      if (event.key === "Escape" && compact && toggle.getAttribute("aria-expanded") === "true") {
        // Handled here: the 无障碍 toolbar's Esc (a11y-toolbar.js) leaves it alone.
        event.preventDefault();
        setOpen(false);
        toggle.focus();
      }
    });
  });

  function today() {
    var now = new Date();
    function two(number) {
      return (number < 10 ? "0" : "") + number;
    }
    return now.getFullYear() + "-" + two(now.getMonth() + 1) + "-" + two(now.getDate());
  }
  // The day of printing, by the reader's clock (a page may have been cached on another day).
  function datePrints() {
    document.querySelectorAll("[data-print-date]").forEach(function (date) {
      date.textContent = "打印日期：" + today();
    });
  }
  datePrints();
  window.addEventListener("beforeprint", datePrints);

  document.querySelectorAll("[data-copy-link]").forEach(function (button) {
    var field = document.getElementById(button.getAttribute("data-copy-link"));
    var status = button.parentElement.querySelector("[data-copy-status]");
    button.hidden = false;
    function say(text) {
      status.textContent = text;
    }
    function copyBySelecting() {
      field.focus();
      field.select();
      var copied = false;
      try {
        copied = document.execCommand("copy");
      } catch (e) {
        copied = false;
      }
      say(copied ? "已复制本文地址。" : "地址已选中，请按 Ctrl+C（手机上长按）复制。");
    }
    button.addEventListener("click", function () {
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(field.value).then(function () {
          say("已复制本文地址。");
        }, copyBySelecting);
      } else {
        copyBySelecting();
      }
    });
  });

  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      window.print();
    });
  });

  // The footer's 纠错 link carries the page's address; the words the reader last selected on
  // the page go with it (interaction/sending.py puts them into the form).
  var correction = document.querySelector("[data-correction-link]");
  if (correction) {
    var correctionBase = correction.getAttribute("href");
    document.addEventListener("selectionchange", function () {
      var selected = String(window.getSelection ? window.getSelection() : "").trim();
      if (selected) {
        // By characters, so that no emoji is cut in half (encodeURIComponent refuses half a one).
        var text = Array.from(selected).slice(0, 500).join("");
        correction.setAttribute("href", correctionBase + "&text=" + encodeURIComponent(text));
      }
    });
  }

  // 站内搜索: a date typed or picked means 自定义 (the server reads it so even without this
  // script, news/search/filters.py); choosing a preset again leaves the dates for the server to
  // set aside.
  var period = document.querySelector("[data-search-period]");
  if (period) {
    document.querySelectorAll("[data-search-date]").forEach(function (field) {
      field.addEventListener("change", function () {
        if (field.value) {
          period.value = "custom";
        }
      });
    });
  }
})();
