/* Offline support for officials' pages: no framework, no build step.
 *
 * - Registers the service worker (/sw.js) and asks it to keep the official's households (links
 *   a.household-link) and this page's own files for reading with no network.
 * - On a household page, a support logged in #support-form goes to a queue in IndexedDB (it
 *   survives reloads and closing the browser) and is sent as JSON to the form's data-api, with
 *   the value and the quantity as typed: the server alone reads "1,5 triệu" (no second parser
 *   here to disagree with it). The queue is flushed on load, when the network returns, every
 *   30 s and on "Gửi ngay". Each item carries its own client_uuid, so sending it twice still
 *   makes one record on the server.
 * - The form keeps what was typed until the server accepts it. Refused, it stays filled, with the
 *   server's reasons beside the fields and in #support-form-status (above the form's button); sent
 *   or safely queued (no network), it is cleared. A queued support refused later is listed there
 *   too, with "Sửa lại" (back into the form) and "Bỏ" (removed from this device).
 * - A photo cannot wait in the queue: online, the form is posted normally (multipart); offline,
 *   the support is queued without the photo and the official is told.
 * - #sync-status (the header, for every role that logs support) shows what waits, whether we
 *   are offline or signed out, and refusals of other households' supports.
 */
(function () {
  "use strict";

  var TEXT = {
    vi: {
      pending: "{n} đang chờ gửi",
      sendNow: "Gửi ngay",
      sending: "Đang gửi…",
      offline: "Mất kết nối — hỗ trợ sẽ được lưu trên máy",
      waiting: "Đang chờ gửi",
      sent: "Đã gửi",
      refused: "Bị từ chối",
      refusedTitle: "Máy chủ không nhận các hỗ trợ sau:",
      refusedHere: "Hỗ trợ chưa được ghi nhận:",
      fixHere: "Sửa các ô báo lỗi ở trên rồi bấm lưu lại.",
      saved: "Đã ghi nhận hỗ trợ.",
      queued: "Đã lưu hỗ trợ trên máy; sẽ tự gửi khi có mạng.",
      openHousehold: "Mở trang hộ",
      refusedCode: "Máy chủ từ chối (mã {code}).",
      edit: "Sửa lại",
      discard: "Bỏ",
      discardConfirm: "Bỏ hẳn hỗ trợ này? Nó sẽ không được gửi.",
      photo: "Ảnh chỉ gửi được khi có mạng: hỗ trợ đã được lưu trên máy, không kèm ảnh.",
      signIn: "Phiên đăng nhập đã hết. Đăng nhập lại để gửi các hỗ trợ đang chờ.",
      signInLink: "Đăng nhập",
      logoutPending: "Còn {n} hỗ trợ chưa gửi. Chúng vẫn nằm trên máy này và sẽ được gửi sau khi đăng nhập lại. Đăng xuất?",
    },
    en: {
      pending: "{n} waiting to be sent",
      sendNow: "Send now",
      sending: "Sending…",
      offline: "No connection — supports are saved on this phone",
      waiting: "Waiting to be sent",
      sent: "Sent",
      refused: "Refused",
      refusedTitle: "The server did not accept these supports:",
      refusedHere: "The support was not recorded:",
      fixHere: "Correct the fields marked above, then save again.",
      saved: "Support recorded.",
      queued: "The support is saved on this phone and will be sent when there is a network.",
      openHousehold: "Open the household",
      refusedCode: "The server refused it (code {code}).",
      edit: "Edit",
      discard: "Discard",
      discardConfirm: "Discard this support for good? It will not be sent.",
      photo: "Photos can only be sent online: the support is saved on this phone, without the photo.",
      signIn: "Your session has ended. Sign in again to send the waiting supports.",
      signInLink: "Sign in",
      logoutPending: "{n} supports are not sent yet. They stay on this phone and are sent after you sign in again. Sign out?",
    },
  };
  var lang = (document.documentElement.lang || "vi").slice(0, 2).toLowerCase();
  var T = TEXT[lang] || TEXT.vi;
  function fmt(text, values) {
    return text.replace(/\{(\w+)\}/g, function (_, key) {
      return values[key];
    });
  }

  var FLUSH_EVERY_MS = 30000;
  // A slow network: past this, the entry just saved is left to the queue and the form is cleared.
  var ANSWER_WAIT_MS = 10000;
  var status = document.getElementById("sync-status");
  var form = document.getElementById("support-form");
  var formStatus = document.getElementById("support-form-status");
  var timeline = document.getElementById("support-timeline");
  var state = {
    flushing: false,
    flushed: null, // the running flush's promise
    again: false, // asked to flush while flushing: go round once more
    saving: false,
    signInNeeded: false,
    notice: "",
    pending: 0,
    editing: null, // client_uuid of the entry the form holds until the server accepts it
    formNote: "", // what became of the form's last entry: saved, or queued on the phone
  };

  // --- the queue: IndexedDB, or localStorage where IndexedDB is missing ---------------------

  var store = (function () {
    var DB = "povertyplan-offline";
    var STORE = "outbox";
    if (window.indexedDB) {
      var opening;
      var open = function () {
        opening =
          opening ||
          new Promise(function (resolve, reject) {
            var request = indexedDB.open(DB, 1);
            request.onupgradeneeded = function () {
              request.result.createObjectStore(STORE, { keyPath: "client_uuid" });
            };
            request.onsuccess = function () {
              resolve(request.result);
            };
            request.onerror = function () {
              reject(request.error);
            };
          });
        return opening;
      };
      var run = function (mode, action) {
        return open().then(function (db) {
          return new Promise(function (resolve, reject) {
            var tx = db.transaction(STORE, mode);
            var request = action(tx.objectStore(STORE));
            tx.oncomplete = function () {
              resolve(request.result);
            };
            tx.onerror = tx.onabort = function () {
              reject(tx.error);
            };
          });
        });
      };
      return {
        all: function () {
          return run("readonly", function (s) {
            return s.getAll();
          });
        },
        put: function (item) {
          return run("readwrite", function (s) {
            return s.put(item);
          });
        },
        remove: function (key) {
          return run("readwrite", function (s) {
            return s.delete(key);
          });
        },
      };
    }
    var KEY = DB + ":" + STORE;
    var read = function () {
      try {
        return JSON.parse(localStorage.getItem(KEY) || "{}");
      } catch (error) {
        return {};
      }
    };
    var write = function (items) {
      localStorage.setItem(KEY, JSON.stringify(items));
    };
    return {
      all: function () {
        var items = read();
        return Promise.resolve(
          Object.keys(items).map(function (key) {
            return items[key];
          })
        );
      },
      put: function (item) {
        var items = read();
        items[item.client_uuid] = item;
        write(items);
        return Promise.resolve();
      },
      remove: function (key) {
        var items = read();
        delete items[key];
        write(items);
        return Promise.resolve();
      },
    };
  })();

  function byAge(items) {
    return items.sort(function (a, b) {
      return a.created < b.created ? -1 : a.created > b.created ? 1 : 0;
    });
  }

  // --- reading the form -----------------------------------------------------------------------

  function newUuid() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map
      .call(b, function (x) {
        return (x + 0x100).toString(16).slice(1);
      })
      .join("");
    return [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20), hex.slice(20)].join("-");
  }

  function payloadFrom(form) {
    var data = new FormData(form);
    var text = function (name) {
      var value = data.get(name);
      return typeof value === "string" ? value.trim() : "";
    };
    // The value and the quantity go as typed ("1,5 triệu", "2,5"): the server reads them.
    var typed = function (name) {
      return text(name) === "" ? null : text(name);
    };
    var household = form.getAttribute("data-household");
    return {
      client_uuid: newUuid(),
      household: /^\d+$/.test(household) ? parseInt(household, 10) : household,
      kind: text("kind"),
      date: text("date"),
      description: text("description"),
      quantity: typed("quantity"),
      unit: text("unit"),
      value_vnd: typed("value_vnd"),
      contributor: text("contributor"),
      // The ticked indicator codes as they are: the server says which the support's date allows.
      indicators: data.getAll("indicators").map(String),
    };
  }

  // Back into the form as it was typed. Entries queued by an older version of this script hold
  // numbers: 1.5 is shown the Vietnamese way, "1,5".
  function asTyped(value) {
    if (value === null || value === undefined) return "";
    if (typeof value === "number") return String(value).replace(".", lang === "vi" ? "," : ".");
    return String(value);
  }

  function fillForm(form, payload) {
    var fields = form.elements;
    var set = function (name, value) {
      var field = fields[name];
      if (!field) return;
      var chosen = function (box) {
        return Array.isArray(value) ? value.indexOf(box.value) !== -1 : box.value === value;
      };
      if (field.length !== undefined && field.tagName !== "SELECT") {
        Array.prototype.forEach.call(field, function (box) {
          box.checked = chosen(box); // radio buttons, or checkboxes from a list of values
        });
      } else if (field.type === "checkbox") {
        field.checked = chosen(field);
      } else {
        field.value = value;
      }
    };
    set("kind", payload.kind);
    set("date", payload.date);
    set("description", payload.description);
    set("quantity", asTyped(payload.quantity));
    set("unit", payload.unit);
    set("value_vnd", payload.value_vnd === 0 ? "" : asTyped(payload.value_vnd));
    set("contributor", payload.contributor);
    set("indicators", payload.indicators || []); // entries queued before indicators had none
  }

  // The server's reasons beside the fields they concern, as the page shows its own errors.
  function clearFieldErrors() {
    if (!form) return;
    form.querySelectorAll(".field-error, .form-errors").forEach(function (node) {
      node.remove();
    });
    form.querySelectorAll(".has-error").forEach(function (node) {
      node.classList.remove("has-error");
    });
    form.querySelectorAll("[aria-invalid]").forEach(function (node) {
      node.removeAttribute("aria-invalid");
    });
  }

  function showFieldErrors(errors) {
    clearFieldErrors();
    if (!form || !errors || typeof errors !== "object") return;
    Object.keys(errors).forEach(function (name) {
      var field = form.elements[name];
      if (!field || (field.type === "hidden" && !field.length)) return;
      var first = field.length !== undefined && field.tagName !== "SELECT" ? field[0] : field;
      var box = first && first.closest(".field, fieldset");
      if (!box) return;
      box.classList.add("has-error");
      if (first.tagName !== "FIELDSET" && first.type !== "radio" && first.type !== "checkbox") {
        first.setAttribute("aria-invalid", "true");
      }
      [].concat(errors[name]).forEach(function (message) {
        box.append(el("p", "field-error", String(message)));
      });
    });
  }

  // --- the timeline ---------------------------------------------------------------------------

  function showDate(iso) {
    var m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso || "");
    return m ? m[3] + "/" + m[2] + "/" + m[1] : iso || "";
  }

  function entryFor(uuid) {
    return timeline && timeline.querySelector('li.support-entry[data-uuid="' + uuid + '"]');
  }

  function addEntry(item) {
    if (!timeline || !form || String(item.payload.household) !== form.getAttribute("data-household")) return;
    if (entryFor(item.client_uuid)) return;
    // Same shape as the server's entries (templates/_partials/support_timeline.html).
    var li = el("li", "support-entry pending");
    li.setAttribute("data-uuid", item.client_uuid);
    var head = el("p", "entry-head");
    var kind = form.querySelector('input[name="kind"][value="' + item.payload.kind + '"]');
    var label = kind && kind.closest("label");
    if (label) head.append(el("span", "kind-tag kind-" + item.payload.kind, label.textContent.trim()), " ");
    var date = el("time", "support-date", showDate(item.payload.date));
    date.setAttribute("datetime", item.payload.date);
    head.append(date);
    var facts = el("p", "entry-facts muted");
    facts.append(el("span", "badge sync-mark"));
    li.append(head, el("p", "support-description", item.payload.description), facts);
    var empty = timeline.querySelector(".empty");
    if (empty) empty.hidden = true;
    timeline.insertBefore(li, timeline.firstChild);
    markEntry(item.client_uuid, item.state);
  }

  function markEntry(uuid, how) {
    var li = entryFor(uuid);
    if (!li) return;
    var mark = li.querySelector(".sync-mark");
    li.classList.remove("pending", "sent", "refused");
    li.classList.add(how);
    if (mark) {
      mark.textContent = how === "sent" ? T.sent : how === "refused" ? T.refused : T.waiting;
      mark.className = "badge sync-mark sync-mark-" + how; // refused in the error colour, never green
    }
  }

  function dropEntry(uuid) {
    var li = entryFor(uuid);
    if (li && li.classList.contains("support-entry") && !li.classList.contains("sent")) li.remove();
  }

  // --- sending --------------------------------------------------------------------------------

  function csrfToken() {
    var match = /(?:^|;\s*)csrftoken=([^;]+)/.exec(document.cookie);
    if (match) return decodeURIComponent(match[1]);
    var input = document.querySelector('input[name="csrfmiddlewaretoken"]');
    return input ? input.value : "";
  }

  // The label of a field of the form on this page ("Ngày", "Loại hỗ trợ"), or "".
  function fieldLabel(name) {
    var field = form && form.elements[name];
    if (!field) return "";
    if (!field.labels && field.length) field = field[0]; // radio buttons, checkboxes
    var legend = (field.type === "radio" || field.type === "checkbox") && field.closest("fieldset");
    legend = legend && legend.querySelector("legend");
    if (legend) return legend.textContent.trim();
    return field.labels && field.labels.length ? field.labels[0].textContent.trim() : "";
  }

  function reasonOf(status, body) {
    var parts = [];
    if (body && body.errors && typeof body.errors === "object") {
      Object.keys(body.errors).forEach(function (field) {
        var label = fieldLabel(field);
        [].concat(body.errors[field]).forEach(function (message) {
          parts.push((label ? label + ": " : "") + String(message));
        });
      });
    }
    if (!parts.length && body && body.message) parts.push(String(body.message));
    return parts.length ? parts.join(" ") : fmt(T.refusedCode, { code: status });
  }

  function send(item) {
    return fetch(item.api, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": csrfToken() },
      body: JSON.stringify(item.payload),
    }).then(function (response) {
      // A redirect means the session ended (to the sign-in page), never that the record was stored.
      if (response.redirected || response.status === 401) return "sign-in";
      if (response.status === 200 || response.status === 201) return "sent";
      // Other 4xx (400 invalid, 403 not allowed, 404 not yours, 413, 415…) will not change by
      // sending again: keep the item aside with the reason. 408 and 429 only ask us to wait.
      if (response.status >= 400 && response.status < 500 && response.status !== 408 && response.status !== 429) {
        return response
          .json()
          .catch(function () {
            return null;
          })
          .then(function (body) {
            item.state = "refused";
            item.reason = reasonOf(response.status, body);
            item.errors = body && body.errors && typeof body.errors === "object" ? body.errors : null;
            return "refused";
          });
      }
      return "later"; // 5xx and the like: the server is unwell, try again later
    });
  }

  // The "Gửi ngay" button shows "Đang gửi…" while sending; changed in place, so that the
  // live region is not read out again every 30 s.
  function showSending(sending) {
    state.flushing = sending;
    if (!sending) state.flushed = null;
    var now = status && status.querySelector(".sync-send-now");
    if (now) {
      now.textContent = sending ? T.sending : T.sendNow;
      now.disabled = sending;
    }
  }

  // Sends the waiting supports. Skipped while the phone says it is offline (pointless requests
  // drain the battery), unless the official asks ("Gửi ngay", a new entry): onLine may be wrong
  // either way. Asked while already sending, it goes round once more for what was added since.
  function flush(asked) {
    if (state.flushing) {
      state.again = state.again || asked || navigator.onLine;
      return state.flushed;
    }
    if (!asked && !navigator.onLine) return Promise.resolve();
    showSending(true);
    state.again = false;
    var sentAny = false;
    state.flushed = store
      .all()
      .then(function (items) {
        var waiting = byAge(items).filter(function (item) {
          return item.state === "pending";
        });
        var next = function (i) {
          if (i >= waiting.length) return null;
          var item = waiting[i];
          return send(item).then(function (outcome) {
            if (outcome === "sign-in") {
              state.signInNeeded = true;
              return null;
            }
            state.signInNeeded = false;
            if (outcome === "later") return null;
            var saved = outcome === "sent" ? store.remove(item.client_uuid) : store.put(item);
            return saved.then(function () {
              sentAny = sentAny || outcome === "sent";
              markEntry(item.client_uuid, outcome);
              return next(i + 1);
            });
          });
        };
        return next(0);
      })
      .catch(function () {
        return null; // network error: everything stays queued
      })
      .then(function () {
        showSending(false);
        // The saved copy of this page lacks what was just sent: have the worker fetch it again.
        if (sentAny && form) askWorker({ type: "precache", urls: [location.pathname], refresh: true });
        if (sentAny) state.notice = "";
        if (state.again) return flush(true);
        return render();
      });
    return state.flushed;
  }

  // --- #sync-status ---------------------------------------------------------------------------

  var shown = "";

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function button(label, action) {
    var node = el("button", "button button-quiet", label);
    node.type = "button";
    node.addEventListener("click", action);
    return node;
  }

  // The entry is for this page's queued form (not a correction's, which is posted as a page).
  function here(item) {
    return (
      Boolean(form && form.getAttribute("data-api")) &&
      String(item.payload.household) === form.getAttribute("data-household")
    );
  }

  function itemLine(item) {
    var li = el("li", "sync-refused-item");
    li.setAttribute("data-uuid", item.client_uuid);
    li.append(
      el("strong", "", showDate(item.payload.date) + " " + item.payload.description),
      " ",
      el("span", "sync-reason", item.reason),
      " "
    );
    return li;
  }

  function render() {
    return store.all().then(function (items) {
      items = byAge(items);
      renderForm(items);
      renderHeader(items);
    });
  }

  function renderHeader(items) {
    if (!status) return;
    var pending = items.filter(function (item) {
      return item.state === "pending";
    });
    // This household's refusals are shown beside its form; the header lists the others'.
    var refused = items.filter(function (item) {
      return item.state === "refused" && !here(item);
    });
    state.pending = pending.length;
    var key = JSON.stringify([
      navigator.onLine,
      state.signInNeeded,
      state.notice,
      pending.length,
      refused.map(function (item) {
        return [item.client_uuid, item.reason];
      }),
    ]);
    if (key === shown) return; // unchanged: do not make screen readers repeat it
    shown = key;
    status.textContent = "";
    if (!navigator.onLine) status.append(el("p", "sync-offline", T.offline));
    if (state.notice) status.append(el("p", "sync-notice", state.notice));
    if (state.signInNeeded && pending.length) {
      var line = el("p", "sync-sign-in", T.signIn + " ");
      var link = el("a", "", T.signInLink);
      link.href = "/accounts/login/?next=" + encodeURIComponent(location.pathname);
      line.append(link);
      status.append(line);
    }
    if (pending.length) {
      var waiting = el("p", "sync-pending");
      waiting.append(el("span", "sync-count", fmt(T.pending, { n: pending.length })), " ");
      var now = button(state.flushing ? T.sending : T.sendNow, function () {
        flush(true);
      });
      now.classList.add("sync-send-now");
      now.disabled = state.flushing;
      waiting.append(now);
      status.append(waiting);
    }
    if (refused.length) {
      status.append(el("p", "sync-refused-title", T.refusedTitle));
      var list = el("ul", "sync-refused plain-list");
      refused.forEach(function (item) {
        var li = itemLine(item);
        if (/^\d+$/.test(String(item.payload.household))) {
          var open = el("a", "button button-quiet", T.openHousehold);
          open.href = "/households/" + item.payload.household + "/";
          li.append(open, " ");
        }
        li.append(button(T.discard, discard(item.client_uuid)));
        list.append(li);
      });
      status.append(list);
    }
    status.hidden = status.childNodes.length === 0;
  }

  // Beside the form: what became of the entry just sent, and this household's refused entries.
  var formShown = "";

  function renderForm(items) {
    if (!formStatus || !form) return;
    var refused = items.filter(function (item) {
      return item.state === "refused" && here(item);
    });
    var key = JSON.stringify([
      state.formNote,
      state.editing,
      refused.map(function (item) {
        return [item.client_uuid, item.reason];
      }),
    ]);
    if (key === formShown) return;
    formShown = key;
    formStatus.textContent = "";
    if (state.formNote) formStatus.append(el("p", "form-note", state.formNote));
    if (refused.length) {
      var box = el("div", "form-refused");
      box.setAttribute("role", "alert");
      var list = el("ul", "sync-refused plain-list");
      refused.forEach(function (item) {
        var inForm = item.client_uuid === state.editing;
        var li = itemLine(item);
        li.classList.add(inForm ? "in-form" : "queued");
        li.prepend(el("span", "sync-refused-title", T.refusedHere), " ");
        if (inForm) li.append(el("span", "hint", T.fixHere), " ");
        li.append(button(T.edit, inForm ? toFirstError : editAgain(item)), " ");
        li.append(button(T.discard, discard(item.client_uuid)));
        list.append(li);
      });
      box.append(list);
      formStatus.append(box);
    }
    formStatus.hidden = formStatus.childNodes.length === 0;
  }

  // "Sửa lại" for the entry the form already holds: to the first field the server refused.
  function toFirstError() {
    var field = form.querySelector(".has-error input:not([type=hidden]), .has-error textarea, .has-error select");
    if (!field) return;
    field.scrollIntoView({ block: "center" });
    field.focus();
  }

  // "Sửa lại": the refused entry back into the form, with its reasons beside the fields. It stays
  // on the device until the corrected entry is saved in its place, or "Bỏ".
  function editAgain(item) {
    return function () {
      fillForm(form, item.payload);
      state.editing = item.client_uuid;
      state.formNote = "";
      showFieldErrors(item.errors);
      render().then(function () {
        form.scrollIntoView();
      });
    };
  }

  function discard(uuid) {
    return function () {
      if (!window.confirm(T.discardConfirm)) return;
      forget(uuid);
    };
  }

  function forget(uuid) {
    return store.remove(uuid).then(function () {
      dropEntry(uuid);
      if (state.editing === uuid) {
        state.editing = null;
        form.reset();
        clearFieldErrors();
      }
      return render();
    });
  }

  // --- the support form -----------------------------------------------------------------------

  function onSubmit(event) {
    var photo = form.elements.photo;
    var hasPhoto = Boolean(photo && photo.files && photo.files.length);
    if (hasPhoto && navigator.onLine) {
      // The ordinary multipart post carries the photo; its hidden UUID makes a double tap harmless.
      var hidden = form.elements.client_uuid;
      if (hidden && !hidden.value) hidden.value = newUuid();
      return;
    }
    event.preventDefault();
    if (state.saving) return; // a double tap must not queue the same support twice
    state.saving = true;
    var submit = form.querySelector('[type="submit"]');
    if (submit) submit.disabled = true;
    var item = {
      client_uuid: "",
      api: form.getAttribute("data-api") || "/api/support-actions",
      payload: payloadFrom(form),
      state: "pending",
      reason: "",
      created: new Date().toISOString(),
    };
    item.client_uuid = item.payload.client_uuid;
    var replaces = state.editing; // a refused entry the form held: this one takes its place
    state.notice = hasPhoto ? T.photo : "";
    state.formNote = "";
    store
      .put(item)
      .then(
        function () {
          var dropped = replaces ? store.remove(replaces) : Promise.resolve();
          return dropped.then(function () {
            if (replaces) dropEntry(replaces);
            state.editing = item.client_uuid;
            addEntry(item);
            var slow = new Promise(function (resolve) {
              setTimeout(resolve, ANSWER_WAIT_MS);
            });
            return Promise.race([flush(false), slow]);
          });
        },
        function () {
          form.submit(); // no storage on this phone (private mode?): post the form the old way
          return null;
        }
      )
      .then(function () {
        return settled(item);
      })
      .catch(function () {
        return null;
      })
      .then(function () {
        state.saving = false;
        if (submit) submit.disabled = false;
      });
  }

  // What the server made of the form's entry. Accepted, or safely queued on the phone: the form is
  // cleared. Refused: it stays as typed, with the reasons beside the fields.
  function settled(item) {
    return store.all().then(function (items) {
      if (state.editing !== item.client_uuid) return render();
      var stored = items.filter(function (other) {
        return other.client_uuid === item.client_uuid;
      })[0];
      if (stored && stored.state === "refused") {
        showFieldErrors(stored.errors);
        return render().then(function () {
          // The reasons, beside the button just tapped.
          if (formStatus) formStatus.scrollIntoView({ block: "nearest" });
        });
      }
      state.editing = null;
      state.formNote = !stored ? T.saved : state.signInNeeded ? T.signIn : T.queued;
      form.reset();
      clearFieldErrors();
      return render();
    });
  }

  // --- the service worker ---------------------------------------------------------------------

  function askWorker(message) {
    if (!("serviceWorker" in navigator)) return;
    navigator.serviceWorker.ready.then(function (registration) {
      if (registration.active) registration.active.postMessage(message);
    });
  }

  function ownFiles() {
    var urls = [];
    document.querySelectorAll("link[rel~=stylesheet], link[rel=manifest], link[rel~=icon], script[src]").forEach(function (node) {
      var url = new URL(node.href || node.src, location.href);
      if (url.origin === location.origin) urls.push(url.pathname);
    });
    return urls;
  }

  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(function () {
      return null; // no worker (old browser, plain http): the queue still works while the page is open
    });
    var urls = ownFiles();
    // This page came from the network, not the worker (first visit): have the worker keep a copy.
    if (!navigator.serviceWorker.controller) urls.push(location.pathname + location.search);
    // An official's own households (only their header's status line asks for them: a commune
    // officer's list is too long to keep offline).
    if (status && status.hasAttribute("data-keep-households")) {
      document.querySelectorAll("a.household-link").forEach(function (link) {
        urls.push(link.getAttribute("href"));
      });
    }
    askWorker({ type: "precache", urls: urls });
  }

  // Signing out: the saved pages hold personal data, so the worker drops them.
  document.addEventListener("submit", function (event) {
    var target = event.target;
    if (!target.action || !/\/accounts\/logout\/?$/.test(new URL(target.action, location.href).pathname)) return;
    if (state.pending && !window.confirm(fmt(T.logoutPending, { n: state.pending }))) {
      event.preventDefault();
      return;
    }
    askWorker({ type: "clear" });
  });

  // --- start ----------------------------------------------------------------------------------

  if (form && form.getAttribute("data-api")) {
    form.addEventListener("submit", onSubmit);
  }
  store
    .all()
    .then(function (items) {
      byAge(items).forEach(addEntry);
    })
    .catch(function () {
      return null;
    })
    .then(function () {
      render();
      flush();
    });
  window.addEventListener("online", function () {
    render();
    flush();
  });
  if (form) {
    // Typing again after an answer: the note about the previous entry no longer applies.
    form.addEventListener("input", function () {
      if (!state.formNote) return;
      state.formNote = "";
      render();
    });
  }
  window.addEventListener("offline", render);
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible") flush();
  });
  setInterval(function () {
    if (navigator.onLine) flush();
  }, FLUSH_EVERY_MS);
})();
