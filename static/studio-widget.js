/* The studio's jobs widget page: copy buttons, and a preview that follows the unsaved settings. */
(function () {
  "use strict";
  var status = document.getElementById("copy-status");
  document.querySelectorAll("[data-copy]").forEach(function (button) {
    button.addEventListener("click", function () {
      var box = document.getElementById(button.getAttribute("data-copy"));
      var done = function () { status.textContent = "Copied. Paste it into the website's page."; };
      box.select();
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(box.value).then(done, function () {
          status.textContent = "Press Ctrl+C (or ⌘C) to copy the selected text.";
        });
      } else {
        status.textContent = document.execCommand("copy") ? "" : "Press Ctrl+C (or ⌘C) to copy the selected text.";
        if (!status.textContent) done();
      }
    });
  });

  var form = document.getElementById("widget-form");
  var preview = document.getElementById("widget-preview");
  var current = preview && preview.querySelector("script");
  if (!form || !current) return;
  var source = current.src;
  function redraw() {
    var filters = [];
    if (form.elements.show_department.checked) filters.push("department");
    if (form.elements.show_location.checked) filters.push("location");
    var limit = parseInt(form.elements.job_limit.value, 10);
    var script = document.createElement("script");
    script.src = source;
    script.setAttribute("data-filters", filters.join(" ") || "none");
    script.setAttribute("data-limit", limit >= 1 && limit <= 50 ? String(limit) : "10");
    // Hold the height while the new widget loads, so nothing below it jumps under the pointer.
    preview.style.minHeight = preview.offsetHeight + "px";
    preview.textContent = "";
    preview.appendChild(script);
    window.setTimeout(function () { preview.style.minHeight = ""; }, 1500);
  }
  form.elements.show_department.addEventListener("change", redraw);
  form.elements.show_location.addEventListener("change", redraw);
  form.elements.job_limit.addEventListener("input", redraw);
})();
