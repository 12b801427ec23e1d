// Progress page: a weekly chart's scroll region opens at its right, most recent end. On a phone it opened
// at the oldest weeks, empty for a new user. Without JavaScript it opens at the left, as before.
(function () {
  "use strict";
  document.querySelectorAll("[data-scroll-to-latest]").forEach(function (region) {
    region.scrollLeft = region.scrollWidth;  // the image has its size in its attributes: known before it loads
  });
})();
