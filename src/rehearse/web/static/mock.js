// Mock interview: the countdown, sending the answer as it is at zero, and keeping the draft
// in this browser so that a reload or a closed tab loses nothing typed.
(function () {
  "use strict";
  var panel = document.querySelector("[data-mock-item]");
  if (!panel) return;
  var form = panel.querySelector("[data-mock-answer-form]");
  var answer = panel.querySelector("[data-answer]");
  var clock = panel.querySelector("[data-countdown]");
  var timedOut = panel.querySelector("[data-timed-out]");
  var key = "rehearse-mock-draft-" + panel.dataset.mockItem;
  var storage = null;
  try { storage = window.localStorage; } catch (e) { storage = null; }

  if (storage && answer && !answer.value) answer.value = storage.getItem(key) || "";
  if (answer) answer.addEventListener("input", function () {
    if (storage) storage.setItem(key, answer.value);
  });
  var sent = false;
  form.addEventListener("submit", function () {
    sent = true;
    if (storage) storage.removeItem(key);
  });
  if (!clock) return;

  var deadline = Date.now() + Number(panel.dataset.secondsLeft) * 1000;
  function fmt(seconds) {
    return Math.floor(seconds / 60) + ":" + String(seconds % 60).padStart(2, "0");
  }
  function tick() {
    var left = Math.max(0, Math.ceil((deadline - Date.now()) / 1000));
    clock.textContent = fmt(left);
    clock.classList.toggle("low", left <= 15);
    if (left === 30 || left === 10) clock.setAttribute("aria-live", "assertive");
    if (left === 0 && !sent) {
      sent = true;
      timedOut.value = "1";
      if (storage) storage.removeItem(key);
      form.submit();
      return;
    }
    setTimeout(tick, 250);
  }
  tick();
})();
