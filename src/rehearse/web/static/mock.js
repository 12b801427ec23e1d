// Mock interview: the countdown, sending the answer as it is at zero, and keeping the draft
// in this browser so that a reload, a closed tab or a server that was down when it was sent
// loses nothing typed. A draft goes once the server has that answer: when the mock has moved on
// to a later question and the server holds that very text for the draft's question
// (data-mock-answered: each answered question's CRC-32), or to its report; a draft that differs
// from what the server holds stays (its question was answered in another tab, and this text was
// not kept: the page that said so shows it, [data-unsent-answer], and keeps it here too). The
// start page (where abandoning a mock lands) keeps only the drafts of the mocks it lists as
// unfinished, so that none stays behind for a mock finished elsewhere (another device, the API,
// the terminal) or abandoned. Drafts are named by the mock's id and the moment it began
// (data-mock-drafts): SQLite gives a new mock the id of one abandoned, and its drafts must not
// come back in the new one.
(function () {
  "use strict";
  var storage = null;
  try { storage = window.localStorage; } catch (e) { storage = null; }
  var holder = document.querySelector("[data-mock-drafts]");
  var panel = document.querySelector("[data-mock-item]");
  var prefix = holder ? "rehearse-mock-draft-" + holder.dataset.mockDrafts + "-" : null;
  var key = panel ? (prefix || "rehearse-mock-draft-") + panel.dataset.mockItem : null;
  var unsent = document.querySelector("[data-unsent-answer]");
  var unsentKey = unsent && prefix ? prefix + unsent.closest("[data-mock-unsent]").dataset.mockUnsent : null;
  if (storage && unsentKey) storage.setItem(unsentKey, unsent.value);
  var crcTable = null;
  function crc32(text) {  // as zlib.crc32 of the UTF-8 text, with line ends as the server compares them
    if (!crcTable) {
      crcTable = [];
      for (var n = 0; n < 256; n++) {
        var c = n;
        for (var k = 0; k < 8; k++) c = c & 1 ? 0xEDB88320 ^ (c >>> 1) : c >>> 1;
        crcTable[n] = c >>> 0;
      }
    }
    var bytes = new TextEncoder().encode(text.replace(/\r\n/g, "\n"));
    var crc = 0xFFFFFFFF;
    for (var b = 0; b < bytes.length; b++) crc = crcTable[(crc ^ bytes[b]) & 0xFF] ^ (crc >>> 8);
    return ((crc ^ 0xFFFFFFFF) >>> 0).toString(16);
  }
  var answered = {};  // item id -> CRC-32 of the answer the server holds
  (holder && holder.dataset.mockAnswered ? holder.dataset.mockAnswered.split(" ") : []).forEach(function (pair) {
    var parts = pair.split(":");
    if (parts.length === 2) answered[parts[0]] = parts[1];
  });
  if (storage && prefix) {
    for (var i = storage.length - 1; i >= 0; i--) {
      var name = storage.key(i);
      if (!name || name.indexOf(prefix) !== 0 || name === key || name === unsentKey) continue;
      var item = name.slice(prefix.length);
      // On the report every question is behind us; on a question, a draft stays only when the server holds
      // another text for its question (so this one was not kept).
      if (!panel || !(item in answered) || answered[item] === crc32(storage.getItem(name) || "")) {
        storage.removeItem(name);
      }
    }
  }
  var unfinished = document.querySelector("[data-mock-drafts-keep]");
  if (storage && unfinished) {
    // Any other draft (a finished or abandoned mock's, or another account's on a shared computer)
    // has nowhere left to go.
    var open = unfinished.dataset.mockDraftsKeep.split(" ");
    for (var j = storage.length - 1; j >= 0; j--) {
      var stored = storage.key(j) || "";
      var found = /^rehearse-mock-draft-([^-]+)-/.exec(stored);  // "<id>.<began>" (or an older "<id>")
      if (found && open.indexOf(found[1]) < 0) storage.removeItem(stored);
    }
  }
  // The report's share link: a Copy button (without this script the address is plain, selectable text).
  var copy = document.querySelector("[data-action=copy-share]");
  if (copy) {
    var address = document.querySelector("[data-share-url]");
    var said = document.querySelector("[data-copy-status]");
    var report = function (ok) { said.textContent = ok ? "Copied." : "Select the address and copy it."; };
    var selectAndCopy = function () {
      var range = document.createRange();
      range.selectNodeContents(address);
      var selection = window.getSelection();
      selection.removeAllRanges();
      selection.addRange(range);
      var ok = false;
      try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
      report(ok);
    };
    copy.hidden = false;
    copy.addEventListener("click", function () {
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(copy.dataset.copy).then(function () { report(true); }, selectAndCopy);
      } else {
        selectAndCopy();
      }
    });
  }
  // A refused answer's page (not kept, or to complete) is the POST's answer: its address goes back to the
  // mock's, so that a reload shows the interview instead of offering to send the form again.
  if (/\/answer$/.test(window.location.pathname) && window.history.replaceState) {
    window.history.replaceState(null, "", window.location.pathname.replace(/\/answer$/, ""));
  }
  if (!panel) return;
  var form = panel.querySelector("[data-mock-answer-form]");
  var answer = panel.querySelector("[data-answer]");
  var clock = panel.querySelector("[data-countdown]");
  var timedOut = panel.querySelector("[data-timed-out]");

  function keep() {
    if (storage && answer) storage.setItem(key, answer.value);
  }
  // Going Back or Forward, a browser may put back the text its history entry's box held: the entry has this
  // address, but that text was the answer to an earlier question. Only this item's draft belongs here.
  function revisited() {
    var visit = window.performance && performance.getEntriesByType ? performance.getEntriesByType("navigation")[0] : null;
    return !!visit && visit.type === "back_forward";
  }
  if (answer && answer.value !== answer.defaultValue && revisited()) {
    answer.value = (storage && storage.getItem(key)) || answer.defaultValue;
  }
  if (storage && answer) {
    if (!answer.value) answer.value = storage.getItem(key) || "";
    else keep();  // sent back by the server to complete, or typed before this script ran
  }
  window.addEventListener("pageshow", function (event) {
    // Kept whole in the back-forward cache: this page may show a question answered since; ask the server.
    if (event.persisted) window.location.reload();
  });
  if (answer) answer.addEventListener("input", keep);
  // Each question's page starts where the work is: the answer box (described by the question), or the
  // question itself when its time ran out while away.
  var heading = document.querySelector("[data-mock-question]");
  if (answer && !answer.disabled) answer.focus();
  else if (heading) heading.focus();
  var sent = false;
  var deadline = clock ? Date.now() + Number(panel.dataset.secondsLeft) * 1000 : null;
  function secondsLeft() {
    return Math.max(0, Math.ceil((deadline - Date.now()) / 1000));
  }
  function showError(message) {
    var box = form.querySelector("[data-form-error]");
    if (!box) {
      box = document.createElement("p");
      box.className = "callout error";
      box.id = "mock-answer-error";
      box.setAttribute("role", "alert");
      box.setAttribute("data-form-error", "");
      answer.before(box);
    }
    box.textContent = message;
    answer.setAttribute("aria-invalid", "true");
    answer.setAttribute("aria-describedby", box.id);
  }
  if (answer && clock) form.noValidate = true;  // an empty box gets the same message as a blank one, below
  form.addEventListener("submit", function (event) {
    // Next with no words while time is left is not giving up the question (the server says the same,
    // a page later); the countdown's own send at zero goes through form.submit(), which skips this.
    if (answer && clock && !/[\p{L}\p{N}]/u.test(answer.value) && secondsLeft() > 0) {
      event.preventDefault();
      showError("The answer is empty and this question has " + secondsLeft() + " s left: write your answer, " +
                "then send it (an empty answer is sent only when the time runs out).");
      answer.focus();
      return;
    }
    keep();
    sent = true;  // the draft stays until the next page shows the server has the answer
  });
  if (!clock) return;

  function fmt(seconds) {
    return Math.floor(seconds / 60) + ":" + String(seconds % 60).padStart(2, "0");
  }
  // The clock itself is never read out (a screen reader would speak every second over the answer being
  // typed); a separate status line says "30 seconds left" and "10 seconds left", once each.
  var warning = document.querySelector("[data-countdown-warning]");
  var shown = null;  // the clock only counts down, so each number is shown (and said) once
  var opened = secondsLeft();  // a question opening with 30 s or less is not told "30 seconds left" at once
  function tick() {
    var left = secondsLeft();
    if (left !== shown) {
      shown = left;
      clock.textContent = fmt(left);
      clock.classList.toggle("low", left <= 15);
      if (warning && (left === 30 || left === 10) && left < opened) {
        warning.textContent = left + " seconds left.";
      }
    }
    if (left === 0 && !sent) {
      sent = true;
      timedOut.value = "1";
      form.submit();
      return;
    }
    setTimeout(tick, 250);
  }
  tick();
})();
