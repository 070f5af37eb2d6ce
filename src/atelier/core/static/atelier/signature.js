// Signature pad: draws with a finger, a stylus or the mouse (Pointer Events) on every [data-signature-pad]
// and keeps the drawing, as a PNG data URL, in the hidden input next to the canvas. Loaded once per page.
(function () {
  if (window.atelierSignature) return;
  window.atelierSignature = true;

  function setUp(pad) {
    var canvas = pad.querySelector("canvas");
    var input = pad.querySelector("input[type=hidden]");
    var hint = pad.querySelector("[data-signature-hint]");
    var blank = hint ? hint.textContent : "";
    var ctx = canvas.getContext("2d");
    var drawing = false;
    var drawn = false;
    ctx.lineWidth = 2.5;
    ctx.lineCap = "round";
    ctx.lineJoin = "round";
    ctx.strokeStyle = "#111";

    if (input.value) {  // a signature kept after a refused submit is shown again
      var img = new Image();
      img.onload = function () { ctx.drawImage(img, 0, 0); };
      img.src = input.value;
      drawn = true;
    }

    function point(event) {
      var box = canvas.getBoundingClientRect();
      return {
        x: (event.clientX - box.left) * (canvas.width / box.width),
        y: (event.clientY - box.top) * (canvas.height / box.height),
      };
    }
    canvas.addEventListener("pointerdown", function (event) {
      event.preventDefault();
      canvas.setPointerCapture(event.pointerId);
      drawing = true;
      var p = point(event);
      ctx.beginPath();
      ctx.moveTo(p.x, p.y);
      ctx.lineTo(p.x + 0.1, p.y + 0.1);
      ctx.stroke();
    });
    canvas.addEventListener("pointermove", function (event) {
      if (!drawing) return;
      var p = point(event);
      ctx.lineTo(p.x, p.y);
      ctx.stroke();
      drawn = true;
    });
    function finish() {
      if (!drawing) return;
      drawing = false;
      if (drawn) {
        input.value = canvas.toDataURL("image/png");
        if (hint) hint.textContent = hint.dataset.signed;  // texts come translated from the template
      }
    }
    canvas.addEventListener("pointerup", finish);
    canvas.addEventListener("pointercancel", finish);
    canvas.addEventListener("pointerleave", finish);
    pad.querySelector("[data-signature-clear]").addEventListener("click", function () {
      ctx.clearRect(0, 0, canvas.width, canvas.height);
      input.value = "";
      drawn = false;
      if (hint) hint.textContent = blank;
    });
  }

  function setUpAll(root) {
    root.querySelectorAll("[data-signature-pad]:not([data-ready])").forEach(function (pad) {
      pad.setAttribute("data-ready", "");
      setUp(pad);
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { setUpAll(document); });
  } else {
    setUpAll(document);
  }
  document.addEventListener("htmx:afterSwap", function (event) { setUpAll(event.target); });
})();
