// Django's autocomplete fields (select2 4.0) name none of their inputs for assistive
// technology: a multiple choice's search field has no label, a single choice's box
// is named only by its current value (nothing, when empty), and the list of chosen
// items holds the "clear" button, which is no list item. This names each after the
// field's label and moves the button beside the list — again whenever select2 draws
// them anew (a choice made, an inline row added). Without it the fields work the same.
(function () {
  "use strict";
  function labelOf(select) {
    var label = document.querySelector('label[for="' + select.id + '"]');
    if (!label) return null;
    if (!label.id) label.id = select.id + "-label";
    return label;
  }
  function set(element, name, value) {
    if (element.getAttribute(name) !== value) element.setAttribute(name, value);
  }
  function mend() {
    document.querySelectorAll("select.admin-autocomplete").forEach(function (select) {
      var box = select.nextElementSibling;
      var label = labelOf(select);
      if (!box || !box.classList.contains("select2") || !label) return;
      var name = label.textContent.replace(/:\s*$/, "").trim();
      box.querySelectorAll(".select2-search__field").forEach(function (field) {
        set(field, "aria-label", name);
      });
      box.querySelectorAll(".select2-selection--single").forEach(function (single) {
        var shown = single.querySelector(".select2-selection__rendered");
        set(single, "aria-labelledby", label.id + (shown ? " " + shown.id : ""));
        if (shown) set(shown, "aria-labelledby", label.id);  // a read-only textbox
      });
      box.querySelectorAll("ul.select2-selection__rendered > .select2-selection__clear")
        .forEach(function (clear) {
          clear.parentNode.parentNode.insertBefore(clear, clear.parentNode);
        });
    });
  }
  function start() {
    mend();
    var form = document.getElementById("content-main") || document.body;
    new MutationObserver(mend).observe(form, { childList: true, subtree: true });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { setTimeout(start, 0); });
  } else {
    start();
  }
})();
