// "Copy the link" on the candidate's page: shown only where the clipboard can be used.
// The link copied is the page's own address, without any notice in its query. Its words come
// from the page (data-copied, data-copy-failed), in the page's language.
(function () {
  "use strict";
  var button = document.querySelector("[data-copy-link]");
  if (!button || !navigator.clipboard || !window.isSecureContext) return;
  var status = document.querySelector("[data-copy-status]");
  button.hidden = false;
  button.addEventListener("click", function () {
    var link = window.location.origin + window.location.pathname;
    navigator.clipboard.writeText(link).then(
      function () { if (status) status.textContent = button.getAttribute("data-copied"); },
      function () { if (status) status.textContent = button.getAttribute("data-copy-failed"); }
    );
  });
})();
