/* 图片新闻 carousel. Without JavaScript the slides are a swipeable, scrollable row; with it they
   also advance every 6 seconds, with previous / pause / next buttons. It never moves for readers
   who ask for reduced motion, and stops while the pointer or keyboard focus is on it. */
(function () {
  document.querySelectorAll("[data-carousel]").forEach(function (carousel) {
    var track = carousel.querySelector("[data-carousel-track]");
    var slides = track.children;
    var controls = carousel.querySelector("[data-carousel-controls]");
    var toggle = carousel.querySelector("[data-carousel-toggle]");
    if (slides.length < 2) {
      return;
    }
    var reduceMotion = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
    var paused = reduceMotion;
    var hovering = false;
    var index = 0;
    controls.hidden = false;

    function show(next) {
      index = (next + slides.length) % slides.length;
      track.scrollTo({ left: slides[index].offsetLeft - track.offsetLeft, behavior: reduceMotion ? "auto" : "smooth" });
    }
    function setPaused(value) {
      paused = value;
      toggle.textContent = paused ? "播放" : "暂停";
      toggle.setAttribute("aria-pressed", String(paused));
    }
    setPaused(paused);
    carousel.querySelector("[data-carousel-prev]").addEventListener("click", function () {
      show(index - 1);
    });
    carousel.querySelector("[data-carousel-next]").addEventListener("click", function () {
      show(index + 1);
    });
    toggle.addEventListener("click", function () {
      setPaused(!paused);
    });
    ["mouseenter", "focusin"].forEach(function (name) {
      carousel.addEventListener(name, function () {
        hovering = true;
      });
    });
    ["mouseleave", "focusout"].forEach(function (name) {
      carousel.addEventListener(name, function () {
        hovering = false;
      });
    });
    window.setInterval(function () {
      if (!paused && !hovering && !document.hidden) {
        show(index + 1);
      }
    }, 6000);
  });
})();
