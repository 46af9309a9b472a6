// The citizens' portal: move focus to the error summary, so a screen reader reads what to fix
// first; on the filing form, an anonymous complaint (*anonim*) hides the name and contact fields
// and the channels that need them. Everything works without this file: the server refuses a
// name or contact sent with an anonymous complaint and says so on the form.
(function () {
  "use strict";
  var summary = document.getElementById("ringkasan-galat");
  if (summary) {
    summary.focus();
  }

  var anonymous = document.getElementById("identity-anonymous");
  if (!anonymous) {
    return;
  }
  // Hidden and disabled: a disabled field is not sent, so what was typed before choosing
  // anonim stays in the page (for a change of mind) but never leaves it.
  var contacts = ["name", "email", "phone", "channels", "channels-sms", "channels-whatsapp"];
  var app = document.getElementById("channels-app");

  function show() {
    var hide = anonymous.checked;
    contacts.forEach(function (id) {
      var input = document.getElementById(id);
      if (!input) {
        return;
      }
      input.disabled = hide;
      var box = input.closest(".choice") || input.closest(".field");
      if (box) {
        box.hidden = hide;
      }
    });
    if (hide && app) {
      app.checked = true;
    }
  }

  document.querySelectorAll('input[name="identity"]').forEach(function (radio) {
    radio.addEventListener("change", show);
  });
  show();
})();
