// Progressive enhancement for media pages; every link and control works without this file.
(function () {
  // Photo pages: arrow keys and swipes follow the previous/next links (mirrored right to left).
  var page = document.querySelector("[data-swipe-nav]");
  if (page) {
    var rtl = document.documentElement.dir === "rtl";
    var go = function (rel) {
      var link = document.querySelector(".photo-nav a[rel=" + rel + "]");
      if (link) window.location.href = link.href;
    };
    document.addEventListener("keydown", function (event) {
      if (event.altKey || event.ctrlKey || event.metaKey || /input|textarea/i.test(event.target.tagName)) return;
      if (event.key === "ArrowRight") go(rtl ? "prev" : "next");
      if (event.key === "ArrowLeft") go(rtl ? "next" : "prev");
    });
    var startX = null;
    page.addEventListener("touchstart", function (e) { startX = e.changedTouches[0].clientX; }, { passive: true });
    page.addEventListener("touchend", function (e) {
      if (startX === null) return;
      var dx = e.changedTouches[0].clientX - startX;
      startX = null;
      if (Math.abs(dx) < 50) return;
      go((dx < 0) !== rtl ? "next" : "prev");
    }, { passive: true });
  }
  // Video embeds: the third-party player is requested only when the reader presses play.
  document.querySelectorAll("[data-embed]").forEach(function (box) {
    var play = box.querySelector(".play");
    play.addEventListener("click", function (event) {
      event.preventDefault();
      var frame = document.createElement("iframe");
      frame.src = box.getAttribute("data-embed");
      frame.title = box.getAttribute("data-title");
      frame.allow = "autoplay; fullscreen; picture-in-picture";
      frame.allowFullscreen = true;
      frame.referrerPolicy = "strict-origin-when-cross-origin";
      box.replaceChildren(frame);
    });
  });
})();
