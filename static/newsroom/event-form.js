// The event form's small helpers; without them the form works the same.
// 1. The editor's "When" field says back, as it is typed, what readers will see:
//    the label and the days it covers (the admin's when/ view reads it, as saving
//    would); without the script the same shows after saving ("Readers see").
// 2. The time fields show only for the precision "exact time".
// 3. Django's note "You are N hours behind server time" stands once, not under
//    every date and time field.
function whenPreview() {
  "use strict";
  var input = document.querySelector("input[data-preview]");
  if (!input || !window.fetch) return;
  var output = document.createElement("output");
  output.id = input.getAttribute("data-preview");
  output.setAttribute("for", input.id);
  output.setAttribute("aria-live", "polite");
  output.className = "when-preview";
  input.insertAdjacentElement("afterend", output);
  var url = new URL("../" + (/\/add\/$/.test(location.pathname) ? "" : "../") + "when/",
                    location.href);
  var timer = null;
  var asked = 0;
  function show() {
    var timeline = document.getElementById("id_timeline");
    var place = document.getElementById("id_place");
    var query = new URLSearchParams({ text: input.value,
                                      timeline: timeline ? timeline.value : "",
                                      place: place ? place.value : "" });
    var mine = ++asked;
    if (!input.value.trim()) { output.textContent = ""; return; }
    fetch(url + "?" + query, { credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (data) {
        if (mine !== asked) return;  // a newer answer is coming
        output.textContent = data.error ? "⚠ " + data.error
                                        : "→ " + data.label + " · " + data.interval;
      })
      .catch(function () { output.textContent = ""; });
  }
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(show, 250);
  });
  // The place names a time's zone in the label: say it again when another is chosen
  // (select2 announces a choice through jQuery, not a native event).
  var placeField = document.getElementById("id_place");
  if (placeField && window.django && django.jQuery) django.jQuery(placeField).on("change", show);
  // The time fields only where the precision uses them (they stay in the form).
  var precision = document.getElementById("id_precision");
  var times = document.querySelector(".form-row.field-start_time");
  function fit() {
    if (times) times.hidden = precision.value !== "time";
  }
  if (precision) {
    precision.addEventListener("change", fit);
    fit();
  }
}
function serverTimeNoteOnce() {
  var notes = document.querySelectorAll(".timezonewarning");
  for (var i = 1; i < notes.length; i++) notes[i].hidden = true;
}
// Django adds its notes on "load"; ours runs after every load handler.
window.addEventListener("load", function () { setTimeout(serverTimeNoteOnce, 0); });
// Loaded in the page's head (admin media): wait for the form.
if (document.readyState === "loading") {
  document.addEventListener("DOMContentLoaded", whenPreview);
} else {
  whenPreview();
}
