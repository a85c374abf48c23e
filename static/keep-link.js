// "Copy the link" on the candidate's page: shown only where the clipboard can be used.
// The link copied is the page's own address, without any notice in its query.
(function () {
  "use strict";
  var button = document.querySelector("[data-copy-link]");
  if (!button || !navigator.clipboard || !window.isSecureContext) return;
  var status = document.querySelector("[data-copy-status]");
  button.hidden = false;
  button.addEventListener("click", function () {
    var link = window.location.origin + window.location.pathname;
    navigator.clipboard.writeText(link).then(
      function () { if (status) status.textContent = "Link copied. Keep it somewhere safe."; },
      function () { if (status) status.textContent = "We could not copy it: please copy the address from your browser's address bar."; }
    );
  });
})();
