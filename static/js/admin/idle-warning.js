// The idle logout's warning (security/idle_middleware.py decides; this only tells). Before the
// session's idle time runs out, a dialog says so, counts down, and offers 继续保持登录, which the
// server counts as activity. Typing in a form is not activity: the server sees only what is sent.
// The page's own clock is checked against the server's before the dialog is shown, so a colleague
// working in another tab of the same session is not warned. When the time is up the server has
// signed the session out, and the page goes to the login screen, which brings the user back here.
(function () {
  "use strict";

  var script = document.currentScript;
  if (!script || !script.dataset.idleSeconds) {
    return;
  }
  var limit = parseFloat(script.dataset.idleSeconds);
  var statusUrl = script.dataset.statusUrl;
  var keepAliveUrl = script.dataset.keepAliveUrl;
  var loginUrl = script.dataset.loginUrl;
  var minutesText = script.dataset.idleMinutes;
  // Two minutes' warning, or half the time for a short limit.
  var warnBefore = Math.min(120, limit / 2);
  var deadline = Date.now() + limit * 1000;
  var timer = null;
  var ticker = null;
  var dialog = null;
  var countdown = null;
  var button = null;
  var focusedBefore = null;
  var over = false;

  function config() {
    var element = document.getElementById("wagtail-config");
    try {
      return element ? JSON.parse(element.textContent) : {};
    } catch (error) {
      return {};
    }
  }

  function secondsLeft() {
    return Math.max(0, Math.ceil((deadline - Date.now()) / 1000));
  }

  function shownTime(seconds) {
    var minutes = Math.floor(seconds / 60);
    var rest = seconds % 60;
    if (minutes > 0) {
      return minutes + " 分 " + (rest < 10 ? "0" : "") + rest + " 秒";
    }
    return rest + " 秒";
  }

  function ask(method, url) {
    var headers = { Accept: "application/json" };
    if (method === "POST") {
      var settings = config();
      if (settings.CSRF_HEADER_NAME) {
        headers[settings.CSRF_HEADER_NAME] = settings.CSRF_TOKEN;
      }
    }
    return fetch(url, {
      method: method,
      headers: headers,
      credentials: "same-origin",
      redirect: "manual"
    }).then(function (response) {
      if (!response.ok) {
        throw new Error("signed out");
      }
      return response.json();
    });
  }

  function schedule(remaining) {
    deadline = Date.now() + remaining * 1000;
    clearTimeout(timer);
    timer = setTimeout(check, Math.max(0, remaining - warnBefore) * 1000);
  }

  function check() {
    if (over) {
      return;
    }
    ask("GET", statusUrl).then(function (data) {
      if (data.remaining > warnBefore + 1) {
        hide();
        schedule(data.remaining);
      } else if (data.remaining > 0) {
        deadline = Date.now() + data.remaining * 1000;
        show();
      } else {
        signedOut();
      }
    }, signedOut);
  }

  function build() {
    dialog = document.createElement("div");
    dialog.className = "idle-warning";
    dialog.setAttribute("role", "alertdialog");
    dialog.setAttribute("aria-modal", "true");
    dialog.setAttribute("aria-labelledby", "idle-warning-title");
    dialog.setAttribute("aria-describedby", "idle-warning-text");
    dialog.hidden = true;
    var box = document.createElement("div");
    box.className = "idle-warning__box";
    var title = document.createElement("h2");
    title.id = "idle-warning-title";
    title.className = "idle-warning__title";
    title.textContent = "即将自动退出登录";
    var text = document.createElement("p");
    text.id = "idle-warning-text";
    text.className = "idle-warning__text";
    var warning = ["您已有一段时间未操作。为保护账号安全，超过 ", minutesText, " 分钟未操作将自动退出登录。"];
    text.textContent = warning.join("") + "正在编辑的页面会自动保存为草稿。";
    var clock = document.createElement("p");
    clock.className = "idle-warning__clock";
    clock.appendChild(document.createTextNode("剩余时间："));
    countdown = document.createElement("strong");
    countdown.className = "idle-warning__countdown";
    clock.appendChild(countdown);
    button = document.createElement("button");
    button.type = "button";
    button.className = "button idle-warning__button";
    button.textContent = "继续保持登录";
    button.addEventListener("click", keepAlive);
    box.appendChild(title);
    box.appendChild(text);
    box.appendChild(clock);
    box.appendChild(button);
    dialog.appendChild(box);
    dialog.addEventListener("keydown", function (event) {
      // Focus stays in the dialog while it is open: its one button.
      if (event.key === "Tab") {
        event.preventDefault();
        button.focus();
      }
    });
    document.body.appendChild(dialog);
  }

  function tick() {
    var left = secondsLeft();
    countdown.textContent = shownTime(left);
    if (left <= 0) {
      clearInterval(ticker);
      ticker = null;
      // The server decides; a moment's grace for the clocks to agree.
      setTimeout(check, 500);
    }
  }

  function show() {
    if (!dialog) {
      build();
    }
    if (dialog.hidden) {
      focusedBefore = document.activeElement;
      dialog.hidden = false;
      button.focus();
    }
    tick();
    if (!ticker) {
      ticker = setInterval(tick, 1000);
    }
  }

  function hide() {
    clearInterval(ticker);
    ticker = null;
    if (dialog && !dialog.hidden) {
      dialog.hidden = true;
      if (focusedBefore && focusedBefore.focus) {
        focusedBefore.focus();
      }
    }
  }

  function keepAlive() {
    button.disabled = true;
    ask("POST", keepAliveUrl).then(
      function (data) {
        button.disabled = false;
        hide();
        schedule(data.remaining);
      },
      function () {
        button.disabled = false;
        signedOut();
      }
    );
  }

  function signedOut() {
    if (over) {
      return;
    }
    over = true;
    clearTimeout(timer);
    hide();
    if (!dialog) {
      build();
    }
    dialog.querySelector(".idle-warning__title").textContent = "已自动退出登录";
    dialog.querySelector(".idle-warning__text").textContent =
      "您已超过 " + minutesText + " 分钟未操作，为安全起见已自动退出，请重新登录。";
    dialog.querySelector(".idle-warning__clock").hidden = true;
    var next = window.location.pathname + window.location.search;
    var target = loginUrl + "?next=" + encodeURIComponent(next);
    button.textContent = "重新登录";
    button.removeEventListener("click", keepAlive);
    button.addEventListener("click", function () {
      window.location.assign(target);
    });
    dialog.hidden = false;
    button.focus();
    window.location.assign(target);
  }

  schedule(limit);
})();
