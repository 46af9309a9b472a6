// The citizens' portal: move focus to the error summary, so a screen reader reads what to fix
// first. Everything works without this file.
(function () {
  "use strict";
  var summary = document.getElementById("ringkasan-galat");
  if (summary) {
    summary.focus();
  }
})();
