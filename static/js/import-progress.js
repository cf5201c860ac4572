/* Progress of an import checked or written in the background (templates/households/import_job.html).
 *
 * Polls the job's JSON status every 2 s and moves the bar; once the check or the writing is over
 * (or the job is gone), reloads the page, which then shows the result. Without JavaScript the
 * page's <noscript> meta refresh does the same.
 */
(function () {
  "use strict";

  var box = document.getElementById("import-job");
  if (!box || !window.fetch) return;
  var statusUrl = box.getAttribute("data-status-url");
  var bar = document.getElementById("import-job-progress");
  var percent = document.getElementById("import-job-percent");
  var rows = document.getElementById("import-job-rows");
  var numbers = new Intl.NumberFormat(document.documentElement.lang || "vi");
  var delay = 2000;

  function show(state) {
    if (bar) bar.value = state.percent;
    if (percent) percent.textContent = state.percent + "%";
    if (rows && state.total) {
      rows.textContent = "(" + numbers.format(state.done) + "/" + numbers.format(state.total) + ")";
    }
  }

  function poll() {
    fetch(statusUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (response.status === 404) {
          window.location.reload(); // cancelled meanwhile: the page says so
          return new Promise(function () {});
        }
        if (!response.ok) throw new Error(response.status);
        return response.json();
      })
      .then(function (state) {
        show(state);
        if (state.running) {
          window.setTimeout(poll, delay);
        } else {
          window.location.assign(state.url);
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
