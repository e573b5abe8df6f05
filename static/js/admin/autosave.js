/* No lost work in an admin form (nejat/autosave/admin.py).
 *
 * Loaded as a plain script at the end of the form, so it runs before the rich-text editors
 * (module scripts) start: a draft being restored is put into the fields they read.
 * - Restores the draft the server embedded (#unsaved-draft-data) when "Restore" was chosen.
 * - Sends the form's fields, without files, to data-autosave-url every data-every seconds (30)
 *   when they changed, and when the page is hidden or closed (sendBeacon): the editor's draft.
 * - Warns before leaving the page with changes that were not saved (a form that came back with
 *   an error has such changes from the start).
 */
(function () {
  "use strict";
  var script = document.currentScript;
  var form = script.closest("form");
  var url = script.dataset.autosaveUrl;
  var status = document.getElementById("autosave-status");
  var EVERY = (Number(script.dataset.every) || 30) * 1000;
  var BUTTONS = ["_save", "_continue", "_addanother", "_saveasnew"];
  if (!form || !url) return;

  // A form that came back with an error holds what was not saved: kept, and asked about.
  var cameBack = Boolean(form.querySelector("p.errornote"));
  var dirty = cameBack; // differs from the saved version
  var unsent = cameBack; // changed since the last draft was kept
  var submitting = false;

  function restore(data) {
    Object.keys(data).forEach(function (name) {
      var values = data[name];
      var fields = form.querySelectorAll('[name="' + CSS.escape(name) + '"]');
      fields.forEach(function (field) {
        if (field.type === "file" || field.type === "submit") return;
        if (field.type === "checkbox" || field.type === "radio") {
          field.checked = values.indexOf(field.value) !== -1;
        } else if (field.multiple) {
          Array.prototype.forEach.call(field.options, function (option) {
            option.selected = values.indexOf(option.value) !== -1;
          });
        } else {
          field.value = values[0];
        }
      });
    });
    // Unticked checkboxes are not posted: untick those the draft does not name.
    form.querySelectorAll("input[type=checkbox]").forEach(function (box) {
      if (box.name && !(box.name in data)) box.checked = false;
    });
    dirty = true;
  }

  var embedded = document.getElementById("unsaved-draft-data");
  if (embedded) restore(JSON.parse(embedded.textContent));

  function fields() {
    var data = new FormData(form);
    BUTTONS.forEach(function (name) {
      data.delete(name);
    });
    Array.from(data.keys()).forEach(function (name) {
      if (data.getAll(name).some(function (value) { return value instanceof File; })) {
        data.delete(name);
      }
    });
    return data;
  }

  function show(text) {
    if (status) status.textContent = text;
  }

  function keep() {
    if (!unsent || submitting) return;
    unsent = false;
    // "manual": a session that ended answers with a redirect to sign in, not a kept draft.
    fetch(url, { method: "POST", body: fields(), credentials: "same-origin", redirect: "manual" })
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        var time = new Date().toLocaleTimeString(document.documentElement.lang, {
          hour: "2-digit",
          minute: "2-digit",
        });
        show(interpolate(gettext("Draft kept at %s."), [time]));
      })
      .catch(function () {
        unsent = true;
        show(gettext("The draft could not be kept: check the connection. Do not close this page."));
      });
  }

  function changed() {
    dirty = unsent = true;
  }
  form.addEventListener("input", changed);
  form.addEventListener("change", changed);
  form.addEventListener("submit", function () {
    submitting = true;
  });
  setInterval(keep, EVERY);

  // Closing or leaving the page: keep the draft with a request that outlives the page.
  function keepNow() {
    if (unsent && !submitting && navigator.sendBeacon(url, fields())) unsent = false;
  }
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") keepNow();
  });
  window.addEventListener("pagehide", keepNow);
  window.addEventListener("beforeunload", function (event) {
    if (dirty && !submitting) {
      keepNow();
      event.preventDefault();
      event.returnValue = ""; // older browsers need it to ask
    }
  });
})();
