// Share control: with JavaScript, "Copy link" copies the page's address instead of opening it.
// What it says once copied comes from the page (data-copied), in the page's language.
(function () {
  "use strict";
  var status = document.querySelector("[data-copy-status]");
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("[data-copy-link]");
    if (!link || !navigator.clipboard) return; // without a clipboard the link simply opens
    event.preventDefault();
    navigator.clipboard.writeText(link.href).then(
      function () { if (status) status.textContent = status.getAttribute("data-copied"); },
      function () { window.location.href = link.href; }
    );
  });
})();
