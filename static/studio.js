// The studio's sample follows the draft form as the marketer types. Saving stays the truth:
// this only restyles the sample on this page, and without it the sample shows the saved draft.
(function () {
  "use strict";
  var form = document.getElementById("draft-form");
  var sample = document.getElementById("sample");
  if (!form || !sample) return;
  var samples = document.querySelectorAll(".studio-sample");
  var button = sample.querySelector(".sample-button");
  var caption = document.getElementById("sample-caption");
  var fonts = {};
  try { fonts = JSON.parse(sample.getAttribute("data-fonts") || "{}"); } catch (e) { fonts = {}; }
  var HEX = /^#[0-9a-f]{6}$/i;

  function field(name) { return form.elements.namedItem(name); }
  function value(name) {
    var el = field(name);
    if (!el) return "";
    if (typeof RadioNodeList !== "undefined" && el instanceof RadioNodeList) return el.value;
    return el.value || "";
  }

  // WCAG relative luminance and contrast, as the server's theme module computes them.
  function luminance(hex) {
    var sum = 0, weights = [0.2126, 0.7152, 0.0722];
    for (var i = 0; i < 3; i++) {
      var c = parseInt(hex.substr(1 + 2 * i, 2), 16) / 255;
      c = c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
      sum += weights[i] * c;
    }
    return sum;
  }
  function contrast(a, b) {
    var la = luminance(a), lb = luminance(b);
    return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
  }
  function onColour(bg) { return contrast(bg, "#ffffff") >= contrast(bg, "#111111") ? "#ffffff" : "#111111"; }

  function setAll(prop, v) {
    for (var i = 0; i < samples.length; i++) samples[i].style.setProperty(prop, v);
  }

  // Markdown shown as plain words: the sample is a glance, not the page.
  function plain(text) {
    return text.replace(/\[([^\]]*)\]\([^)]*\)/g, "$1").replace(/[*_#>`]+/g, "").replace(/\s+/g, " ").trim();
  }

  function apply() {
    var colours = { primary_color: "--s-brand", accent_color: "--s-accent", text_color: "--s-text", background_color: "--s-bg" };
    Object.keys(colours).forEach(function (key) {
      var v = value("brand_" + key);
      if (!HEX.test(v)) return;
      setAll(colours[key], v);
      if (key === "primary_color") setAll("--s-on-brand", onColour(v));
      var input = field("brand_" + key);
      var code = input && input.parentNode.querySelector("code");
      if (code) code.textContent = v.toLowerCase();
    });
    var font = fonts[value("brand_font")];
    if (font) setAll("--s-font", font);
    var radius = parseInt(value("brand_radius"), 10);
    var style = value("brand_button_style");
    if (!isNaN(radius) && radius >= 0 && radius <= 24) {
      setAll("--s-radius", radius + "px");
      setAll("--s-button-radius", style === "pill" ? "999px" : radius + "px");
    } else if (style === "pill") {
      setAll("--s-button-radius", "999px");
    }
    if (button && style) {
      var outline = style === "outline";
      button.style.background = outline ? "transparent" : "var(--s-brand)";
      button.style.color = outline ? "var(--s-brand)" : "var(--s-on-brand)";
    }
    var texts = sample.querySelectorAll("[data-sample-text]");
    for (var i = 0; i < texts.length; i++) {
      var el = texts[i];
      var text = plain(value(el.getAttribute("data-sample-text"))) || el.getAttribute("data-default") || "";
      var limit = parseInt(el.getAttribute("data-limit") || "0", 10);
      if (limit && text.length > limit) text = text.slice(0, limit - 1).replace(/\s+\S*$/, "") + "…";
      el.textContent = text;
    }
  }

  if (caption) caption.textContent = "(follows the form as you type)";
  form.addEventListener("input", apply);
  form.addEventListener("change", apply);
  apply();
})();
