/* No lost work in an admin form (nejat/editorial/autosave/admin.py).
 *
 * Loaded as a plain script at the end of the form, so it runs before the rich-text editors
 * (module scripts) start: a draft being restored is put into the fields they read.
 * - Restores the draft the server embedded (#unsaved-draft-data) when "Restore" was chosen, or
 *   this browser's own copy when its "Restore" was (?draft=browser), inline rows added before it
 *   was kept included.
 * - Notices every change by comparing the form's fields after each input event and every second:
 *   a library image, a select2 choice or a rich-text editor changes a field with no event, or
 *   with one no listener here sees.
 * - Keeps each change in this browser (localStorage) within 300 ms, and sends the fields, without
 *   files, to data-autosave-url data-quiet seconds (2) after the last change, at least every
 *   data-every seconds (10) while the editor keeps typing, and when the page is hidden or closed
 *   (sendBeacon): the editor's draft. Nothing is sent when nothing changed since the last send.
 *   The browser's copy is dropped once the server holds the same fields.
 * - Offers the browser's copy back, in the words of the server's offer, when it is newer than the
 *   server's draft: a browser killed before its last send, or a connection that failed.
 * - Warns before leaving the page with changes that were not saved (a form that came back with
 *   an error has such changes from the start).
 */
(function () {
  "use strict";
  var script = document.currentScript;
  var form = script.closest("form");
  var url = script.dataset.autosaveUrl;
  var status = document.getElementById("autosave-status");
  var QUIET = (Number(script.dataset.quiet) || 2) * 1000;
  var EVERY = (Number(script.dataset.every) || 10) * 1000;
  var LOOK = 300; // after an input event, the form is compared (and copied) this much later
  var POLL = 1000; // and every second, for changes made without an event
  var KEPT_DAYS = 7; // a copy of the browser's older than this is forgotten
  var PREFIX = "nejat-draft:";
  var BASE = script.dataset.localKey + ":"; // + the new item's form key ("" for an item)
  var BROWSER = "browser"; // ?draft=browser, or browser-<new item's form key>: restore the copy
  var CHANGED_AT = "autosave_changed_at"; // sent with the draft (nejat/editorial/autosave/admin.py)
  var BUTTONS = ["_save", "_continue", "_addanother", "_saveasnew"];
  if (!form || !url || !script.dataset.localKey) return;

  // A form that came back with an error holds what was not saved: kept, and asked about.
  var cameBack = Boolean(form.querySelector("p.errornote"));
  var dirty = cameBack; // differs from the saved version
  var submitting = false;
  var leaving = false; // a draft is being discarded: the page reloads without asking
  // Until the editor does something, a difference is the page settling (an editor starting, rows
  // added for a restored draft), not a change to keep.
  var touched = cameBack;

  // Django's formset counts stay the page's own: rows the draft has beyond them are added below.
  var MANAGEMENT = /-(TOTAL|INITIAL|MIN_NUM|MAX_NUM)_FORMS$/;

  // Django's autocomplete fields (select2) list only the options chosen when the page was made:
  // the draft names those chosen since (LABELS), and a restored choice gets its option back.
  var LABELS = "autosave_labels";

  function chosenLabels() {
    var named = {};
    form.querySelectorAll("select.admin-autocomplete").forEach(function (select) {
      Array.prototype.forEach.call(select.selectedOptions, function (option) {
        if (!option.value) return;
        (named[select.name] = named[select.name] || []).push([option.value, option.text]);
      });
    });
    return named;
  }

  function addOptions(root, data) {
    var named = JSON.parse((data[LABELS] || ["{}"])[0]);
    Object.keys(named).forEach(function (name) {
      root.querySelectorAll('select[name="' + CSS.escape(name) + '"]').forEach(function (select) {
        named[name].forEach(function (pair) {
          var values = Array.prototype.map.call(select.options, function (option) {
            return option.value;
          });
          if (values.indexOf(pair[0]) === -1) select.add(new Option(pair[1], pair[0]));
        });
      });
    });
  }

  function fill(root, data) {
    addOptions(root, data);
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

  // The browser's copies: {data: {name: [values]}, changedAt: ms, submitted: bool}. Storage may
  // be full or refused (a private window): the server's draft is then the only one.
  function stored(key) {
    try {
      var copy = JSON.parse(localStorage.getItem(key));
      return copy && copy.data && copy.changedAt ? copy : null;
    } catch (error) {
      return null;
    }
  }

  function store(key, copy) {
    try {
      localStorage.setItem(key, JSON.stringify(copy));
      return true;
    } catch (error) {
      return false;
    }
  }

  function unstore(key) {
    try {
      localStorage.removeItem(key);
    } catch (error) {
      // nothing kept, nothing to forget
    }
  }

  function storedKeys(prefix) {
    var keys = [];
    try {
      for (var i = 0; i < localStorage.length; i += 1) {
        if (localStorage.key(i).indexOf(prefix) === 0) keys.push(localStorage.key(i));
      }
    } catch (error) {
      // no storage: no copies
    }
    return keys;
  }

  function fieldValue(name) {
    var field = form.elements.namedItem(name);
    return field && field.value !== undefined ? field.value : "";
  }

  // This form's copy: a new item's form has a key of its own, which a restored draft brings back.
  function localKey() {
    return BASE + fieldValue("autosave_key");
  }

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
    // Not copied: a token of another session would make the restored form fail to save.
    data.delete("csrfmiddlewaretoken");
    var labels = chosenLabels();
    if (Object.keys(labels).length) data.append(LABELS, JSON.stringify(labels));
    return data;
  }

  // The form's fields as one string, to tell at once whether anything changed.
  function snapshot() {
    var pairs = [];
    fields().forEach(function (value, name) {
      pairs.push([name, value]);
    });
    return JSON.stringify(pairs);
  }

  function asData(shot) {
    var data = {};
    JSON.parse(shot).forEach(function (pair) {
      (data[pair[0]] = data[pair[0]] || []).push(pair[1]);
    });
    return data;
  }

  function payload(shot, changedAt) {
    var body = new FormData();
    body.append("csrfmiddlewaretoken", fieldValue("csrfmiddlewaretoken"));
    JSON.parse(shot).forEach(function (pair) {
      body.append(pair[0], pair[1]);
    });
    body.append(CHANGED_AT, String(changedAt));
    return body;
  }

  function show(text) {
    if (status) status.textContent = text;
  }

  function clock(time, withDate) {
    var options = withDate
      ? { dateStyle: "medium", timeStyle: "short" }
      : { hour: "2-digit", minute: "2-digit" };
    if (script.dataset.timeZone) options.timeZone = script.dataset.timeZone;
    try {
      return new Intl.DateTimeFormat(document.documentElement.lang, options).format(time);
    } catch (error) { // a zone this browser does not know
      delete options.timeZone;
      return new Intl.DateTimeFormat(document.documentElement.lang, options).format(time);
    }
  }

  // Offering the browser's copies back -----------------------------------------------------------

  // The item's version when this page was rendered (nejat.publishing.revisions), before any restore.
  var openedVersion = fieldValue("opened_version");

  function versionOf(copy) {
    return (copy.data.opened_version || [""])[0];
  }

  // The server's offers, by the form key of their draft.
  function serverOffers() {
    var offers = {};
    document.querySelectorAll(".unsaved-draft li[data-draft-key]").forEach(function (offer) {
      offers[offer.dataset.draftKey] = offer;
    });
    return offers;
  }

  // The copy is not to be offered: what it holds was saved, or the server's draft is as new.
  function outdated(copy, offer) {
    if (copy.submitted) {
      // Sent to be saved, and saved unless the server still has its draft or the item is as it
      // was (a save that failed on the way; one refused by the form was copied again since).
      var unsaved = offer || (openedVersion && versionOf(copy) === openedVersion);
      if (!unsaved) return true;
    }
    if (!offer) return false;
    var theirs = Number(offer.dataset.changedAt) || Date.parse(offer.dataset.savedAt) || 0;
    return theirs >= copy.changedAt;
  }

  function offerList() {
    var list = document.querySelector("ul.unsaved-draft");
    if (!list) {
      list = document.createElement("ul");
      list.className = "messagelist unsaved-draft";
      document.getElementById("unsaved-draft-offer").before(list);
    }
    return list;
  }

  // The server's offer, in its words, for the browser's copy; it stands in for the server's own
  // offer of the same form, which holds older changes.
  function offer(key, copy, serverOffer, restored) {
    var pattern = document.getElementById("unsaved-draft-offer").content;
    var item = pattern.firstElementChild.cloneNode(true);
    var time = item.querySelector("time");
    time.dateTime = new Date(copy.changedAt).toISOString();
    time.textContent = clock(copy.changedAt, true);
    var older = openedVersion && versionOf(copy) && versionOf(copy) !== openedVersion;
    if (!older) item.querySelector(".draft-older").remove();
    item.querySelector(restored ? ".draft-restore" : ".draft-restored").remove();
    if (!restored) {
      item.querySelector(".draft-restore").addEventListener("click", function (event) {
        event.preventDefault();
        choose(key);
      });
    }
    item.querySelector(".draft-discard").addEventListener("click", function () {
      unstore(key);
      if (serverOffer) { // the server's older draft goes too
        leaving = true;
        serverOffer.querySelector("button[form=discard-draft]").click();
      } else if (restored) {
        reopen();
      } else {
        item.remove();
      }
    });
    if (serverOffer) {
      serverOffer.hidden = true;
      serverOffer.style.display = "none"; // the admin's list shows its items, hidden or not
      serverOffer.before(item);
    } else {
      offerList().append(item);
    }
  }

  function formAddress(draft) {
    var address = new URL(location.href);
    if (draft) address.searchParams.set("draft", draft);
    else address.searchParams.delete("draft");
    return address.href;
  }

  function reopen() {
    leaving = true;
    location.assign(formAddress());
  }

  // "Restore": the form is opened again with the copy in it, before the rich-text editors start,
  // as the server's "Restore" does with its draft (?draft=restore).
  function choose(key) {
    var draftKey = key.slice(BASE.length);
    location.assign(formAddress(draftKey ? BROWSER + "-" + draftKey : BROWSER));
  }

  function chosenCopy() {
    var wanted = new URL(location.href).searchParams.get("draft") || "";
    if (wanted !== BROWSER && wanted.indexOf(BROWSER + "-") !== 0) return null;
    var key = BASE + wanted.slice(BROWSER.length + 1);
    var copy = stored(key);
    return copy ? { key: key, copy: copy } : null;
  }

  function offerCopies(ownKey) {
    var offers = serverOffers();
    storedKeys(BASE).forEach(function (key) {
      if (key === ownKey) return; // the draft just restored is not offered again
      var copy = stored(key);
      var draftKey = key.slice(BASE.length);
      if (!copy || outdated(copy, offers[draftKey])) {
        unstore(key);
      } else {
        offer(key, copy, offers[draftKey], false);
      }
    });
  }

  function forgetOldCopies() {
    var before = Date.now() - KEPT_DAYS * 24 * 60 * 60 * 1000;
    storedKeys(PREFIX).forEach(function (key) {
      var copy = stored(key);
      if (!copy || copy.changedAt < before) unstore(key);
    });
  }

  // Opening the form ----------------------------------------------------------------------------

  forgetOldCopies();
  var embedded = document.getElementById("unsaved-draft-data");
  var chosen = cameBack || embedded ? null : chosenCopy();
  var changedAt = 0; // when the last change the form holds was seen
  if (embedded) {
    restore(JSON.parse(embedded.textContent));
  } else if (chosen) {
    restore(chosen.copy.data);
    changedAt = chosen.copy.changedAt;
    touched = true;
  }
  var current = snapshot(); // the form's fields, as last compared
  // What was last sent, and what the server said it holds (null: not what the form says); the
  // item itself counts as held. A beacon is sent, never confirmed.
  var sent = cameBack || chosen ? null : current;
  var held = sent;
  if (chosen) offer(chosen.key, chosen.copy, serverOffers()[chosen.key.slice(BASE.length)], true);
  if (!cameBack) offerCopies(embedded || chosen ? localKey() : null);

  // Keeping ------------------------------------------------------------------------------------

  var copied = false; // this browser holds the form's latest fields
  var timer = null;
  var firstUnsent = 0;
  var sending = false;

  function keepHere() {
    copied = store(localKey(), { data: asData(current), changedAt: changedAt });
  }

  // The next send: data-quiet seconds after the last change, and no later than data-every
  // seconds after the first change not yet sent.
  function schedule(delay) {
    var now = Date.now();
    if (!firstUnsent) firstUnsent = now;
    var at = delay === undefined ? Math.min(now + QUIET, firstUnsent + EVERY) : now + delay;
    clearTimeout(timer);
    timer = setTimeout(send, Math.max(0, at - now));
  }

  function compare() {
    var now = snapshot();
    if (now === current) return;
    current = now;
    if (!touched) {
      if (sent !== null) sent = held = now;
      return;
    }
    dirty = true;
    changedAt = Date.now();
    keepHere();
    schedule();
  }

  var looking = null;
  function lookSoon() {
    if (!looking) looking = setTimeout(function () {
      looking = null;
      compare();
    }, LOOK);
  }

  function send() {
    timer = null;
    if (submitting) return;
    if (sending) return schedule(QUIET);
    firstUnsent = 0;
    var shot = current;
    if (shot === sent) {
      if (shot === held) unstore(localKey()); // changed back to what the server holds
      return;
    }
    sending = true;
    // "manual": a session that ended answers with a redirect to sign in, not a kept draft.
    var body = payload(shot, changedAt);
    fetch(url, { method: "POST", body: body, credentials: "same-origin", redirect: "manual" })
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        sent = held = shot;
        if (current === shot) unstore(localKey()); // the server holds the same
        show(interpolate(gettext("Draft kept at %s."), [clock(Date.now(), false)]));
      })
      .catch(function () {
        show(copied
          ? gettext("The draft is kept in this browser only: check the connection.")
          : gettext("The draft could not be kept: check the connection. Do not close this page."));
        if (!timer) schedule(EVERY); // and tried again
      })
      .finally(function () {
        sending = false;
      });
  }

  if (sent === null) {
    if (!changedAt) changedAt = Date.now();
    keepHere();
    schedule();
  }

  ["keydown", "pointerdown", "paste", "drop", "input", "change"].forEach(function (type) {
    document.addEventListener(type, function (event) {
      if (event.isTrusted) touched = true;
    }, true);
  });
  form.addEventListener("input", lookSoon);
  form.addEventListener("change", lookSoon);
  setInterval(compare, POLL);

  document.querySelectorAll(".unsaved-draft button[form=discard-draft]").forEach(function (button) {
    button.addEventListener("click", function () {
      leaving = true;
      unstore(BASE + button.value); // the browser's copy of the same draft goes with it
    });
  });
  form.addEventListener("submit", function () {
    submitting = true;
    clearTimeout(timer);
    var copy = stored(localKey()); // forgotten once the next opening shows the form was saved
    if (copy) store(localKey(), Object.assign(copy, { submitted: true }));
  });
  // Back to this page from the browser's cache: it is being edited again.
  window.addEventListener("pageshow", function (event) {
    if (event.persisted) submitting = leaving = false;
  });

  // Closing or leaving the page: keep the draft with a request that outlives the page.
  function keepNow() {
    if (submitting || leaving) return;
    compare();
    if (current !== sent && navigator.sendBeacon(url, payload(current, changedAt))) sent = current;
  }
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") keepNow();
  });
  window.addEventListener("pagehide", keepNow);
  window.addEventListener("beforeunload", function (event) {
    keepNow(); // which also notices a change made since the last look
    if (dirty && !submitting && !leaving) {
      event.preventDefault();
      event.returnValue = ""; // older browsers need it to ask
    }
  });
})();
