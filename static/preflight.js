// The camera and microphone check before the interview frame, and the phone-first room.
// Without JavaScript none of this runs: the frame is in a <noscript> and shows straight away.
(function () {
  "use strict";
  var box = document.getElementById("preflight");
  var frameBox = document.getElementById("frame-box");
  var room = document.getElementById("room");
  var PASSED = "careerframe.preflight";
  var stream = null, audio = null, raf = 0;
  // The words come from the page (the studio's texts), never from this script.
  var words = {};
  try { words = JSON.parse((box && box.dataset.texts) || "{}"); } catch (e) { words = {}; }
  function say(key) { return words[key] || ""; }

  function remembered() { try { return sessionStorage.getItem(PASSED) === "passed"; } catch (e) { return false; } }
  function remember() { try { sessionStorage.setItem(PASSED, "passed"); } catch (e) { /* private mode */ } }
  function $(id) { return document.getElementById(id); }

  // ---- the interview frame, loaded only once the devices are released ----
  function fitDesktop() {
    if (!frameBox) return;
    var top = frameBox.getBoundingClientRect().top + window.scrollY;
    document.documentElement.style.setProperty("--room-top", Math.round(top) + "px");
  }

  function loadFrame() {
    if (!frameBox || !frameBox.dataset.frameSrc || $("interview-frame")) return;
    // The check and the "before you start" panel give the frame their place.
    var steps = box && box.closest(".room-steps");
    if (steps) steps.hidden = true;
    if (box) box.hidden = true;
    var before = $("before-start");
    if (before) before.hidden = true;
    var frame = document.createElement("iframe");
    frame.id = "interview-frame";
    frame.title = frameBox.dataset.frameTitle || "";
    frame.setAttribute("allow", frameBox.dataset.frameAllow || "");
    frame.setAttribute("referrerpolicy", "no-referrer");
    frame.src = frameBox.dataset.frameSrc;
    frameBox.appendChild(frame);
    if (room) {
      room.classList.add("room-live");
      var bar = room.querySelector(".room-bar");
      if (bar) bar.hidden = false;
    }
    var trouble = $("frame-trouble");
    if (trouble) trouble.hidden = false;
    fitDesktop();
    window.addEventListener("resize", fitDesktop);
  }

  // Help leaves the full-screen room for the page (the frame stays loaded), and comes back.
  document.addEventListener("click", function (event) {
    var target = event.target;
    if (!(target instanceof Element) || !room) return;
    var back = document.querySelector("[data-room-back]");
    if (target.closest("[data-room-help]")) {
      room.classList.remove("room-live");
      if (back) back.hidden = false;
      var help = $("room-help");
      if (help) {
        var fold = help.querySelector("details");
        if (fold) fold.open = true;
        help.scrollIntoView();
        var summary = help.querySelector("summary");
        if (summary) summary.focus();
      }
    } else if (target.closest("[data-room-back]")) {
      room.classList.add("room-live");
      if (back) back.hidden = true;
      window.scrollTo(0, 0);
      fitDesktop();
      var frame = $("interview-frame");
      if (frame) frame.focus();
    }
  });

  if (!box) { loadFrame(); return; }
  if (remembered() && frameBox) { loadFrame(); return; }
  // Advice about the frame waits for the frame.
  var frameTrouble = $("frame-trouble");
  if (frameTrouble) frameTrouble.hidden = true;

  // ---- the check itself ----
  var ua = navigator.userAgent || "";
  var phone = /Android|iPhone|iPad|iPod|Mobile/i.test(ua);
  var inApp = /FBAN|FBAV|FB_IAB|Instagram|LinkedInApp|; wv\)/i.test(ua);
  var browser = /Edg\//.test(ua) ? "edge" : /Firefox|FxiOS/.test(ua) ? "firefox"
    : /Chrome|CriOS|Chromium/.test(ua) ? "chrome" : /Safari/.test(ua) ? "safari" : "chrome";
  var status = $("preflight-status"), go = $("preflight-go"), retry = $("preflight-retry");

  function setReading(id, label, state) {
    var el = $(id);
    el.dataset.state = state;
    var value = say(state === "ok" ? "check_working" : state === "checking" ? "check_checking_state" : "check_not_working");
    var pattern = el.dataset.reading || "{label}: {state}";
    el.textContent = pattern.replace("{label}", function () { return say(label); })
      .replace("{state}", function () { return value; });
  }

  function release() {
    if (raf) cancelAnimationFrame(raf);
    raf = 0;
    if (stream) stream.getTracks().forEach(function (track) { track.stop(); });
    stream = null;
    if (audio) { audio.close().catch(function () {}); audio = null; }
    var video = $("preflight-video");
    video.srcObject = null;
  }

  function meter(source) {
    var Context = window.AudioContext || window.webkitAudioContext;
    if (!Context) return;
    audio = new Context();
    var analyser = audio.createAnalyser();
    analyser.fftSize = 512;
    audio.createMediaStreamSource(source).connect(analyser);
    var samples = new Uint8Array(analyser.fftSize);
    var level = $("preflight-level");
    (function tick() {
      analyser.getByteTimeDomainData(samples);
      var sum = 0;
      for (var i = 0; i < samples.length; i++) { var v = (samples[i] - 128) / 128; sum += v * v; }
      var rms = Math.min(1, Math.sqrt(sum / samples.length) * 3);
      level.value = rms;
      level.textContent = Math.round(rms * 100) + "%";
      if (rms > 0.02) box.dataset.heard = "yes";
      raf = requestAnimationFrame(tick);
    })();
  }

  function problem(kind) {
    box.dataset.state = kind;
    var panel = $("preflight-problem");
    Array.prototype.forEach.call(panel.querySelectorAll("[data-problem]"), function (el) {
      el.hidden = el.dataset.problem !== kind;
    });
    var wanted = browser + (phone ? "-phone" : "");
    var lines = panel.querySelectorAll("[data-browser]");
    var any = Array.prototype.some.call(lines, function (el) { return el.dataset.browser === wanted; });
    Array.prototype.forEach.call(lines, function (el) {
      el.hidden = el.dataset.browser !== (any ? wanted : browser);
    });
    panel.hidden = false;
    panel.setAttribute("role", "alert");
    status.textContent = "";
    go.hidden = true;
    retry.hidden = kind === "insecure" || kind === "inapp";
    panel.scrollIntoView({ block: "nearest" });
  }

  function kindOf(error) {
    var name = error && error.name;
    if (name === "NotAllowedError" || name === "PermissionDeniedError" || name === "SecurityError") {
      return inApp ? "inapp" : !window.isSecureContext ? "insecure" : "denied";
    }
    if (name === "NotFoundError" || name === "DevicesNotFoundError" || name === "OverconstrainedError") return "notfound";
    if (name === "NotReadableError" || name === "TrackStartError" || name === "AbortError") return "busy";
    return inApp ? "inapp" : "other";
  }

  function check() {
    release();
    box.dataset.state = "checking";
    $("preflight-problem").hidden = true;
    retry.hidden = true;
    go.hidden = true;
    setReading("preflight-camera", "check_camera", "checking");
    setReading("preflight-microphone", "check_microphone", "checking");
    status.textContent = say("check_checking");
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
      setReading("preflight-camera", "check_camera", "failed");
      setReading("preflight-microphone", "check_microphone", "failed");
      problem(!window.isSecureContext ? "insecure" : inApp ? "inapp" : "other");
      return;
    }
    navigator.mediaDevices.getUserMedia({ video: true, audio: true }).then(function (got) {
      stream = got;
      var video = $("preflight-video");
      video.srcObject = got;
      setReading("preflight-camera", "check_camera", got.getVideoTracks().length ? "ok" : "failed");
      setReading("preflight-microphone", "check_microphone", got.getAudioTracks().length ? "ok" : "failed");
      meter(got);
      box.dataset.state = "ready";
      status.textContent = say(frameBox ? "check_ready_interview" : "check_ready_waiting");
      go.hidden = false;
    }, function (error) {
      box.dataset.error = (error && error.name) || "unknown";
      setReading("preflight-camera", "check_camera", "failed");
      setReading("preflight-microphone", "check_microphone", "failed");
      problem(kindOf(error));
    });
  }

  function goOn(passed) {
    release();  // the frame must find the devices free
    if (passed) remember();
    if (frameBox) { loadFrame(); return; }
    box.dataset.state = passed ? "passed" : "skipped";
    go.hidden = retry.hidden = true;
    $("preflight-skip").hidden = true;
    $("preflight-problem").hidden = true;
    status.textContent = say(passed ? "check_passed" : "check_skipped");
  }

  go.addEventListener("click", function () { goOn(true); });
  $("preflight-skip").addEventListener("click", function () { goOn(false); });
  retry.addEventListener("click", check);
  var copy = box.querySelector("[data-copy-page]");
  if (copy) {
    copy.addEventListener("click", function () {
      var link = window.location.origin + window.location.pathname;
      var said = box.querySelector("[data-copy-page-status]");
      var done = function () { said.textContent = say("problem_copied"); };
      var failed = function () { said.textContent = say("problem_copy_failed"); };
      if (navigator.clipboard && window.isSecureContext) navigator.clipboard.writeText(link).then(done, failed);
      else failed();
    });
  }
  window.addEventListener("pagehide", release);
  box.hidden = false;
  if (remembered()) { goOn(true); return; }
  check();
})();
