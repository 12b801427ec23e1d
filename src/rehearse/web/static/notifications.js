// Navigation bar: how many notifications are unread (suggestions accepted, rejected, commented on).
(function () {
  "use strict";
  var badge = document.querySelector("[data-unread-count]");
  if (!badge) return;
  fetch("/api/notifications/unread", { credentials: "same-origin" })
    .then(function (response) { return response.ok ? response.json() : null; })
    .then(function (body) {
      if (!body || !body.unread) return;
      badge.textContent = String(body.unread);
      badge.hidden = false;
    })
    .catch(function () { /* the link still works without the number */ });
})();
