/* Every file input of the admin speaks the admin's language. The browser draws its own button
 * and "no file chosen" text in the browser's language (an English Chromium in the Persian admin
 * says "Choose File"), so the input is kept (focusable, sent, droppable) but drawn as a label in
 * the admin's words, with the chosen files' names beside it. The words come from the script's
 * tag (templates/admin/base_site.html); inputs added later (a dialog, an inline's new row) are
 * dressed too. */
(function () {
  "use strict";
  var words = document.currentScript.dataset;
  var lang = document.documentElement.lang || "en";
  var list = window.Intl && Intl.ListFormat ? new Intl.ListFormat(lang, { style: "narrow", type: "unit" }) : null;
  var made = 0;

  function dress(input) {
    if (input.classList.contains("file-input-native")) return;
    if (!input.id) input.id = "file-input-" + (made += 1);
    var label = document.createElement("label");
    label.htmlFor = input.id;
    label.className = "button file-choose";
    label.textContent = input.multiple ? words.chooseMany : words.choose;
    var chosen = document.createElement("span");
    chosen.className = "file-chosen";
    chosen.setAttribute("aria-live", "polite");
    function show() {
      var names = Array.from(input.files || []).map(function (file) { return file.name; });
      chosen.textContent = !names.length ? words.none : list ? list.format(names) : names.join(", ");
    }
    input.classList.add("file-input-native");
    input.after(label, chosen);
    input.addEventListener("change", show);
    show();
  }

  function dressAll(root) {
    if (root.matches && root.matches("input[type=file]")) dress(root);
    if (root.querySelectorAll) root.querySelectorAll("input[type=file]").forEach(dress);
  }

  dressAll(document);
  new MutationObserver(function (changes) {
    changes.forEach(function (change) { change.addedNodes.forEach(dressAll); });
  }).observe(document.body, { childList: true, subtree: true });
})();
