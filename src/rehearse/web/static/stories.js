// The stories that fit the question, on the practice and mock interview pages, come after the page is shown:
// finding them scores each candidate story with the engine, which took seconds before the page appeared (and
// off a mock question's clock). The list replaces the link to it, and the link goes when none fits. Without
// scripts the link opens the list in a tab of its own. One file for both pages, so a page that loads both
// page scripts (a spoken mock) fetches the list once.
(function () {
  "use strict";
  var slot = document.querySelector("[data-story-suggestions-from]");
  if (!slot || !window.fetch || !window.DOMParser) return;
  fetch(slot.dataset.storySuggestionsFrom, { credentials: "same-origin", headers: { "Accept": "text/html" } })
    .then(function (response) { return response.ok ? response.text() : null; })
    .then(function (html) {
      if (html === null) return;  // the link stays
      var found = new DOMParser().parseFromString(html, "text/html").querySelector("[data-story-suggestions]");
      if (!found) {
        slot.remove();
        return;
      }
      found.removeAttribute("open");
      slot.replaceChildren(document.importNode(found, true));
    })
    .catch(function () { return null; });  // the link stays
})();
