// The tracking page, live: listen to the complaint's events (Server-Sent Events, opened by the
// access cookie) and, when the status changes or a new message arrives, fetch the page again
// and swap its content, then say so in the polite live region. Without this file the page
// shows the same by reloading.
(function () {
  "use strict";
  var root = document.getElementById("perkembangan");
  var live = document.getElementById("pembaruan");
  if (!root || !live || !window.EventSource || !window.fetch || !window.DOMParser) {
    return;
  }
  var source = new EventSource(root.getAttribute("data-events"));
  var fetching = false;
  var pending = null;

  function currentStatus() {
    var status = document.getElementById("status");
    return status ? status.getAttribute("data-status") : null;
  }

  function hasMessage(id) {
    return document.querySelector('[data-pesan="' + String(id) + '"]') !== null;
  }

  function announce(text) {
    live.textContent = "";
    window.setTimeout(function () {
      live.textContent = text;
    }, 100);
    window.setTimeout(function () {
      if (live.textContent === text) {
        live.textContent = "";
      }
    }, 8000);
  }

  function swap(html) {
    var fresh = new DOMParser().parseFromString(html, "text/html").getElementById("isi");
    var main = document.getElementById("isi");
    if (!fresh || !main) {
      return false;
    }
    // A reply being typed survives the swap.
    var typing = document.getElementById("message");
    var typed = typing ? typing.value : "";
    var hadFocus = typing !== null && document.activeElement === typing;
    main.innerHTML = fresh.innerHTML;
    var again = document.getElementById("message");
    if (again && typed) {
      again.value = typed;
    }
    if (again && hadFocus) {
      again.focus();
    }
    return true;
  }

  function refresh(text) {
    if (fetching) {
      pending = text;
      return;
    }
    fetching = true;
    window
      .fetch(window.location.pathname, {
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
        if (html !== null && swap(html)) {
          announce(text);
        }
      })
      .catch(function () {
        // Offline for a moment: the next event tries again.
      })
      .then(function () {
        fetching = false;
        if (pending !== null) {
          var next = pending;
          pending = null;
          refresh(next);
        }
      });
  }

  source.addEventListener("status", function (event) {
    var data = JSON.parse(event.data);
    if (data.status !== currentStatus()) {
      refresh("Status diperbarui: " + data.status_label);
    }
  });
  source.addEventListener("message", function (event) {
    var data = JSON.parse(event.data);
    if (!hasMessage(data.id)) {
      refresh("Pesan baru dari petugas: " + data.title);
    }
  });
})();
