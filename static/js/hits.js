/* The click-count beacon. Behind a CDN (data-hit-mode="beacon") it counts every view, since the
   server never sees them; otherwise it counts only views the server saw as a prefetch or prerender,
   and only once the page is actually shown. It then shows the current count. */
(function () {
  var counter = document.querySelector("[data-hit-counter]");
  if (!counter || !window.fetch) {
    return;
  }
  var number = counter.querySelector("[data-hit-count]");

  function send(reason) {
    window
      .fetch(counter.getAttribute("data-hit-url"), {
        method: "POST",
        cache: "no-store",
        credentials: "same-origin",
        headers: { "X-Hit-Reason": reason },
      })
      .then(function (response) {
        return response.ok ? response.json() : null;
      })
      .then(function (data) {
        if (data && typeof data.count === "number") {
          number.textContent = String(data.count);
        }
      })
      .catch(function () {
        /* The count shown stays as it was. */
      });
  }

  var navigation = window.performance && performance.getEntriesByType
    ? performance.getEntriesByType("navigation")[0]
    : null;
  var wasPrefetched = Boolean(
    navigation && (navigation.deliveryType === "navigational-prefetch" || navigation.activationStart > 0)
  );

  if (document.prerendering) {
    document.addEventListener(
      "prerenderingchange",
      function () {
        send("prerender");
      },
      { once: true }
    );
  } else if (counter.getAttribute("data-hit-mode") === "beacon") {
    send("view");
  } else if (wasPrefetched) {
    send("prefetch");
  }
})();
