/* Writing aids in the admin's forms: words and reading time under each rich-text body, the
 * page's address under each slug as the title is typed, and the language switch named and set
 * as the tabs are. Numbers are written as the edition writes them (Persian digits in Persian:
 * interpolate() writes them so, local-digits.js).
 */
(function () {
  "use strict";
  var permalinkUrl = document.currentScript.dataset.permalinkUrl;
  var lang = document.documentElement.lang || "en";
  // A bar between the parts of a line in the Persian and Arabic admins, where a middle dot
  // beside their digits reads as a zero (nejat.editions.separator).
  var SEPARATOR = document.documentElement.dir === "rtl" ? " | " : " · ";
  var WORDS_A_MINUTE = 200;

  function countWords(html) {
    var text = new DOMParser().parseFromString(html, "text/html").body.textContent || "";
    return text.split(/\s+/u).filter(function (word) {
      return /[\p{L}\p{N}]/u.test(word);
    }).length;
  }

  function wordCount(textarea) {
    var line = document.createElement("p");
    line.className = "help writing-aid word-count";
    line.setAttribute("aria-live", "polite");
    textarea.after(line);
    function update() {
      var words = countWords(textarea.value);
      var minutes = Math.max(1, Math.ceil(words / WORDS_A_MINUTE));
      line.textContent = words
        ? interpolate(ngettext("%s word", "%s words", words), [words]) +
          SEPARATOR +
          interpolate(
            ngettext("%s minute to read", "%s minutes to read", minutes),
            [minutes]
          )
        : "";
    }
    textarea.addEventListener("input", update);
    update();
  }

  function permalink(slug, title, url) {
    var line = document.createElement("p");
    line.className = "help writing-aid permalink";
    line.setAttribute("aria-live", "polite");
    slug.parentNode.append(line);
    var code = slug.name.slice(slug.name.lastIndexOf("_") + 1);
    var timer;
    function update() {
      var query = new URLSearchParams({ code: code, title: title.value, slug: slug.value });
      fetch(url + "?" + query, { credentials: "same-origin", redirect: "manual" })
        .then(function (response) {
          return response.ok ? response.json() : { url: "" };
        })
        .then(function (answer) {
          line.textContent = "";
          if (!answer.url) return;
          line.append(gettext("Address:") + " ");
          var address = document.createElement("bdi");
          address.dir = "ltr";
          address.textContent = decodeURI(answer.url);
          line.append(address);
          if (answer.note) line.append(" " + answer.note);
        })
        .catch(function () {});
    }
    function soon() {
      clearTimeout(timer);
      timer = setTimeout(update, 400);
    }
    title.addEventListener("input", soon);
    slug.addEventListener("input", soon);
    update();
  }

  // django-modeltranslation's switch names the languages by code ("en") and stays on the first
  // one, while its tabs open on the admin's language: name them in that language, and agree.
  // Opened to translate (nejat/editorial/translating.py): the tabs open on the language translated into.
  function languageSwitch(select) {
    var names = new Intl.DisplayNames([lang], { type: "language" });
    var source = document.querySelector(".translation-source");
    var into = source ? source.dataset.translateInto : lang;
    Array.prototype.forEach.call(select.options, function (option) {
      var code = option.textContent.trim();
      option.textContent = names.of(code) || code;
      if (code === into) select.value = option.value;
    });
    if (into !== lang) select.dispatchEvent(new Event("change"));
  }

  var form = document.querySelector("#content-main form");
  if (!form) return;
  form.querySelectorAll("textarea[data-django-prose-editor-configurable]").forEach(wordCount);
  var url = permalinkUrl;
  if (url) {
    form.querySelectorAll("input[name^='slug_']").forEach(function (slug) {
      var title = form.querySelector("[name='title_" + slug.name.slice(5) + "']");
      if (title) permalink(slug, title, url);
    });
  }
  // The switch is made when jQuery is ready, which may come after this script and after "load".
  function switchReady() {
    var select = document.getElementById("modeltranslation-main-switch");
    if (select) languageSwitch(select);
    return Boolean(select);
  }
  var header = document.querySelector("#content h1");
  if (header && !switchReady()) {
    new MutationObserver(function (changes, observer) {
      if (switchReady()) observer.disconnect();
    }).observe(header, { childList: true });
  }
})();
