/* The rich-text editor's Link button, for a news site: search the site's own pages as you type
 * (nejat/editorial/link_search.py, in the edition being written) or paste an address, and link the selected
 * words, or, with nothing selected, insert the link with the words typed here. Ctrl/Cmd+K opens
 * it too. Replaces django-prose-editor's own link dialog, which needs a selection and knows no
 * pages of the site. The editor instance is the one Tiptap keeps on its element.
 */
(function () {
  "use strict";
  // A bar in right-to-left admins, where a middle dot reads as a zero (nejat.editions.separator).
  var SEPARATOR = document.documentElement.dir === "rtl" ? " | " : " · ";
  var script = document.currentScript;
  var searchUrl = script.dataset.linkSearchUrl;
  var ALLOWED = /^(https?:\/\/|mailto:|\/)/i;

  var element = window.nejatEditorMenu.element;
  var edition = window.nejatEditorMenu.edition;

  // An address as people read it: "/fa/articles/12/گزارش-آب/", not "%DA%AF%D8%B2…". Only
  // shown so; the link keeps the address as the site wrote it (readable() is undone on submit).
  function readable(href) {
    try {
      return decodeURI(href);
    } catch (error) {
      return href; // a "%" that encodes nothing
    }
  }

  function open(editor) {
    var state = editor.state;
    var selected = state.doc.textBetween(state.selection.from, state.selection.to, " ");
    var current = editor.getAttributes("link").href || "";
    var chosen = current; // the address behind what the address field shows
    var needsText = !selected && !editor.isActive("link");
    var text = element("input", { type: "text", id: "link-dialog-text", required: needsText });
    var search = element("input", { type: "search", id: "link-dialog-search", autocomplete: "off" });
    var address = element("input", { type: "text", id: "link-dialog-address", value: readable(current), dir: "ltr" });
    var results = element("ul", { className: "link-dialog-results", role: "listbox" });
    var error = element("p", { className: "errornote", hidden: true });
    var submit = element("button", {
      type: "submit",
      className: "default",
      textContent: current ? gettext("Update") : gettext("Insert link"),
    });
    var cancel = element("button", { type: "button", textContent: gettext("Cancel") });
    function label(input, words) {
      return element("label", { htmlFor: input.id, textContent: words });
    }
    var form = element("form", { method: "dialog" }, [
      element("h2", { textContent: gettext("Link") }),
      needsText ? element("p", {}, [label(text, gettext("Text to show")), text]) : "",
      element("p", {}, [label(search, gettext("Find a page of this site")), search]),
      results,
      element("p", {}, [label(address, gettext("Address")), address]),
      error,
      element("div", { className: "submit-row" }, [submit, cancel]),
    ]);
    var dialog = element("dialog", { className: "link-dialog" }, [form]);
    document.body.append(dialog);

    var timer;
    search.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        var query = new URLSearchParams({ q: search.value, edition: edition(editor) });
        fetch(searchUrl + "?" + query, { credentials: "same-origin", redirect: "manual" })
          .then(function (response) { return response.ok ? response.json() : { results: [] }; })
          .then(function (answer) {
            results.replaceChildren();
            answer.results.forEach(function (found) {
              var choose = element("button", { type: "button", className: "link-dialog-result", title: readable(found.url) }, [
                element("bdi", { textContent: found.title }),
                element("small", {
                  textContent: SEPARATOR + found.kind + (found.live ? "" : SEPARATOR + gettext("not public yet")),
                }),
              ]);
              choose.addEventListener("click", function () {
                chosen = found.url;
                address.value = readable(found.url);
                if (needsText && !text.value) text.value = found.title;
                submit.focus();
              });
              results.append(element("li", { role: "option" }, [choose]));
            });
            if (!answer.results.length && search.value.trim()) {
              results.append(element("li", { textContent: gettext("Nothing found.") }));
            }
          })
          .catch(function () {});
      }, 250);
    });
    cancel.addEventListener("click", function () { dialog.close(); });
    dialog.addEventListener("close", function () { dialog.remove(); editor.commands.focus(); });
    form.addEventListener("submit", function (event) {
      var href = address.value.trim();
      if (href === readable(chosen)) href = chosen;
      if (!ALLOWED.test(href) || (needsText && !text.value.trim())) {
        event.preventDefault();
        error.textContent = needsText && !text.value.trim()
          ? gettext("Type the words to show as the link.")
          : gettext("Choose a page, or give an address starting with https://, mailto: or /.");
        error.hidden = false;
        return;
      }
      var chain = editor.chain().focus();
      if (needsText) {
        chain.insertContent({ type: "text", text: text.value.trim(), marks: [{ type: "link", attrs: { href: href } }] })
          .run();
      } else {
        chain.extendMarkRange("link").setLink({ href: href }).run();
      }
    });
    dialog.showModal();
    (needsText ? text : search).focus();
  }

  window.nejatEditorMenu.addButton("insert_link", {
    name: "linkDialog",
    icon: "insert_link",
    title: gettext("insert link"),
    className: "link-dialog-button",
    hideTheirs: true,
    onClick: open,
    setup: function (editor) {
      editor.view.dom.addEventListener("keydown", function (event) {
        if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === "k") {
          event.preventDefault();
          event.stopImmediatePropagation();
          open(editor);
        }
      }, true);
    },
  });
})();
