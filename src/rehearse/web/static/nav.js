// Navigation bar: the number of review questions due, fetched once per page (the API answer is
// cached by the browser for a short while). Pages that know the number render it themselves.
(function () {
  "use strict";
  var badge = document.querySelector("[data-due-count]");
  if (!badge || badge.textContent.trim() !== "") return;
  fetch("/api/review/due?limit=1", { credentials: "same-origin" })
    .then(function (response) { return response.ok ? response.json() : null; })
    .then(function (body) {
      if (!body || !body.count) return;
      badge.textContent = String(body.count);
      badge.hidden = false;
    })
    .catch(function () { /* the link still works without the number */ });
})();
