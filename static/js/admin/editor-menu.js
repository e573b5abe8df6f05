/* Buttons of our own in the rich-text editor's menu (the link dialog, the media library), and
 * the small helpers their dialogs share. Loaded before the scripts that use it
 * (templates/admin/change_form.html). Tiptap keeps each editor's instance on its element, and
 * django-prose-editor announces the ones that start later ("prose-editor:ready").
 */
window.nejatEditorMenu = (function () {
  "use strict";

  function element(tag, properties, children) {
    var node = Object.assign(document.createElement(tag), properties || {});
    (children || []).forEach(function (child) { if (child) node.append(child); });
    return node;
  }

  // The edition an editor writes in: its textarea is "body_fa".
  function edition(editor) {
    var textarea = editor.view.dom.closest(".prose-editor").querySelector("textarea");
    return textarea ? textarea.name.slice(textarea.name.lastIndexOf("_") + 1) : document.documentElement.lang;
  }

  // After the library's button showing the icon `after`, a button of ours in every editor:
  // options {name, icon, title, className, onClick(editor), hideTheirs, setup(editor)}.
  function addButton(after, options) {
    function place(wrapper, editor) {
      var theirs = Array.from(wrapper.querySelectorAll(".prose-menubar button")).find(function (b) {
        return b.textContent === after;
      });
      if (!theirs) return false;
      var ours = element("button", {
        type: "button",
        className: theirs.className + " " + options.className,
        textContent: options.icon,
        title: options.title,
      });
      ours.setAttribute("aria-label", options.title);
      ours.addEventListener("click", function () { options.onClick(editor); });
      theirs.after(ours);
      if (options.hideTheirs) theirs.classList.add("replaced-by-ours");
      return true;
    }

    function enhance(editor) {
      var wrapper = editor.view.dom.closest(".prose-editor");
      if (!wrapper || wrapper.dataset[options.name]) return;
      wrapper.dataset[options.name] = "on";
      if (!place(wrapper, editor)) { // the menu is built after the editor
        new MutationObserver(function (changes, observer) {
          if (place(wrapper, editor)) observer.disconnect();
        }).observe(wrapper, { childList: true, subtree: true });
      }
      if (options.setup) options.setup(editor);
    }

    document.addEventListener("prose-editor:ready", function (event) { enhance(event.detail.editor); });
    document.querySelectorAll(".ProseMirror").forEach(function (dom) {
      if (dom.editor) enhance(dom.editor);
    });
  }

  return { element: element, edition: edition, addButton: addButton };
})();
