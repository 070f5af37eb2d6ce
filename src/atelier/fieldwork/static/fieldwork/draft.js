// Forms marked data-draft survive a reload on a tablet with a weak connection: every change is saved in
// localStorage under the page's URL and the form's id, restored when the page opens again, and forgotten once
// the form is submitted and the next page says it was recorded (a page showing errors keeps the draft). The
// signature is not kept: it is drawn again.
(function () {
  "use strict";
  var PREFIX = "atelier-draft:";
  function key(form) { return PREFIX + location.pathname + location.search + "#" + (form.id || "form"); }
  function fields(form) {
    return Array.prototype.filter.call(form.elements, function (el) {
      return el.name && el.name !== "csrfmiddlewaretoken" && el.type !== "file" && el.type !== "submit" &&
        el.type !== "button" && el.type !== "hidden";
    });
  }
  function save(form) {
    var data = {};
    fields(form).forEach(function (el) {
      if (el.type === "checkbox") { data[el.name + "=" + el.value] = el.checked; }
      else if (el.type === "radio") { if (el.checked) { data[el.name] = el.value; } }
      else { data[el.name] = el.value; }
    });
    try { localStorage.setItem(key(form), JSON.stringify(data)); } catch (e) { /* storage full or disabled */ }
  }
  function restore(form) {
    var raw = null;
    try { raw = localStorage.getItem(key(form)); } catch (e) { return; }
    if (!raw) { return; }
    var data = JSON.parse(raw);
    fields(form).forEach(function (el) {
      if (el.type === "checkbox") {
        var k = el.name + "=" + el.value;
        if (k in data) { el.checked = data[k]; }
      } else if (el.type === "radio") {
        if (el.name in data) { el.checked = data[el.name] === el.value; }
      } else if (el.name in data) {
        el.value = data[el.name];
      }
    });
    form.setAttribute("data-draft-restored", "1");
  }
  document.addEventListener("DOMContentLoaded", function () {
    // A success message on this page means the previous submit was recorded: drop the drafts it came from.
    var pending = sessionStorage.getItem(PREFIX + "submitted");
    if (pending && document.querySelector(".messages .msg-success, .messages .msg-warning")) {
      localStorage.removeItem(pending);
    }
    sessionStorage.removeItem(PREFIX + "submitted");
    document.querySelectorAll("form[data-draft]").forEach(function (form) {
      restore(form);
      form.addEventListener("input", function () { save(form); });
      form.addEventListener("change", function () { save(form); });
      form.addEventListener("submit", function () {
        save(form);
        sessionStorage.setItem(PREFIX + "submitted", key(form));
      });
    });
  });
})();
