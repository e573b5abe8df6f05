/* Numbers that scripts put into the admin's messages ("3 of 40 selected" from Django's own
 * actions.js, a count in a dialog) in the digits of the Persian and Arabic admin, as
 * nejat/editions/admin_digits.py writes those of the pages: a page in Persian digits said "1 از 32" as soon
 * as a row was ticked. Every message of the JavaScript catalogue is filled in by interpolate(),
 * so its numbers are written there; text (titles, names, addresses) is left as it is.
 * Deferred (templates/admin/base_site.html): it runs after the catalogue, before the page's
 * scripts answer DOMContentLoaded.
 */
(function () {
  "use strict";
  // Named, not left to the locale: Chromium writes "ar" numbers in Latin digits.
  var NUMBERING = { fa: "arabext", ar: "arab" }; // ۰-۹ and ٠-٩, nejat/editions/admin_digits.py's
  var lang = document.documentElement.lang;
  if (!NUMBERING[lang] || typeof window.interpolate !== "function") return;
  var digits = new Intl.NumberFormat(lang, { numberingSystem: NUMBERING[lang], useGrouping: false });
  var interpolate = window.interpolate; // the catalogue's (admin/js/jquery.init.js replaces window.django)

  function local(value) {
    return typeof value === "number" ? digits.format(value) : value;
  }

  window.interpolate = function (format, values, named) {
    var written = {};
    if (named) {
      Object.keys(values).forEach(function (key) { written[key] = local(values[key]); });
    } else {
      written = Array.prototype.map.call(values, local);
    }
    return interpolate(format, written, named);
  };
})();
