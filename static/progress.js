// Polls the application's status while the interview is prepared, and moves the steps along.
// Without JavaScript the page refreshes itself (a <noscript> meta refresh), so this is a nicety.
(function () {
  "use strict";
  // Its words come from the page, in the page's language (the script tag's data-texts).
  var script = document.currentScript;
  var texts = script && script.hasAttribute("data-texts") ? JSON.parse(script.getAttribute("data-texts")) : {};
  var root = document.querySelector("[data-status-url]");
  if (!root) return;
  var url = root.getAttribute("data-status-url");
  var stage = root.getAttribute("data-stage");
  // Right after sending, the answer often comes within a second or two: look every 250 ms for the
  // first 3 s, then back off (x1.5 a poll) to every 5 s while the interview is prepared, or 15 s
  // in review. Measured by `make bench`: "time_to_ready" is decided in the first seconds;
  // "waiting" (300 candidates at once) cost 0.3 of a core at a 2 s ceiling, since past the
  // server's 2 s keep-alive every poll is a new connection. During the interview itself the page
  // looks every second, on one kept-alive connection, so the thank-you follows the platform's
  // webhook at once rather than seconds behind the frame (the platform sends the frame no message).
  var slowest = stage === "preparing" ? 5000 : stage === "interview" ? 1000 : 15000;
  var delay = stage === "preparing" ? 250 : slowest;
  var fastUntil = Date.now() + (stage === "preparing" ? 3000 : 0);
  var note = document.getElementById("progress-note");
  var slowText = document.getElementById("progress-slow-text");

  function render(status) {
    var steps = root.querySelectorAll(".step");
    for (var i = 0; i < steps.length; i++) {
      var n = i + 1;
      var state = n < status.step ? "done" : n === status.step ? "current" : "todo";
      steps[i].className = "step " + state;
      if (state === "current") steps[i].setAttribute("aria-current", "step");
      else steps[i].removeAttribute("aria-current");
      var label = steps[i].querySelector(".step-state");
      if (label && texts[state]) label.textContent = texts[state];
    }
    if (note) {
      if (status.slow && slowText) note.textContent = slowText.textContent;
      else if (status.retrying && texts.retrying) note.textContent = texts.retrying;
    }
  }

  function poll() {
    fetch(url, { headers: { Accept: "application/json" }, cache: "no-store", credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (status) {
        if (!status) return;
        if (status.stage !== stage) {
          // Never reload under someone typing their code: tell them instead, and reload once sent.
          var code = document.getElementById("code");
          if (code && (code.value || document.activeElement === code)) {
            if (status.stage === "interview" && note && texts.ready) note.textContent = texts.ready;
            return;
          }
          window.location.reload();
          return;
        }
        render(status);
      })
      .catch(function () { /* a missed poll is retried on the next tick */ })
      .then(function () {
        if (Date.now() >= fastUntil) delay = Math.min(slowest, Math.round(delay * 1.5));
        window.setTimeout(poll, delay);
      });
  }
  window.setTimeout(poll, delay);
})();
