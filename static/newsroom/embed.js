// In another site's iframe: tells the embedding page how tall this timeline is, so its
// iframe can fit it without a scrollbar (newsroom/embed-host.js listens). The message:
//   {type: "newsroom:height", height: <CSS pixels>}
// posted to the parent window whenever the height changes (fonts, a narrower frame).
(function () {
  "use strict";
  if (window.parent === window || !window.postMessage) return;
  var last = 0;
  function report() {
    var main = document.querySelector("main") || document.body;
    var style = getComputedStyle(document.body);
    var height = Math.ceil(main.getBoundingClientRect().bottom + window.scrollY +
                           parseFloat(style.marginBottom || 0) + parseFloat(style.paddingBottom || 0));
    if (height === last) return;
    last = height;
    window.parent.postMessage({ type: "newsroom:height", height: height }, "*");
  }
  if (window.ResizeObserver) new ResizeObserver(report).observe(document.body);
  window.addEventListener("load", report);
  report();
})();
