// For the page that embeds a newsroom timeline (the snippet loads it next to the
// iframe): sets each newsroom iframe's height to what the timeline inside reports
// (newsroom/embed.js), so readers scroll the article, not a box within it. Only
// messages from the iframe's own window count; nothing else is read or changed.
(function () {
  "use strict";
  if (window.__newsroomEmbedHost) return;  // one listener, however many snippets
  window.__newsroomEmbedHost = true;
  window.addEventListener("message", function (event) {
    var data = event.data;
    if (!data || data.type !== "newsroom:height" || typeof data.height !== "number") return;
    var frames = document.querySelectorAll("iframe[data-newsroom-embed]");
    for (var i = 0; i < frames.length; i++) {
      if (frames[i].contentWindow === event.source) {
        frames[i].style.height = Math.max(100, Math.min(data.height, 100000)) + "px";
      }
    }
  });
})();
