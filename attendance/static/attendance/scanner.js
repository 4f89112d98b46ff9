// Trainer scanner: rear camera + the browser's own BarcodeDetector (no library), and the typed
// code form sent without leaving the page. Without JavaScript the form posts and redirects.
(function () {
  "use strict";

  var root = document.querySelector("[data-scanner]");
  if (!root) return;

  var markUrl = root.dataset.markUrl;
  var form = root.querySelector("[data-form]");
  var input = form.querySelector("input[name=code]");
  var csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  var statusEl = root.querySelector("[data-status]");
  var results = root.querySelector("[data-results]");
  var camera = root.querySelector("[data-camera]");
  var video = root.querySelector("[data-video]");
  var startButton = root.querySelector("[data-start]");
  var stopButton = root.querySelector("[data-stop]");

  var MAX_RESULTS = 8;
  var REPEAT_MS = 4000; // the same code held in front of the camera is sent once
  var SCAN_EVERY_MS = 250;
  var recent = {};
  var stream = null;
  var timer = null;
  var detector = null;

  function say(text) {
    statusEl.textContent = text || "";
  }

  function show(kind, name, detail) {
    var li = document.createElement("li");
    li.className = "is-" + kind;
    if (name) {
      var strong = document.createElement("span");
      strong.className = "scanner-name";
      strong.textContent = name;
      li.appendChild(strong);
      li.appendChild(document.createTextNode(" — "));
    }
    li.appendChild(document.createTextNode(detail));
    results.insertBefore(li, results.firstChild);
    while (results.children.length > MAX_RESULTS) results.removeChild(results.lastChild);
  }

  function send(code) {
    var body = new FormData();
    body.append("code", code);
    return fetch(markUrl, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrf, Accept: "application/json" },
    })
      .then(function (response) {
        return response.json();
      })
      .then(function (data) {
        if (data.ok) {
          var detail = data.status + (data.already ? " (" + root.dataset.msgAlready + ")" : "");
          show(data.already ? "already" : "ok", data.name, detail);
        } else {
          show("error", code, data.message);
        }
      })
      .catch(function () {
        show("error", code, root.dataset.msgError);
      });
  }

  function accept(raw) {
    var code = String(raw || "").replace(/\s+/g, "").toUpperCase();
    if (!code) return;
    var now = Date.now();
    if (recent[code] && now - recent[code] < REPEAT_MS) return;
    recent[code] = now;
    send(code);
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var code = input.value;
    input.value = "";
    input.focus();
    var normalized = String(code || "").replace(/\s+/g, "").toUpperCase();
    if (!normalized) return;
    delete recent[normalized]; // typing a code again is deliberate: always send it
    accept(normalized);
  });

  function scan() {
    if (!stream) return;
    detector
      .detect(video)
      .then(function (codes) {
        codes.forEach(function (c) {
          accept(c.rawValue);
        });
      })
      .catch(function () {})
      .then(function () {
        if (stream) timer = window.setTimeout(scan, SCAN_EVERY_MS);
      });
  }

  function stop() {
    if (timer) window.clearTimeout(timer);
    timer = null;
    if (stream) stream.getTracks().forEach(function (t) { t.stop(); });
    stream = null;
    video.srcObject = null;
    startButton.hidden = false;
    stopButton.hidden = true;
  }

  function start() {
    navigator.mediaDevices
      .getUserMedia({ video: { facingMode: { ideal: "environment" } }, audio: false })
      .then(function (s) {
        stream = s;
        video.srcObject = s;
        return video.play();
      })
      .then(function () {
        startButton.hidden = true;
        stopButton.hidden = false;
        say(root.dataset.msgScanning);
        scan();
      })
      .catch(function () {
        stop();
        say(root.dataset.msgDenied);
      });
  }

  function setUp(formats) {
    if (formats.indexOf("qr_code") === -1) {
      say(root.dataset.msgUnsupported);
      return;
    }
    detector = new window.BarcodeDetector({ formats: ["qr_code"] });
    camera.hidden = false;
    startButton.addEventListener("click", start);
    stopButton.addEventListener("click", function () {
      stop();
      say(root.dataset.msgStopped);
    });
    // A phone put away in a pocket should not keep the camera on.
    document.addEventListener("visibilitychange", function () {
      if (document.hidden && stream) {
        stop();
        say(root.dataset.msgStopped);
      }
    });
  }

  var canUseCamera =
    "BarcodeDetector" in window && navigator.mediaDevices && navigator.mediaDevices.getUserMedia;
  if (!canUseCamera) {
    say(root.dataset.msgUnsupported);
    return;
  }
  window.BarcodeDetector.getSupportedFormats()
    .then(setUp)
    .catch(function () {
      say(root.dataset.msgUnsupported);
    });
})();
