// Moves focus to the error summary after a failed submit, so every user hears what to fix.
(function () {
  "use strict";
  var summary = document.getElementById("error-summary");
  if (summary) summary.focus();
})();
