/* Progress of a report file made in the background (templates/reports/job.html).
 *
 * Polls the build's JSON status every 2 s and updates the bar and the message. When the file is
 * ready it shows the download button and starts the download (the same stable URL now answers
 * with the file); when the build failed it reloads the page, which then shows the error and the
 * "Try again" button. Without JavaScript the page's <noscript> meta refresh does the same.
 */
(function () {
  "use strict";

  var box = document.getElementById("report-job");
  if (!box || !window.fetch) return;
  var statusUrl = box.getAttribute("data-status-url");
  var bar = document.getElementById("report-job-progress");
  var percent = document.getElementById("report-job-percent");
  var message = document.getElementById("report-job-message");
  var ready = document.getElementById("report-job-ready");
  var delay = 2000;

  function show(state) {
    if (bar) bar.value = state.progress;
    if (percent) percent.textContent = state.progress + "%";
    if (message && state.message) message.textContent = state.message;
  }

  function poll() {
    fetch(statusUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        // Gone: the data changed and a newer build replaced this one. The page follows it.
        if (response.status === 404) {
          window.location.reload();
          return new Promise(function () {});
        }
        if (!response.ok) throw new Error(response.status);
        return response.json();
      })
      .then(function (state) {
        show(state);
        if (state.done) {
          ["report-job-pending", "report-job-leave"].forEach(function (id) {
            var element = document.getElementById(id);
            if (element) element.hidden = true;
          });
          if (ready) {
            ready.querySelector("a").href = state.download_url;
            ready.hidden = false;
          }
          window.location.assign(state.download_url);
        } else if (state.failed) {
          window.location.reload();
        } else {
          window.setTimeout(poll, delay);
        }
      })
      .catch(function () {
        // Network hiccup or server restart: keep trying, a little less often.
        delay = Math.min(delay * 2, 15000);
        window.setTimeout(poll, delay);
      });
  }

  window.setTimeout(poll, delay);
})();
