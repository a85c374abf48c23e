/* Careerframe jobs widget: open positions in the published brand, drawn inside a shadow root. */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || !script.src || !script.parentNode) return;
  var base = script.src.replace(/[?#].*$/, "").replace(/[^/]*$/, "");
  var HEX = /^#[0-9a-fA-F]{6}$/;
  var NAMES = { department: ["department", "allDepartments"], location: ["location", "allLocations"] };
  var EARLY = {};
  var lang = String(script.getAttribute("data-lang") || document.documentElement.lang || "").toLowerCase();
  var early = EARLY[lang] || EARLY[lang.split("-")[0]] || EARLY[""] || {};
  var CSS = [
    // The host page may size and place the element; only hiding it takes !important, which we win.
    ":host{all:initial;display:block!important;opacity:1!important;visibility:visible!important}",
    ":host([hidden]){display:none!important}",
    "*,*::before,*::after{box-sizing:border-box}",
    ".w{all:initial;display:block;font:16px/1.5 var(--f);color:var(--t);background:var(--bg);padding:16px;border-radius:var(--r);text-align:start}",
    "h2{margin:0 0 12px;font-size:1.25em;line-height:1.3;font-weight:700;color:inherit}",
    ".filters{display:flex;flex-wrap:wrap;gap:12px;margin:0 0 8px}",
    ".field{display:flex;flex-direction:column;gap:4px;flex:1 1 10em;min-width:0}",
    "label{font-weight:600;font-size:.9em}",
    "select{font:inherit;padding:8px;border:1px solid #767676;border-radius:var(--r);background:#fff;color:#1d1d1d;width:100%}",
    ".count{margin:8px 0;font-size:.95em}",
    "ul{list-style:none;margin:0;padding:0;display:grid;gap:8px}",
    ".job{display:block;background:#fff;color:#1d1d1d;border:1px solid rgba(0,0,0,.12);border-radius:var(--r);padding:12px 16px;transition:box-shadow .15s,transform .15s}",
    ".job:hover{box-shadow:0 2px 8px rgba(0,0,0,.12);transform:translateY(-1px)}",
    ".title{color:var(--p);font-weight:700;font-size:1.05em;text-decoration:underline;text-underline-offset:3px}",
    ".meta{display:block;font-size:.9em;color:#4a4a4a}",
    ".button{display:inline-block;margin-top:12px;font-weight:600;padding:8px 16px;border:2px solid var(--p);border-radius:var(--br);background:var(--p);color:var(--op);text-decoration:none}",
    ".outline .button{background:transparent;color:var(--p)}",
    "a:focus-visible,select:focus-visible{outline:3px solid var(--p);outline-offset:2px}",
    "@media (prefers-reduced-motion:reduce){.job{transition:none}.job:hover{transform:none}}"
  ].join("\n");

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  function colour(value, fallback) {
    return HEX.test(String(value)) ? String(value) : fallback;
  }

  function size(value, fallback) {
    var n = Number(value);
    return isFinite(n) && n >= 0 && n <= 999 ? n + "px" : fallback;
  }

  function brandStyle(wrapper, brand) {
    var set = function (name, value) { wrapper.style.setProperty(name, value); };
    set("--p", colour(brand.primary, "#0b5d4b"));
    set("--op", colour(brand.onPrimary, "#ffffff"));
    set("--t", colour(brand.text, "#1d2420"));
    set("--bg", colour(brand.background, "#f7f6f2"));
    set("--f", typeof brand.font === "string" ? brand.font : "system-ui, sans-serif");
    set("--r", size(brand.radius, "10px"));
    set("--br", size(brand.buttonRadius, "10px"));
    if (brand.buttonStyle === "outline") wrapper.classList.add("outline");
  }

  function addStyles(root) {
    try {
      var sheet = new CSSStyleSheet();
      sheet.replaceSync(CSS);
      root.adoptedStyleSheets = [sheet];
    } catch (e) {
      root.appendChild(el("style", "", CSS));
    }
  }

  function chosenFilters(data) {
    var asked = script.getAttribute("data-filters");
    var list = asked === null ? data.filters : asked.split(/[\s,]+/);
    return (Array.isArray(list) ? list : []).filter(function (name, i, all) {
      return Object.prototype.hasOwnProperty.call(NAMES, name) && all.indexOf(name) === i;
    });
  }

  function chosenLimit(data) {
    var n = parseInt(script.getAttribute("data-limit") || data.limit, 10);
    return n >= 1 && n <= 200 ? n : 10;
  }

  function distinct(jobs, key) {
    var seen = {};
    jobs.forEach(function (job) { if (job[key]) seen[job[key]] = true; });
    return Object.keys(seen).sort();
  }

  function words(data) {
    var given = data.texts && typeof data.texts === "object" ? data.texts : {};
    return function (key) { return typeof given[key] === "string" ? given[key] : ""; };
  }

  function render(wrapper, data) {
    var say = words(data);
    var counts = data.texts && Array.isArray(data.texts.counts) ? data.texts.counts : [];
    var jobs = Array.isArray(data.jobs) ? data.jobs : [];
    var brand = data.brand || {};
    var limit = chosenLimit(data);
    var wanted = {
      department: script.getAttribute("data-department") || "",
      location: script.getAttribute("data-location") || ""
    };
    var selects = {};
    brandStyle(wrapper, brand);
    wrapper.textContent = "";
    if (typeof data.lang === "string") wrapper.setAttribute("lang", data.lang);
    wrapper.appendChild(el("h2", "", say("heading")));
    var filters = chosenFilters(data);
    if (filters.length) {
      var bar = el("div", "filters");
      filters.forEach(function (name, index) {
        var field = el("div", "field");
        var label = el("label", "", say(NAMES[name][0]));
        var select = el("select");
        select.id = "f" + index;
        label.htmlFor = select.id;
        select.appendChild(el("option", "", say(NAMES[name][1]))).value = "";
        distinct(jobs, name).forEach(function (value) {
          var option = select.appendChild(el("option", "", value));
          option.value = value;
          option.selected = value === wanted[name];
        });
        select.addEventListener("change", update);
        selects[name] = select;
        field.appendChild(label);
        field.appendChild(select);
        bar.appendChild(field);
      });
      wrapper.appendChild(bar);
    }
    var status = el("p", "count");
    status.setAttribute("role", "status");
    status.setAttribute("aria-live", "polite");
    var list = el("ul");
    wrapper.appendChild(status);
    wrapper.appendChild(list);
    var more = el("a", "button", say("more"));
    more.href = typeof data.home === "string" && /^https?:/.test(data.home) ? data.home : base;
    wrapper.appendChild(more);

    function value(name) {
      return selects[name] ? selects[name].value : wanted[name];
    }

    function update() {
      var shown = jobs.filter(function (job) {
        return (!value("department") || job.department === value("department")) &&
          (!value("location") || job.location === value("location"));
      });
      list.textContent = "";
      shown.slice(0, limit).forEach(function (job) {
        var item = el("li", "job");
        var link = el("a", "title", String(job.title || ""));
        link.href = /^https?:/.test(String(job.url)) ? String(job.url) : base;
        item.appendChild(link);
        var meta = [job.department, job.location].filter(Boolean).join(" · ");
        if (meta) item.appendChild(el("span", "meta", meta));
        list.appendChild(item);
      });
      var count = String(counts[shown.length] || shown.length);
      if (shown.length > limit) {
        count = say("limited").replace("{count}", count).replace("{limit}", String(limit));
      }
      if (!shown.length) count = say("none");
      status.textContent = count;
    }
    update();
  }

  var host = document.createElement("careerframe-jobs");
  script.parentNode.insertBefore(host, script.nextSibling);
  var root = host.attachShadow({ mode: "open" });
  addStyles(root);
  var wrapper = root.appendChild(el("section", "w"));
  wrapper.setAttribute("aria-label", early.label || "");
  var loading = wrapper.appendChild(el("p", "count", early.loading || "…"));
  loading.setAttribute("role", "status");

  var feed = base + "widget/jobs.json" + (lang ? "?lang=" + encodeURIComponent(lang) : "");
  fetch(feed, { credentials: "omit", mode: "cors" })
    .then(function (response) {
      if (!response.ok) throw new Error("HTTP " + response.status);
      return response.json();
    })
    .then(function (data) { render(wrapper, data || {}); })
    .catch(function () {
      wrapper.textContent = "";
      wrapper.appendChild(el("p", "count", (early.failed || "") + " "));
      var link = wrapper.appendChild(el("a", "button", early.elsewhere || base));
      link.href = base;
    });
})();
