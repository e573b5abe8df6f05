/* No lost work in an admin form (nejat/autosave/admin.py).
 *
 * Loaded as a plain script at the end of the form, so it runs before the rich-text editors
 * (module scripts) start: a draft being restored is put into the fields they read.
 * - Restores the draft the server embedded (#unsaved-draft-data) when "Restore" was chosen,
 *   inline rows added before it was kept included.
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

  // Django's formset counts stay the page's own: rows the draft has beyond them are added below.
  var MANAGEMENT = /-(TOTAL|INITIAL|MIN_NUM|MAX_NUM)_FORMS$/;

  function fill(root, data) {
    Object.keys(data).forEach(function (name) {
      if (MANAGEMENT.test(name)) return;
      var values = data[name];
      var fields = root.querySelectorAll('[name="' + CSS.escape(name) + '"]');
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
  }

  function restore(data) {
    fill(form, data);
    // Unticked checkboxes are not posted: untick those the draft does not name.
    form.querySelectorAll("input[type=checkbox]").forEach(function (box) {
      if (box.name && !(box.name in data)) box.checked = false;
    });
    // Rows added with "Add another" before the draft was kept: added again the same way once
    // Django's inlines.js has set the formsets up, each filled as it appears (before a rich-text
    // editor in it starts: this listener comes first).
    var missing = [];
    form.querySelectorAll('input[name$="-TOTAL_FORMS"]').forEach(function (total) {
      var extra = Number((data[total.name] || [])[0]) - Number(total.value);
      if (extra > 0) missing.push([total.name.replace(MANAGEMENT, ""), extra]);
    });
    if (missing.length) {
      document.addEventListener("formset:added", function (event) { fill(event.target, data); });
      var whenReady = window.django && django.jQuery ? django.jQuery : function (run) {
        document.addEventListener("DOMContentLoaded", run);
      };
      whenReady(function () {
        missing.forEach(function (formset) {
          var group = document.getElementById(formset[0] + "-group");
          var add = group && group.querySelector(".add-row a");
          for (var i = 0; add && i < formset[1]; i += 1) add.click();
        });
      });
    }
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
