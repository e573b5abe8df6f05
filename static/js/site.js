// Progressive enhancement only: every link works without this file.
(function () {
  // The Menu link opens the menu by its address (#main-menu) without JavaScript; here it toggles
  // in place instead, without moving the page.
  var toggle = document.querySelector(".menu-toggle");
  var menu = document.getElementById("main-menu");
  if (!toggle || !menu) return;
  toggle.setAttribute("role", "button");
  toggle.addEventListener("keydown", function (event) {
    if (event.key === " ") {  // a button answers Space as well as Enter
      event.preventDefault();
      toggle.click();
    }
  });
  toggle.addEventListener("click", function (event) {
    event.preventDefault();
    var open = toggle.getAttribute("aria-expanded") === "true";
    toggle.setAttribute("aria-expanded", String(!open));
    menu.classList.toggle("open", !open);
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && menu.classList.contains("open")) {
      toggle.setAttribute("aria-expanded", "false");
      menu.classList.remove("open");
      toggle.focus();
    }
  });
})();

// The page view, counted once the page has loaded, even when a cache answered for the page
// (readership/beacon.py): no cookie, nothing for a browser that asks not to be tracked.
(function () {
  var body = document.body;
  var to = body.getAttribute("data-hit");
  if (!to || !navigator.sendBeacon) return;
  if (navigator.doNotTrack === "1" || navigator.globalPrivacyControl) return;
  var data = new URLSearchParams();
  data.set("e", document.documentElement.lang);
  data.set("i", body.getAttribute("data-item") || "");
  data.set("s", body.getAttribute("data-search") || "");
  try {
    var from = new URL(document.referrer);
    if (from.host !== location.host) data.set("r", from.hostname);
  } catch (error) {}  // no referrer, or not an address
  navigator.sendBeacon(to, data);
})();
