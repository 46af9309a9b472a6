// The tracking page, live: listen to the complaint's events (Server-Sent Events, opened by the
// access cookie) and, when the status changes or a new notice arrives, fetch the page again
// and replace only the parts ([data-bagian]) whose content changed, then say so on the polite
// status line under the heading. What the citizen just did stays: the confirmation of a reply
// is outside the parts and stays until its "Tutup" is pressed, and a reply being typed keeps
// its text and focus. Without this file the page shows the same by reloading, and "Tutup" is
// a link to the page without the confirmation.
(function () {
  "use strict";
  var root = document.getElementById("perkembangan");
  var live = document.getElementById("pembaruan");
  if (!root) {
    return;
  }

  function dismissible() {
    var notice = document.getElementById("konfirmasi");
    var close = notice ? notice.querySelector(".tutup") : null;
    if (!close) {
      return;
    }
    close.addEventListener("click", function (event) {
      event.preventDefault();
      notice.parentNode.removeChild(notice);
      if (window.history && window.history.replaceState) {
        // A reload must not bring it back.
        window.history.replaceState(null, "", root.getAttribute("data-page"));
      }
      var heading = root.querySelector("h1");
      heading.setAttribute("tabindex", "-1");
      heading.focus();
    });
  }

  dismissible();
  if (!live || !window.EventSource || !window.fetch || !window.DOMParser) {
    return;
  }
  var source = new EventSource(root.getAttribute("data-events"));
  var fetching = false;
  var pending = false;
  var shown = {};

  // The form's CSRF token is not content: a part differing only there is unchanged.
  function content(part) {
    return part.innerHTML.replace(/name="csrftoken" value="[^"]*"/g, "");
  }

  Array.prototype.forEach.call(root.querySelectorAll("[data-bagian]"), function (part) {
    shown[part.id] = content(part);
  });

  function currentStatus() {
    var status = document.getElementById("status");
    return status ? status.getAttribute("data-status") : null;
  }

  function hasNotice(id) {
    return document.querySelector('[data-pesan="' + String(id) + '"]') !== null;
  }

  function replace(part, fresh) {
    // A reply being typed survives the swap of its part.
    var typing = part.querySelector("#message");
    var typed = typing ? typing.value : "";
    var hadFocus = typing !== null && document.activeElement === typing;
    part.innerHTML = fresh.innerHTML;
    var again = part.querySelector("#message");
    if (again && typed) {
      again.value = typed;
    }
    if (again && hadFocus) {
      again.focus();
    }
  }

  // The ids of the parts replaced.
  function update(html) {
    var doc = new DOMParser().parseFromString(html, "text/html");
    var changed = [];
    Array.prototype.forEach.call(doc.querySelectorAll("[data-bagian]"), function (fresh) {
      var part = document.getElementById(fresh.id);
      var now = content(fresh);
      if (part && shown[fresh.id] !== now) {
        shown[fresh.id] = now;
        replace(part, fresh);
        changed.push(fresh.id);
      }
    });
    return changed;
  }

  function noticeIds() {
    return Array.prototype.map.call(document.querySelectorAll("[data-pesan]"), function (item) {
      return item.getAttribute("data-pesan");
    });
  }

  // What the swap changed, said from the page itself rather than from the event that asked for
  // it: events and fetches overlap, and a fetch started for a notice may already bring the
  // status change whose own event arrives a moment later and then finds nothing to change.
  function said(before, changed) {
    var lines = [];
    var status = document.getElementById("status");
    if (status && status.getAttribute("data-status") !== before.status) {
      lines.push("Status diperbarui: " + status.textContent.trim());
    }
    Array.prototype.forEach.call(document.querySelectorAll("[data-pesan]"), function (item) {
      if (before.notices.indexOf(item.getAttribute("data-pesan")) === -1) {
        var title = item.querySelector(".title");
        lines.push("Pemberitahuan baru: " + (title ? title : item).textContent.trim());
      }
    });
    var warning = document.getElementById("gagal-judul");
    if (!lines.length && changed.indexOf("bagian-gagal") !== -1 && warning) {
      lines.push(warning.textContent);
    }
    return lines.length ? lines.join(". ") : "Halaman diperbarui";
  }

  function refresh() {
    if (fetching) {
      pending = true;
      return;
    }
    fetching = true;
    var before = { status: currentStatus(), notices: noticeIds() };
    window
      .fetch(root.getAttribute("data-page"), {
        credentials: "same-origin",
        cache: "no-store",
        headers: { Accept: "text/html" },
      })
      .then(function (response) {
        if (response.redirected || !response.ok) {
          // The access expired (or the page moved): let the browser follow.
          source.close();
          window.location.assign(response.url);
          return null;
        }
        return response.text();
      })
      .then(function (html) {
        var changed = html === null ? [] : update(html);
        if (changed.length) {
          live.textContent = said(before, changed);
        }
      })
      .catch(function () {
        // Offline for a moment: the next event tries again.
      })
      .then(function () {
        fetching = false;
        if (pending) {
          pending = false;
          refresh();
        }
      });
  }

  // Each event asks for the page again when it may bring something new; on connecting, or
  // when something else changed (a notice that did not reach the citizen), the same status
  // still asks, and the swap says what changed, if anything did.
  source.addEventListener("status", function () {
    refresh();
  });
  source.addEventListener("message", function (event) {
    var data = JSON.parse(event.data);
    if (!hasNotice(data.id)) {
      refresh();
    }
  });
})();
