/* The media library's chooser (media_library/admin.py): find an image by title, tag, alt text or
 * caption, or upload new ones, then
 * - beside an image field (its "Choose from the library" button): the image's number goes into the
 *   hidden field and saving keeps it under its stored name (nejat/editorial/autosave/sources.py); where the
 *   item has alt text for that image (a featured image), it is asked for here too, for the edition
 *   whose alt text field is shown, and goes into that field;
 * - in a rich-text body (the editor's image button, which this replaces): a figure with the
 *   image's rendition, its alt text in the edition being written (asked for when it has none)
 *   and its caption: a button of its own beside the editor's image button, which stays for
 *   editing a figure.
 */
(function () {
  "use strict";
  var script = document.currentScript;
  var chooseUrl = script.dataset.chooseUrl;
  var uploadUrl = script.dataset.uploadUrl;

  var element = window.nejatEditorMenu.element;

  function labelled(input, words) {
    return element("p", {}, [element("label", { htmlFor: input.id, textContent: words }), input]);
  }

  function csrfToken() {
    var input = document.querySelector("[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  // What the editor described an image as is kept by the library where it had nothing in that
  // edition (the server never replaces a description from here), so the next use offers it.
  function keepDescription(image, edition, altText, captionText) {
    if ((!altText || image.alt[edition]) && (!captionText || image.caption[edition])) return;
    var data = new FormData();
    data.append("edition", edition);
    data.append("alt", altText);
    data.append("caption", captionText);
    data.append("csrfmiddlewaretoken", csrfToken());
    fetch(image.describe_url, { method: "POST", body: data, credentials: "same-origin", keepalive: true });
  }

  // options: {edition, describe (ask alt text), caption (and a caption), onChoose(image, alt,
  // caption), typedAlt (what the editor wrote before choosing, offered for an undescribed image)}
  function choose(options) {
    var picked = null;
    var page = 1;
    var search = element("input", { type: "search", id: "media-chooser-search", autocomplete: "off" });
    var upload = element("input", { type: "file", id: "media-chooser-upload", multiple: true, accept: "image/*" });
    var grid = element("ul", { className: "media-chooser-grid" });
    var more = element("button", { type: "button", className: "button", textContent: gettext("More images"), hidden: true });
    var alt = element("input", { type: "text", id: "media-chooser-alt", maxLength: 300 });
    var caption = element("input", { type: "text", id: "media-chooser-caption", maxLength: 500 });
    var describe = element("fieldset", { hidden: true }, [
      labelled(alt, gettext("Alt text: what the image shows, for readers who cannot see it")),
      options.caption ? labelled(caption, gettext("Caption")) : null,
    ]);
    var error = element("p", { className: "errornote", hidden: true, role: "alert" });
    var submit = element("button", { type: "submit", className: "default", textContent: gettext("Use this image") });
    var cancel = element("button", { type: "button", className: "button", textContent: gettext("Cancel") });
    var form = element("form", { method: "dialog" }, [
      element("h2", { textContent: gettext("Media library") }),
      labelled(search, gettext("Find an image")),
      labelled(upload, gettext("Or upload new images")),
      grid,
      more,
      options.describe ? describe : null,
      error,
      element("div", { className: "submit-row" }, [submit, cancel]),
    ]);
    var dialog = element("dialog", { className: "media-chooser" }, [form]);
    document.body.append(dialog);

    function show(message) {
      error.textContent = message;
      error.hidden = !message;
    }

    function pick(image, button) {
      picked = image;
      grid.querySelectorAll("[aria-pressed]").forEach(function (b) { b.setAttribute("aria-pressed", "false"); });
      button.setAttribute("aria-pressed", "true");
      alt.value = image.alt[options.edition] || options.typedAlt || "";
      caption.value = image.caption[options.edition] || "";
      describe.hidden = false;
      show("");
      (options.describe ? alt : submit).focus();
    }

    function entry(image, first) {
      var button = element("button", { type: "button", title: image.title }, [
        element("img", { src: image.thumbnail, alt: "" }),
        element("span", { textContent: image.title }),
      ]);
      button.setAttribute("aria-pressed", "false");
      button.addEventListener("click", function () { pick(image, button); });
      var item = element("li", {}, [button]);
      var nothing = grid.querySelector(".nothing-found");
      if (nothing) nothing.remove();
      if (first) grid.prepend(item); else grid.append(item);
      return button;
    }

    function load(reset) {
      if (reset) { page = 1; grid.replaceChildren(); }
      var query = new URLSearchParams({ q: search.value, page: page });
      fetch(chooseUrl + "?" + query, { credentials: "same-origin", redirect: "manual" })
        .then(function (response) { return response.ok ? response.json() : { results: [] }; })
        .then(function (answer) {
          answer.results.forEach(function (image) { entry(image, false); });
          more.hidden = !answer.has_next;
          if (!grid.children.length) {
            grid.append(element("li", { className: "nothing-found", textContent: gettext("Nothing found.") }));
          }
        });
    }

    var timer;
    search.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () { load(true); }, 250);
    });
    more.addEventListener("click", function () { page += 1; load(false); });
    upload.addEventListener("change", function () {
      if (!upload.files.length) return; // emptied after an upload (below)
      var data = new FormData();
      Array.from(upload.files).forEach(function (file) { data.append("images", file); });
      data.append("csrfmiddlewaretoken", csrfToken());
      show(gettext("Uploading…"));
      fetch(uploadUrl, {
        method: "POST", body: data, credentials: "same-origin", redirect: "manual",
        headers: { Accept: "application/json" },
      })
        .then(function (response) { return response.json().then(function (answer) { return [response.ok, answer]; }); })
        .then(function (outcome) {
          if (!outcome[0]) { show((outcome[1].errors || []).join(" ") || gettext("The upload failed.")); return; }
          show("");
          var buttons = outcome[1].results.reverse().map(function (image) { return [image, entry(image, true)]; });
          if (buttons.length) pick(buttons[buttons.length - 1][0], buttons[buttons.length - 1][1]);
          upload.value = "";
          upload.dispatchEvent(new Event("change")); // "no file chosen" again
        })
        .catch(function () { show(gettext("The upload failed.")); });
    });
    cancel.addEventListener("click", function () { dialog.close(); });
    dialog.addEventListener("close", function () { dialog.remove(); });
    form.addEventListener("submit", function (event) {
      if (!picked) {
        event.preventDefault();
        show(gettext("Choose an image."));
        return;
      }
      if (options.describe && !alt.value.trim()) {
        event.preventDefault();
        show(gettext("Describe the image for readers who cannot see it."));
        alt.focus();
        return;
      }
      options.onChoose(picked, alt.value.trim(), caption.value.trim());
      if (options.describe) keepDescription(picked, options.edition, alt.value.trim(), caption.value.trim());
    });
    dialog.showModal();
    search.focus();
    load(true);
  }

  // --- Image fields ---------------------------------------------------------------------------
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-image-source='library-image:']");
    if (!button) return;
    var row = button.closest(".image-source");
    var field = button.dataset.altField; // the item's alt text of this image, if it has one
    var edition = shownEdition(field);
    var input = field && altInput(field, edition);
    choose({
      edition: edition,
      describe: Boolean(field),
      typedAlt: input ? input.value.trim() : "",
      onChoose: function (image, altText) {
        var hidden = row.querySelector("input[type=hidden]");
        hidden.value = image.id;
        hidden.dispatchEvent(new Event("change", { bubbles: true }));
        row.querySelector(".image-source-chosen").textContent =
          interpolate(gettext("Chosen: %s. It is saved with the form."), [image.title]);
        if (!field) return;
        setAltText(field, edition, altText);
        fillAltText(field, image);
      },
    });
  });

  function altInput(field, code) {
    return document.querySelector("[name='" + field + "_" + code + "']");
  }

  // The edition whose alt text field the editor sees (the translation tab that is open), else
  // the admin's.
  function shownEdition(field) {
    var lang = document.documentElement.lang;
    if (!field) return lang;
    var shown = Array.from(document.querySelectorAll("[name^='" + field + "_']")).find(function (input) {
      return input.getClientRects().length > 0;
    });
    return shown ? shown.name.slice(field.length + 1) : lang;
  }

  // What the editor typed in the chooser describes the image now chosen: it replaces the old text.
  function setAltText(field, code, text) {
    var input = altInput(field, code);
    if (!input || input.value === text) return;
    input.value = text;
    input.dispatchEvent(new Event("input", { bubbles: true }));
  }

  // The item's other alt text fields (one per edition) take the library's where they are empty.
  function fillAltText(field, image) {
    Object.keys(image.alt).forEach(function (code) {
      var input = altInput(field, code);
      if (!input || input.value.trim() || !image.alt[code]) return;
      input.value = image.alt[code];
      input.dispatchEvent(new Event("input", { bubbles: true }));
    });
  }

  // --- Rich-text bodies -----------------------------------------------------------------------
  function insert(editor) {
    choose({
      edition: window.nejatEditorMenu.edition(editor),
      describe: true,
      caption: true,
      onChoose: function (image, altText, captionText) {
        var content = [{ type: "image", attrs: { src: image.url, alt: altText } }];
        if (captionText) content.push({ type: "caption", content: [{ type: "text", text: captionText }] });
        editor.chain().focus().insertContent({ type: "figure", content: content }).run();
      },
    });
  }

  window.nejatEditorMenu.addButton("image", {
    name: "mediaChooser",
    icon: "photo_library",
    title: gettext("Insert an image from the library"),
    className: "media-chooser-button",
    onClick: insert,
  });
})();
