// Share control: with JavaScript, "Copy link" copies the page's address instead of opening it.
(function () {
  "use strict";
  var status = document.querySelector("[data-copy-status]");
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("[data-copy-link]");
    if (!link || !navigator.clipboard) return; // without a clipboard the link simply opens
    event.preventDefault();
    navigator.clipboard.writeText(link.href).then(
      function () { if (status) status.textContent = "Link copied. Paste it anywhere to share this job."; },
      function () { window.location.href = link.href; }
    );
  });
})();
