/* The 无障碍 toolbar of the national 适老化 and accessibility norms, opened by the 无障碍 button:
   语音朗读 (指读 reads what the pointer or keyboard focus is on, 连读 reads the page's text from the
   top, with 慢/中/快 and 停止) through the browser's own speech synthesis; 页面缩放 from 100% to 200%
   (the text grows and the page reflows, so nothing scrolls sideways); 大鼠标; 十字线 (a guide that
   follows the pointer and the focus); 高对比 (the site's 适老化 mode); 纯文本 (the page without
   pictures, colours or columns); 大字幕 (the text under the pointer or focus, large, in a bar at the
   bottom); and 重置. Every choice is remembered across pages (localStorage, applied before the page
   is drawn by prefs.js), and the status line says what the last button did. Esc, wherever the
   focus is, stops what is being read aloud, or else closes the toolbar. Runs before site.js, so
   the toolbar's 高对比 and 字号 buttons are wired like the header's 适老化 and 字号. */
(function () {
  "use strict";

  var root = document.documentElement;
  var ZOOMS = [1, 1.25, 1.5, 1.75, 2];
  var template = document.getElementById("a11y-toolbar-template");
  var opener = document.querySelector("[data-a11y-open]");
  if (!template || !opener || !window.readerPrefs) {
    return;
  }
  // Where the choices are kept and the html class each switch sets, as prefs.js applies them.
  var STORE = window.readerPrefs.toolbar.key;
  var CLASSES = window.readerPrefs.toolbar.classes;
  var NO_SPEECH = "此浏览器不支持语音朗读。可改用手机或电脑系统自带的“朗读屏幕”功能。";
  var NO_CHINESE_VOICE =
    "此浏览器没有中文语音，无法朗读。请在系统设置中添加“中文（普通话）”语音后再试，或改用系统自带的“朗读屏幕”功能。";
  var NOT_YET_ALLOWED = "请先在页面上任意处点击一下（或按一个键），浏览器随后才允许朗读。";
  // How long to wait for the browser's list of voices, which some browsers fill in a moment after
  // the page loads ("voiceschanged") and others, with no voice installed, never fill at all.
  var VOICES_WAIT_MS = 1500;
  var READABLE =
    "a, button, summary, img, input, select, textarea, [aria-label], h1, h2, h3, h4, p, li, dt, dd, th, td, caption, figcaption, label, time";
  var SKIPPED_IN_READ_ALL = "nav, .article__tools, .share, .print-only, .toc, .breadcrumbs, .a11y-toolbar, template";

  function load() {
    try {
      var stored = JSON.parse(window.localStorage.getItem(STORE));
      return stored && typeof stored === "object" ? stored : {};
    } catch (e) {
      return {};
    }
  }
  var state = load();
  function save() {
    try {
      window.localStorage.setItem(STORE, JSON.stringify(state));
    } catch (e) {
      /* Not remembered, but still applied to this page. */
    }
  }

  var toolbar = template.content.firstElementChild.cloneNode(true);
  template.parentNode.insertBefore(toolbar, template);
  var status = toolbar.querySelector("[data-a11y-status]");
  function say(text) {
    status.textContent = text;
  }

  /* Opening and closing ------------------------------------------------------------------------ */

  function setOpen(open, focus) {
    toolbar.hidden = !open;
    opener.setAttribute("aria-expanded", String(open));
    state.open = open;
    save();
    if (open && focus) {
      toolbar.querySelector("button").focus();
    }
  }
  opener.addEventListener("click", function () {
    setOpen(toolbar.hidden, true);
  });
  toolbar.querySelector("[data-a11y-close]").addEventListener("click", function () {
    setOpen(false);
    opener.focus();
  });
  // Esc is heard wherever the focus is (the toolbar stays open from page to page, and the focus
  // starts on the page), unless something it is in has used it, such as the header's search.
  // It first silences the reading, as 停止 does; pressed again, it closes the toolbar, and gives
  // the focus to 无障碍 only if it was inside the toolbar, which it leaves.
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape" || event.defaultPrevented) {
      return;
    }
    if (speaking()) {
      stop();
      say("已停止朗读。");
    } else if (!toolbar.hidden) {
      var inside = toolbar.contains(document.activeElement);
      setOpen(false);
      if (inside) {
        opener.focus();
      }
    }
  });

  /* The switches: 大鼠标, 十字线, 纯文本, 大字幕 and 指读 ------------------------------------------- */

  function setSwitch(name, on) {
    state[name] = on;
    save();
    if (CLASSES[name]) {
      root.classList.toggle(CLASSES[name], on);
    }
    toolbar.querySelector('[data-a11y-toggle="' + name + '"]').setAttribute("aria-pressed", String(on));
    if (name === "guide") {
      showGuide(on);
    } else if (name === "caption") {
      showCaption(on);
    } else if (name === "point" && !on) {
      stop();
    }
  }
  toolbar.querySelectorAll("[data-a11y-toggle]").forEach(function (button) {
    button.addEventListener("click", function () {
      var name = button.getAttribute("data-a11y-toggle");
      if (name !== "point") {
        setSwitch(name, !state[name]);
      } else if (state.point) {
        setSwitch(name, false);
        say("已关闭指读。");
      } else {
        pointOnIfVoiced();
      }
    });
  });

  /* 页面缩放 ------------------------------------------------------------------------------------ */

  var zoomValue = toolbar.querySelector("[data-a11y-zoom-value]");
  function setZoom(level) {
    var index = Math.max(0, Math.min(ZOOMS.length - 1, level));
    state.zoom = ZOOMS[index];
    save();
    root.style.setProperty("--zoom", String(state.zoom));
    zoomValue.textContent = Math.round(state.zoom * 100) + "%";
    toolbar.querySelector('[data-a11y-zoom="-1"]').disabled = index === 0;
    toolbar.querySelector('[data-a11y-zoom="1"]').disabled = index === ZOOMS.length - 1;
    return index;
  }
  function zoomIndex() {
    var index = ZOOMS.indexOf(state.zoom);
    return index < 0 ? 0 : index;
  }
  toolbar.querySelectorAll("[data-a11y-zoom]").forEach(function (button) {
    button.addEventListener("click", function () {
      var index = setZoom(zoomIndex() + Number(button.getAttribute("data-a11y-zoom")));
      say("页面缩放 " + Math.round(ZOOMS[index] * 100) + "%");
      // The other button may have just become disabled under the keyboard's focus.
      if (button.disabled) {
        toolbar.querySelector('[data-a11y-zoom="' + -Number(button.getAttribute("data-a11y-zoom")) + '"]').focus();
      }
    });
  });

  /* What is under the pointer or the focus, in words -------------------------------------------- */

  function words(text, limit) {
    var plain = (text || "").replace(/\s+/g, " ").trim();
    return plain.length > limit ? plain.slice(0, limit) + "…" : plain;
  }
  function readableElement(target) {
    return target && target.closest ? target.closest(READABLE) : null;
  }
  function describe(element) {
    var label = element.getAttribute("aria-label");
    var tag = element.tagName;
    if (tag === "IMG") {
      return element.alt ? "图片：" + element.alt : "";
    }
    if (tag === "INPUT" || tag === "SELECT" || tag === "TEXTAREA") {
      var name = element.labels && element.labels.length ? element.labels[0].textContent : element.placeholder;
      return words((name || "输入框") + " " + (element.value || ""), 200);
    }
    var text = words(label || element.innerText || element.textContent, 300);
    if (!text) {
      return "";
    }
    if (tag === "A") {
      return "链接：" + text;
    }
    if (tag === "BUTTON" || tag === "SUMMARY") {
      var pressed = element.getAttribute("aria-pressed");
      return "按钮：" + text + (pressed === "true" ? "（已开启）" : pressed === "false" ? "（未开启）" : "");
    }
    return text;
  }

  /* 语音朗读 ------------------------------------------------------------------------------------- */

  var speech = window.speechSynthesis;
  var reading = [];
  function voice() {
    var chinese = speech.getVoices().filter(function (candidate) {
      return /^(zh|cmn)/i.test(candidate.lang);
    });
    var mainland = chinese.filter(function (candidate) {
      return /CN|Hans/i.test(candidate.lang);
    });
    return mainland[0] || chinese[0] || null;
  }
  function utterance(text, element) {
    var spoken = new window.SpeechSynthesisUtterance(text);
    spoken.lang = "zh-CN";
    spoken.rate = state.rate || 1;
    var chosen = voice();
    if (chosen) {
      spoken.voice = chosen;
    }
    spoken.onerror = function (event) {
      if (event.error === "not-allowed") {
        // Browsers speak only after the reader has clicked or pressed a key on the page.
        say(NOT_YET_ALLOWED);
      } else if (event.error !== "interrupted" && event.error !== "canceled") {
        say(NO_CHINESE_VOICE);
      }
    };
    if (element) {
      spoken.onstart = function () {
        element.classList.add("a11y-reading");
      };
      spoken.onend = function () {
        element.classList.remove("a11y-reading");
        // 连读 is over once its last part has been read.
        reading = reading.filter(function (part) {
          return part !== element;
        });
      };
    }
    return spoken;
  }
  function whenVoicesKnown(then) {
    if (!speech || speech.getVoices().length) {
      then();
      return;
    }
    var known = false;
    function once() {
      if (!known) {
        known = true;
        then();
      }
    }
    speech.addEventListener("voiceschanged", once);
    window.setTimeout(once, VOICES_WAIT_MS);
  }
  // Whether this browser can read Chinese, once its voices are known; if not, says why.
  function canSpeak() {
    if (!speech || !window.SpeechSynthesisUtterance) {
      say(NO_SPEECH);
      return false;
    }
    if (!voice()) {
      say(NO_CHINESE_VOICE);
      return false;
    }
    return true;
  }
  // 指读 shows pressed only where a Chinese voice can read; elsewhere it says why it cannot.
  function pointOnIfVoiced(remembered) {
    whenVoicesKnown(function () {
      var can = canSpeak();
      setSwitch("point", can);
      if (can && !remembered) {
        say("已开启指读：鼠标指向或键盘选中什么，就朗读什么。");
      }
    });
  }
  function speaking() {
    return reading.length > 0 || Boolean(speech && speech.speaking);
  }
  function stop() {
    if (speech) {
      speech.cancel();
    }
    reading.forEach(function (element) {
      element.classList.remove("a11y-reading");
    });
    reading = [];
  }
  function speak(text) {
    if (!text || !canSpeak()) {
      return;
    }
    stop();
    speech.speak(utterance(text));
  }
  function readAll() {
    whenVoicesKnown(readAllNow);
  }
  function readAllNow() {
    if (!canSpeak()) {
      return;
    }
    stop();
    var scope = document.querySelector("main .article") || document.querySelector("main");
    var parts = Array.prototype.filter.call(scope.querySelectorAll("h1, h2, h3, h4, p, li, caption, figcaption, th, td, dt, dd"), function (element) {
      var inside = element.parentElement.closest("h1, h2, h3, h4, p, li, caption, figcaption, th, td, dt, dd");
      return !element.closest(SKIPPED_IN_READ_ALL) && !(inside && scope.contains(inside)) && words(element.innerText, 1);
    });
    reading = parts;
    // Said first, so that a browser's refusal to speak is what stays on the screen.
    say("正在从头朗读，共 " + parts.length + " 段。按“停止”结束。");
    parts.forEach(function (element) {
      // One sentence group at a time: some browsers stop a single long utterance after a while.
      speech.speak(utterance(words(element.innerText, 2000), element));
    });
  }
  toolbar.querySelector("[data-a11y-read-all]").addEventListener("click", readAll);
  toolbar.querySelector("[data-a11y-stop]").addEventListener("click", function () {
    stop();
    say("已停止朗读。");
  });
  function setRate(rate) {
    state.rate = rate;
    save();
    toolbar.querySelectorAll("[data-a11y-rate]").forEach(function (button) {
      button.setAttribute("aria-pressed", String(Number(button.getAttribute("data-a11y-rate")) === rate));
    });
  }
  toolbar.querySelectorAll("[data-a11y-rate]").forEach(function (button) {
    button.addEventListener("click", function () {
      setRate(Number(button.getAttribute("data-a11y-rate")));
    });
  });

  /* 十字线 and 大字幕 ------------------------------------------------------------------------------- */

  var guide = null;
  var caption = null;
  function showGuide(on) {
    if (on && !guide) {
      guide = [document.createElement("div"), document.createElement("div")];
      guide[0].className = "a11y-guide a11y-guide--across";
      guide[1].className = "a11y-guide a11y-guide--down";
      guide.forEach(function (line) {
        line.setAttribute("aria-hidden", "true");
        document.body.appendChild(line);
      });
    }
    if (guide) {
      guide.forEach(function (line) {
        line.hidden = !on;
      });
    }
  }
  function moveGuide(x, y) {
    if (guide && state.guide) {
      guide[0].style.top = y + "px";
      guide[1].style.left = x + "px";
    }
  }
  function showCaption(on) {
    if (on && !caption) {
      caption = document.createElement("div");
      caption.className = "a11y-caption";
      // The same words are on the page already; the bar is for the eyes only.
      caption.setAttribute("aria-hidden", "true");
      document.body.appendChild(caption);
    }
    if (caption) {
      caption.hidden = !on;
    }
  }

  /* Following the pointer and the focus --------------------------------------------------------- */

  var lastPointed = null;
  var pointTimer = null;
  function pointedAt(element) {
    if (!element || element === lastPointed) {
      return;
    }
    lastPointed = element;
    var text = describe(element);
    if (state.caption && caption) {
      caption.textContent = text;
    }
    // Pointing does not break off 连读: only 停止 does.
    if (state.point && text && !reading.length) {
      speak(text);
    }
  }
  document.addEventListener("mousemove", function (event) {
    moveGuide(event.clientX, event.clientY);
  });
  document.addEventListener("mouseover", function (event) {
    if (!state.point && !state.caption) {
      return;
    }
    var element = readableElement(event.target);
    window.clearTimeout(pointTimer);
    // A pointer passing over the page on its way somewhere reads nothing.
    pointTimer = window.setTimeout(function () {
      pointedAt(element);
    }, 250);
  });
  document.addEventListener("focusin", function (event) {
    var box = event.target.getBoundingClientRect();
    moveGuide(box.left + box.width / 2, box.top + box.height / 2);
    if (state.point || state.caption) {
      pointedAt(readableElement(event.target) || event.target);
    }
  });

  // What a button just pressed has done, as it now stands (heard after its own handlers, including
  // site.js's for 高对比 and 字号). 指读 says its own, as it may have to wait for the voices.
  function outcome(button) {
    var name = words(button.textContent, 20);
    var on = button.getAttribute("aria-pressed") === "true";
    if (button.hasAttribute("data-a11y-rate")) {
      return "语速：" + name + "。";
    }
    if (button.hasAttribute("data-font-size")) {
      return "字号：" + name + "。";
    }
    return (on ? "已开启" : "已关闭") + name + "。";
  }
  toolbar.addEventListener("click", function (event) {
    var button = event.target.closest("button[aria-pressed]");
    if (button && button.getAttribute("data-a11y-toggle") !== "point") {
      say(outcome(button));
    }
  });

  // A switch just pressed is read again (and captioned) as it now stands: "已开启" or "未开启".
  toolbar.addEventListener("click", function (event) {
    var button = event.target.closest("button");
    if (button && (button.hasAttribute("aria-pressed") || button.hasAttribute("data-a11y-zoom"))) {
      lastPointed = null;
      if (state.point || state.caption) {
        pointedAt(button);
      }
    }
  });

  /* 重置 ----------------------------------------------------------------------------------------- */

  toolbar.querySelector("[data-a11y-reset]").addEventListener("click", function () {
    Object.keys(CLASSES).concat(["point"]).forEach(function (name) {
      setSwitch(name, false);
    });
    setZoom(0);
    setRate(1);
    stop();
    // The 大/中/小 and 适老化 (高对比) switches are site.js's: pressed as a reader would.
    var medium = document.querySelector('[data-font-size="medium"]');
    if (medium && medium.getAttribute("aria-pressed") !== "true") {
      medium.click();
    }
    if (root.classList.contains("elder-mode")) {
      toolbar.querySelector("[data-elder-toggle]").click();
    }
    say("已恢复默认设置。");
  });

  /* As remembered --------------------------------------------------------------------------------- */

  Object.keys(CLASSES).forEach(function (name) {
    setSwitch(name, Boolean(state[name]));
  });
  if (state.point) {
    pointOnIfVoiced(true);
  }
  setZoom(zoomIndex());
  setRate(state.rate || 1);
  // Where the header is compact (a phone, or text large for the screen) the open toolbar would
  // fill the first screen of every page before the article: there it opens only when asked, and
  // the choices apply without it.
  var headerToggle = document.querySelector("[data-header-toggle]");
  var compact = Boolean(headerToggle && headerToggle.getClientRects().length);
  setOpen(Boolean(state.open) && !compact, false);
})();
