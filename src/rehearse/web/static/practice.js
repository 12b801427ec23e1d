// Practice page: timer, live word count and speaking time, and spoken answers.
// Everything here is an enhancement: without JavaScript the forms still post and the
// recording upload falls back to a page that reloads until the transcript is ready.
(function () {
  "use strict";

  function fmt(seconds) {
    seconds = Math.max(0, Math.round(seconds));
    return Math.floor(seconds / 60) + ":" + String(seconds % 60).padStart(2, "0");
  }

  // Words as the report counts them (feedback/text.py: words(clean(answer)), mirrored step by step):
  // pasted HTML tags, Markdown markup, list markers ("1.", "-"), headings and lone STAR labels
  // ("Situation:") are not words; a word is a run of a-z and 0-9, joined by a hyphen or an apostrophe.
  var HTML_NAMES = "a|abbr|article|aside|b|big|blockquote|body|br|button|caption|center|cite|code|col|dd|del|details|" +
    "div|dl|dt|em|figcaption|figure|font|footer|form|h[1-6]|head|header|hr|html|i|img|input|ins|kbd|label|" +
    "li|link|main|mark|meta|nav|ol|p|pre|q|s|samp|section|small|span|strike|strong|style|sub|summary|sup|" +
    "table|tbody|td|tfoot|th|thead|title|tr|tt|u|ul|var";
  var HTML_TAG = new RegExp("<!--[\\s\\S]*?-->|</?(?:" + HTML_NAMES + ")(?:\\s[^<>]{0,400})?/?>", "gi");
  var SCRIPT = /<(script|style)\b[\s\S]*?<\/\1\s*>/gi;
  var BLOCK_TAGS = /<\/?(p|div|li|ul|ol|br|h[1-6]|tr|table|section|blockquote)\b[^>]*>/gi;
  var STAR_LABEL = "(?:situation|task|action|actions|result|results|outcome|outcomes|context|background)";
  var HEADING_LINE = /^[ \t]{0,3}#{1,6}(?:[ \t]+(.*))?$/gm;
  var LEADING_LABEL = new RegExp("^[*_\\s]*" + STAR_LABEL + "[*_\\s]*[:\u2014\u2013-][*_\\s]*", "i");
  var LONE_LABEL = new RegExp("^" + STAR_LABEL + "\\s*[:.\u2014\u2013-]?$", "i");
  var WORD = /[a-z0-9]+(?:[-'\u2019][a-z0-9]+)*/g;

  function unescapeEntities(text) {
    if (text.indexOf("&") < 0) return text;
    var box = document.createElement("textarea");  // its content is text: nothing in it runs or loads
    box.innerHTML = text;
    return box.value;
  }

  // A line that goes on in lower case after one that ends no sentence is the same sentence.
  function joinBrokenLines(text) {
    var out = [];
    text.split("\n").forEach(function (line) {
      var last = out.length ? out[out.length - 1] : "";
      if (last.trim() && /^[ \t]*[a-z]/.test(line) && !/[.!?:;]["'\u201d\u2019)\]]*[ \t]*$/.test(last) &&
          !/^\s{0,3}#{1,6}\s*/.test(last)) {
        out[out.length - 1] = last.replace(/\s+$/, "") + " " + line.replace(/^\s+/, "");
      } else {
        out.push(line);
      }
    });
    return out.join("\n");
  }

  function cleaned(text) {
    var t = text.replace(/[\u202a-\u202e\u2066-\u2069]/g, "").replace(/\r\n?/g, "\n");
    if (t.indexOf("<") >= 0 && new RegExp(HTML_TAG.source, "i").test(t)) {
      t = t.replace(SCRIPT, " ").replace(BLOCK_TAGS, "\n").replace(HTML_TAG, " ");
    }
    t = joinBrokenLines(unescapeEntities(t));
    t = t.replace(/!?\[([^\]]*)\]\([^)]*\)/g, "$1");
    t = t.replace(HEADING_LINE, function (whole, heading) {
      heading = heading || "";
      var afterLabel = heading.replace(LEADING_LABEL, "");
      return afterLabel !== heading ? afterLabel : "";
    });
    t = t.replace(/^\s{0,3}>\s?/gm, "").replace(/^\s*(?:[-*+\u2022]|\d{1,2}[.)])\s+/gm, "");
    t = t.replace(/(\*\*|__|\*|~~|`+)/g, "");
    return t.split("\n").map(function (line) { return line.trim(); })
      .filter(function (line) { return line && !LONE_LABEL.test(line); }).join("\n");
  }

  function countWords(text) {
    var words = cleaned(text).toLowerCase().match(WORD);
    return words ? words.length : 0;
  }

  // Characters as the server counts them: code points (an emoji is one), a line break one (sent as CRLF,
  // it is made LF before the limit is checked).
  function countCharacters(text) {
    return Array.from(text.replace(/\r\n?/g, "\n")).length;
  }

  // The draft in this tab (sessionStorage: gone with the tab, never seen by another one), so that a
  // reload or a restored tab gives back what was typed and the time spent; dropped once it is sent, and
  // given back only to whoever wrote it (signed in as them, or not signed in).
  function draftStore() {
    try { return window.sessionStorage; } catch (e) { return null; }
  }

  function setUp(root) {
    var wpm = Number(root.dataset.wpm) || 150;
    var targetMax = Number(root.dataset.targetMax) || 180;
    var form = root.querySelector("[data-answer-form]");
    var textarea = root.querySelector("[data-answer]");
    var timerEl = root.querySelector("[data-timer]");
    var toggle = root.querySelector("[data-timer-toggle]");
    var reset = root.querySelector("[data-timer-reset]");
    var wordsEl = root.querySelector("[data-word-count]");
    var speakEl = root.querySelector("[data-speaking-time]");
    var durationInput = root.querySelector("[data-duration]");
    var charsEl = root.querySelector("[data-char-count]");
    if (!form || !textarea) return;

    // --- timer: starts with the first keystroke or recording, can be paused and reset
    var elapsed = 0, startedAt = null, tick = null;
    function now() { return (startedAt === null ? 0 : (Date.now() - startedAt) / 1000) + elapsed; }
    function render() {
      var t = now();
      timerEl.textContent = fmt(t);
      timerEl.classList.toggle("over", t > targetMax);
    }
    function start() {
      if (startedAt !== null) return;
      startedAt = Date.now();
      tick = setInterval(render, 250);
      toggle.hidden = false; reset.hidden = false;
      toggle.textContent = "Pause";
    }
    function pause() {
      if (startedAt === null) return;
      elapsed = now(); startedAt = null;
      clearInterval(tick); render();
      toggle.textContent = "Resume";
    }
    toggle.addEventListener("click", function () { startedAt === null ? start() : pause(); });
    reset.addEventListener("click", function () {
      pause(); elapsed = 0; render(); toggle.textContent = "Start";
    });

    // --- the draft: given back after a reload, unless the page came with an answer of its own
    var store = form.hasAttribute("data-mock-answer-form") ? null : draftStore();  // mock.js keeps a mock's drafts
    // named by its writer too: after signing out (or in as someone else) on a shared computer, no draft comes back
    var draftKey = "rehearse-practice-draft:" + (root.dataset.draftOwner || "") + ":" + location.pathname + ":" +
      textarea.id;
    function saveDraft() {
      if (!store) return;
      try {
        if (textarea.value.trim()) store.setItem(draftKey, JSON.stringify({ text: textarea.value, seconds: now() }));
        else store.removeItem(draftKey);
      } catch (e) { /* storage full or blocked: the draft is a convenience, the answer is in the box */ }
    }
    if (store && !textarea.value.trim()) {
      try {
        var saved = JSON.parse(store.getItem(draftKey) || "null");
        if (saved && typeof saved.text === "string" && saved.text.trim()) {
          textarea.value = saved.text;
          elapsed = Math.max(0, Number(saved.seconds) || 0);
          render();
          if (elapsed > 0) { toggle.hidden = false; reset.hidden = false; toggle.textContent = "Resume"; }
        }
      } catch (e) { /* an unreadable draft is no draft */ }
    }
    window.addEventListener("pagehide", saveDraft);  // the time spent since the last keystroke too

    // --- live word count and estimated speaking time
    function update() {
      var n = countWords(textarea.value);
      wordsEl.textContent = String(n);
      speakEl.textContent = fmt(n / wpm * 60);
      if (charsEl) showCharacters(charsEl, countCharacters(textarea.value));
      saveDraft();
    }
    textarea.addEventListener("input", function () { start(); update(); });
    update();

    form.addEventListener("submit", function (event) {
      if (!textarea.value.trim()) {
        // The server says the same thing; saying it here saves a round trip.
        event.preventDefault();
        showError(form, "The answer is empty. Type (or record) an answer, then send it.");
        textarea.focus();
        return;
      }
      if (durationInput) durationInput.value = now() > 0 ? now().toFixed(1) : "";
      window.removeEventListener("pagehide", saveDraft);
      if (store) { try { store.removeItem(draftKey); } catch (e) { /* nothing kept to drop */ } }
    });

    setUpRecorder(root, textarea, start, update);
  }

  // "4,812 of 5,000 characters", shown from 80% of the limit on, so the limit is no surprise on sending.
  var SHOW_CHARACTERS_FROM = 0.8;
  function showCharacters(el, n) {
    var limit = Number(el.dataset.charLimit) || 0;
    el.hidden = !limit || n < limit * SHOW_CHARACTERS_FROM;
    el.classList.toggle("over", n > limit);
    el.textContent = n.toLocaleString("en-US") + " of " + limit.toLocaleString("en-US") + " characters" +
      (n > limit ? ": too long to send" : "") + ".";
  }

  function showError(form, message) {
    var box = form.querySelector("[data-form-error]");
    var textarea = form.querySelector("textarea");
    if (!box) {
      box = document.createElement("p");
      box.className = "callout error";
      box.setAttribute("role", "alert");
      box.setAttribute("data-form-error", "");
      textarea.before(box);
    }
    box.textContent = message;
    if (!box.id) box.id = textarea.id + "-error";
    textarea.setAttribute("aria-invalid", "true");
    var described = (textarea.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
    if (described.indexOf(box.id) < 0) textarea.setAttribute("aria-describedby", [box.id].concat(described).join(" "));
  }

  // --- spoken answers -----------------------------------------------------------------------
  function setUpRecorder(root, textarea, startTimer, update) {
    var panel = root.querySelector("[data-recorder]");
    if (!panel || panel.dataset.speechAvailable !== "true") return;
    var uploadForm = panel.querySelector("[data-upload-form]");
    var fileInput = panel.querySelector("[data-audio-file]");
    var progress = panel.querySelector("[data-transcribe-progress]");
    var bar = panel.querySelector("[data-transcribe-bar]");
    var label = panel.querySelector("[data-transcribe-label]");
    var playback = panel.querySelector("[data-playback]");
    var csrf = uploadForm.querySelector("input[name=csrf_token]").value;
    var modeInput = root.querySelector("[data-mode]");
    var jobInput = root.querySelector("[data-transcription-id]");

    function say(text) { label.textContent = text; }

    function transcribe(blob, name) {
      var body = new FormData();
      body.append("audio", blob, name || "answer.webm");
      progress.hidden = false; bar.value = 0; say("Uploading…");
      fetch("/api/transcriptions", { method: "POST", body: body, credentials: "same-origin",
                                      headers: { "X-CSRF-Token": csrf } })
        .then(function (r) { return r.json().then(function (data) { return { ok: r.ok, data: data }; }); })
        .then(function (res) {
          if (!res.ok) throw new Error(res.data.detail || "The upload failed.");
          say("Transcribing…");
          poll(res.data.id);
        })
        .catch(function (err) { say(err.message); bar.value = 0; });
    }

    function poll(id) {
      fetch("/api/transcriptions/" + encodeURIComponent(id), { credentials: "same-origin" })
        .then(function (r) { return r.json(); })
        .then(function (status) {
          bar.value = status.progress || 0;
          if (status.state === "done") {
            textarea.value = status.transcript.text;
            modeInput.value = "spoken";
            jobInput.value = id;
            bar.value = 1;
            say("Transcribed (" + Math.round(status.transcript.words_per_minute) +
                " words a minute). Correct any misheard words, then get feedback.");
            panel.dataset.transcribed = "true";
            update();
            textarea.focus();
          } else if (status.state === "failed") {
            say(status.error || "The recording could not be transcribed.");
          } else {
            setTimeout(function () { poll(id); }, 700);
          }
        })
        .catch(function () { say("Lost contact with the server; try again."); });
    }

    uploadForm.addEventListener("submit", function (event) {
      event.preventDefault();
      if (!fileInput.files.length) { say("Choose a recording first."); progress.hidden = false; return; }
      transcribe(fileInput.files[0], fileInput.files[0].name);
    });
    fileInput.addEventListener("change", function () {
      if (fileInput.files.length) transcribe(fileInput.files[0], fileInput.files[0].name);
    });

    // In-browser recording, where the browser can record.
    if (!(window.MediaRecorder && navigator.mediaDevices && navigator.mediaDevices.getUserMedia)) return;
    var controls = panel.querySelector("[data-record-controls]");
    var startBtn = panel.querySelector("[data-record-start]");
    var stopBtn = panel.querySelector("[data-record-stop]");
    var state = panel.querySelector("[data-record-state]");
    controls.hidden = false;
    var recorder = null, chunks = [], began = 0, clock = null;

    startBtn.addEventListener("click", function () {
      navigator.mediaDevices.getUserMedia({ audio: true }).then(function (stream) {
        chunks = [];
        recorder = new MediaRecorder(stream);
        recorder.addEventListener("dataavailable", function (e) { if (e.data.size) chunks.push(e.data); });
        recorder.addEventListener("stop", function () {
          stream.getTracks().forEach(function (t) { t.stop(); });
          clearInterval(clock);
          var blob = new Blob(chunks, { type: recorder.mimeType || "audio/webm" });
          playback.src = URL.createObjectURL(blob);
          playback.hidden = false;
          state.classList.remove("recording");
          state.textContent = "Recorded " + fmt((Date.now() - began) / 1000) + ". Play it back below.";
          transcribe(blob, "answer." + ((recorder.mimeType || "").indexOf("ogg") >= 0 ? "ogg" : "webm"));
        });
        recorder.start(1000);
        began = Date.now();
        startTimer();
        startBtn.disabled = true; stopBtn.disabled = false;
        state.classList.add("recording");
        clock = setInterval(function () { state.textContent = "Recording… " + fmt((Date.now() - began) / 1000); }, 500);
        stopBtn.focus();
      }).catch(function () {
        state.textContent = "The microphone is not available; upload a recording or type instead.";
      });
    });
    stopBtn.addEventListener("click", function () {
      if (recorder && recorder.state !== "inactive") recorder.stop();
      startBtn.disabled = false; stopBtn.disabled = true;
      startBtn.focus();
    });
  }

  document.querySelectorAll("[data-practice]").forEach(setUp);
})();
