// Countdown of the running part of an épreuve (grid page). The server stores start, pauses and end; this only
// shows the time left, then the overrun, from the seconds the page was rendered with. No network, no CDN.
(function () {
  "use strict";
  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function clock(s) { return pad(Math.floor(s / 60)) + ":" + pad(s % 60); }
  function render(el, elapsed) {
    var planned = parseInt(el.dataset.planned, 10);
    var left = planned - elapsed;
    var text = el.querySelector(".cert-clock-text");
    if (left >= 0) {
      text.textContent = el.dataset.leftLabel + " " + clock(left);
    } else {
      text.textContent = el.dataset.overLabel + " +" + clock(-left);
      if (!el.classList.contains("cert-overrun")) {
        el.classList.add("cert-overrun");
        var warn = el.parentNode.querySelector(".cert-overrun-warning");
        if (warn) { warn.hidden = false; }
      }
    }
  }
  function start() {
    var clocks = document.querySelectorAll(".cert-clock");
    var t0 = Date.now();
    clocks.forEach(function (el) { render(el, parseInt(el.dataset.elapsed, 10)); });
    setInterval(function () {
      var more = Math.floor((Date.now() - t0) / 1000);
      clocks.forEach(function (el) {
        var base = parseInt(el.dataset.elapsed, 10);
        render(el, el.dataset.running === "1" ? base + more : base);
      });
    }, 1000);
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
