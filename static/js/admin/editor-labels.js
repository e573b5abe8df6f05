/* The rich-text editor in the editor's language.
 *
 * django-prose-editor asks Django's JavaScript catalogue (the admin's jsi18n, loaded before it)
 * for its dialogs' words, but not for its menu's tooltips and block names ("bold", "Heading 2"):
 * this translates those as the menu is built. Both kinds are in our catalogues
 * (locale/<code>/LC_MESSAGES/djangojs.po); EDITOR_STRINGS names them so `make messages` keeps
 * them. Copied exactly from django-prose-editor 0.28.
 */
(function () {
  "use strict";
  var EDITOR_STRINGS = [
    // The menu's tooltips and block names (not translated by the library).
    gettext_noop("bold"), gettext_noop("italic"), gettext_noop("underline"),
    gettext_noop("strike"), gettext_noop("subscript"), gettext_noop("superscript"),
    gettext_noop("Paragraph"), gettext_noop("paragraph"), gettext_noop("Heading 2"),
    gettext_noop("Heading 3"), gettext_noop("Heading 4"), gettext_noop("heading 2"),
    gettext_noop("heading 3"), gettext_noop("heading 4"), gettext_noop("unordered list"),
    gettext_noop("ordered list"), gettext_noop("blockquote"), gettext_noop("horizontal rule"),
    gettext_noop("insert link"), gettext_noop("remove link"), gettext_noop("figure"),
    gettext_noop("Insert table"), gettext_noop("Merge cells"), gettext_noop("Split cell"),
    gettext_noop("Add column"), gettext_noop("Delete column"), gettext_noop("Add row"),
    gettext_noop("Delete row"), gettext_noop("Toggle header cell"), gettext_noop("Delete table"),
    gettext_noop("undo"), gettext_noop("redo"), gettext_noop("edit HTML"),
    gettext_noop("Block style"), gettext_noop("Reset all classes"),
    // The dialogs' words (the library asks the catalogue for these itself).
    gettext_noop("Image URL"), gettext_noop("Alternative Text"), gettext_noop("Caption"),
    gettext_noop("Add caption"), gettext_noop("Remove caption"), gettext_noop("Edit Figure"),
    gettext_noop("Insert Figure"), gettext_noop("Edit Image"), gettext_noop("Browse..."),
    gettext_noop("Update"), gettext_noop("Insert"), gettext_noop("Cancel"),
    gettext_noop("Edit HTML"), gettext_noop("Prettify"), gettext_noop("URL"),
    gettext_noop("Title"), gettext_noop("Open in new window"), gettext_noop("Edit Link"),
    gettext_noop("List properties"), gettext_noop("Toggle fullscreen"), gettext_noop("Bullets"),
    gettext_noop("Decimal numbers"), gettext_noop("Lowercase letters"),
    gettext_noop("Uppercase letters"), gettext_noop("Lowercase Roman numerals"),
    gettext_noop("Uppercase Roman numerals"), gettext_noop("Start at"), gettext_noop("List type"),
    gettext_noop("Rows"), gettext_noop("Columns"), gettext_noop("Include header row"),
    gettext_noop("Table Properties"), gettext_noop("Insert Table"),
    gettext_noop(
      "The HTML contents of the editor. Note that the allowed HTML is restricted by the editor schema."
    ),
  ];
  var ATTRIBUTES = ["title", "aria-label"];
  var known = new Set(EDITOR_STRINGS);

  function translate(element) {
    ATTRIBUTES.forEach(function (name) {
      var value = element.getAttribute(name);
      if (value && known.has(value)) element.setAttribute(name, gettext(value));
    });
    // Block names are text ("Heading 2"); an icon button's text is its icon's name ("subscript"
    // draws the icon): left alone.
    var icon = element.classList.contains("material-icons");
    if (!icon && element.children.length === 0 && known.has(element.textContent.trim())) {
      element.textContent = gettext(element.textContent.trim());
    }
  }

  function translateWithin(root) {
    if (root.nodeType !== 1 || !root.closest(".prose-editor, dialog")) return;
    translate(root);
    root.querySelectorAll("*").forEach(translate);
  }

  new MutationObserver(function (changes) {
    changes.forEach(function (change) {
      change.addedNodes.forEach(translateWithin);
    });
  }).observe(document.documentElement, { childList: true, subtree: true });
  document.querySelectorAll(".prose-editor").forEach(translateWithin);
})();
