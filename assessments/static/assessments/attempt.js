// Attempt page: a countdown to the server's deadline and autosave of each answer as it changes.
// Without JavaScript the form still works: "Save answers" and "Submit" post it.
(function () {
  "use strict";
  var script = document.currentScript;
  var form = document.getElementById("attempt-form");
  if (!form) return;
  var status = document.getElementById("save-status");
  var timer = document.getElementById("timer");
  var alertBox = document.getElementById("timer-alert");
  var submitting = false;

  function save() {
    var data = new FormData(form);
    data.append("save", "1");
    return fetch(window.location.href, {
      method: "POST",
      body: data,
      headers: { Accept: "application/json" },
      credentials: "same-origin",
    }).then(function (response) {
      return response.json().then(function (body) {
        status.textContent = body.ok ? script.dataset.saved : body.message || script.dataset.failed;
      });
    }).catch(function () {
      status.textContent = script.dataset.failed;
    });
  }

  form.addEventListener("change", function () { save(); });
  form.addEventListener("submit", function () { submitting = true; });

  if (timer) {
    var end = Date.now() + parseInt(timer.dataset.remaining, 10) * 1000;
    var warned = false;
    var tick = function () {
      var left = Math.max(0, Math.round((end - Date.now()) / 1000));
      var m = Math.floor(left / 60), s = left % 60;
      timer.textContent = m + ":" + (s < 10 ? "0" : "") + s;
      if (left <= 60 && !warned) { warned = true; alertBox.textContent = script.dataset.minute; }
      if (left === 0 && !submitting) {
        submitting = true;
        alertBox.textContent = script.dataset.timeup;
        var submit = document.createElement("input");
        submit.type = "hidden"; submit.name = "submit"; submit.value = "1";
        form.appendChild(submit);
        form.submit();
        return;
      }
      window.setTimeout(tick, 1000);
    };
    tick();
  }
})();
