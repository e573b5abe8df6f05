/* A Solar Hijri month calendar beside each date field of the Persian admin
 * (nejat/editions/solar_dates.py). The field holds the date as text, ۱۴۰۵/۰۹/۱۴, which the server turns
 * into the stored date. Months and days come from the browser's own Persian calendar (Intl):
 * no conversion tables here.
 */
(function () {
  "use strict";
  var DAY = 24 * 60 * 60 * 1000;
  var numeric = new Intl.DateTimeFormat("fa-IR-u-ca-persian-nu-latn", {
    year: "numeric", month: "numeric", day: "numeric", timeZone: "UTC",
  });
  var monthName = new Intl.DateTimeFormat("fa-IR-u-ca-persian", { month: "long", timeZone: "UTC" });
  var persian = new Intl.NumberFormat("fa-IR", { useGrouping: false });
  var WEEKDAYS = ["ش", "ی", "د", "س", "چ", "پ", "ج"]; // Saturday first
  var LATIN = { "۰": 0, "۱": 1, "۲": 2, "۳": 3, "۴": 4, "۵": 5, "۶": 6, "۷": 7, "۸": 8, "۹": 9,
                "٠": 0, "١": 1, "٢": 2, "٣": 3, "٤": 4, "٥": 5, "٦": 6, "٧": 7, "٨": 8, "٩": 9 };

  function solar(date) {
    var found = {};
    numeric.formatToParts(date).forEach(function (part) { found[part.type] = Number(part.value); });
    return { y: found.year, m: found.month, d: found.day };
  }

  function firstOfMonth(y, m) {
    // About the right day (the year starts near 21 March), then walk to the 1st of y/m.
    var date = new Date(Date.UTC(y + 621, 2, 21) + (m - 1) * 30.4 * DAY);
    var s = solar(date);
    while (s.y * 12 + s.m < y * 12 + m) { date = new Date(date.getTime() + DAY); s = solar(date); }
    while (s.y * 12 + s.m > y * 12 + m) { date = new Date(date.getTime() - DAY); s = solar(date); }
    return new Date(date.getTime() - (s.d - 1) * DAY);
  }

  function pad(number) {
    return persian.format(number).padStart(2, "۰");
  }

  function typed(input) {
    var text = input.value.replace(/[۰-۹٠-٩]/g, function (c) { return LATIN[c]; });
    var found = text.match(/^\s*(\d{4})\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{1,2})\s*$/);
    if (!found || +found[2] < 1 || +found[2] > 12 || +found[3] < 1 || +found[3] > 31) return null;
    return { y: +found[1], m: +found[2], d: +found[3] };
  }

  function today() {
    // The site's day, not the browser's (an editor abroad near midnight): the admin puts the
    // site's offset from UTC, in seconds, on <body>, as Django's own "Now" uses it.
    var offset = Number(document.body.dataset.adminUtcOffset || 0) * 1000;
    return solar(new Date(Date.now() + offset));
  }

  function attach(input) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "button solar-calendar-button";
    button.setAttribute("aria-expanded", "false");
    button.textContent = gettext("Calendar");
    input.after(button);
    var panel = null;

    function close() {
      if (panel) panel.remove();
      panel = null;
      button.setAttribute("aria-expanded", "false");
    }

    function choose(s) {
      input.value = persian.format(s.y) + "/" + pad(s.m) + "/" + pad(s.d);
      input.dispatchEvent(new Event("input", { bubbles: true }));
      input.dispatchEvent(new Event("change", { bubbles: true }));
      close();
      input.focus();
    }

    function show(y, m) {
      close();
      var first = firstOfMonth(y, m);
      var chosen = typed(input);
      var now = today();
      panel = document.createElement("div");
      panel.className = "solar-calendar";
      panel.setAttribute("role", "dialog");
      panel.setAttribute("aria-label", gettext("Calendar"));
      var head = document.createElement("div");
      head.className = "solar-calendar-head";
      var previous = document.createElement("button");
      previous.type = "button";
      previous.textContent = "›"; // right to left: the earlier month is on the right
      previous.setAttribute("aria-label", gettext("Previous month"));
      previous.addEventListener("click", function () { show(m === 1 ? y - 1 : y, m === 1 ? 12 : m - 1); });
      var next = document.createElement("button");
      next.type = "button";
      next.textContent = "‹";
      next.setAttribute("aria-label", gettext("Next month"));
      next.addEventListener("click", function () { show(m === 12 ? y + 1 : y, m === 12 ? 1 : m + 1); });
      var title = document.createElement("strong");
      title.textContent = monthName.format(first) + " " + persian.format(y);
      head.append(previous, title, next);
      var grid = document.createElement("div");
      grid.className = "solar-calendar-grid";
      WEEKDAYS.forEach(function (name) {
        var cell = document.createElement("span");
        cell.textContent = name;
        grid.append(cell);
      });
      for (var blank = (first.getUTCDay() + 1) % 7; blank > 0; blank--) {
        grid.append(document.createElement("span"));
      }
      for (var date = first; solar(date).m === m; date = new Date(date.getTime() + DAY)) {
        (function (s) {
          var day = document.createElement("button");
          day.type = "button";
          day.textContent = persian.format(s.d);
          day.dataset.date = s.y + "-" + s.m + "-" + s.d;
          if (chosen && chosen.y === s.y && chosen.m === s.m && chosen.d === s.d) {
            day.setAttribute("aria-pressed", "true");
          }
          if (now.y === s.y && now.m === s.m && now.d === s.d) day.className = "today";
          day.addEventListener("click", function () { choose(s); });
          grid.append(day);
        })(solar(date));
      }
      var todayButton = document.createElement("button");
      todayButton.type = "button";
      todayButton.className = "solar-calendar-today";
      todayButton.textContent = gettext("Today");
      todayButton.addEventListener("click", function () { choose(today()); });
      panel.append(head, grid, todayButton);
      panel.addEventListener("keydown", function (event) {
        if (event.key === "Escape") { close(); button.focus(); }
      });
      button.after(panel);
      button.setAttribute("aria-expanded", "true");
      (panel.querySelector("[aria-pressed=true]") || panel.querySelector(".today") ||
        grid.querySelector("button")).focus();
    }

    button.addEventListener("click", function () {
      if (panel) return close();
      var at = typed(input) || today();
      show(at.y, at.m);
    });
  }

  function start() {
    document.querySelectorAll("input.vSolarDateField").forEach(attach);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
