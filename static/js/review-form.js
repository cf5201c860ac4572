// The review form's live classification: the server classifies what the form holds (the rule lives
// there only) and this script shows its answer. Without the script, the "Classify" button does it.
(function () {
  "use strict";
  var form = document.getElementById("review-form");
  if (!form || !window.fetch) return;
  var box = form.querySelector("[data-result]");
  var preview = form.querySelector("[data-preview]");
  var url = form.getAttribute("data-classify");
  var timer = null;
  var asked = 0;
  if (preview) preview.style.display = "none";

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function show(answer) {
    box.textContent = "";
    if (answer.error) {
      box.appendChild(element("p", "field-error", answer.error));
      return;
    }
    if (!answer.level) {
      box.appendChild(element("p", "muted", answer.message || ""));
      return;
    }
    var line = element("p");
    var level = element("span", "level level-" + answer.level, answer.label);
    level.setAttribute("data-level", answer.level);
    line.appendChild(level);
    line.appendChild(document.createTextNode(" "));
    line.appendChild(element("span", "muted", answer.summary));
    box.appendChild(line);
    var list = element("ul", "explain-list");
    answer.sentences.forEach(function (sentence) {
      list.appendChild(element("li", "", sentence));
    });
    box.appendChild(list);
  }

  function ask() {
    var query = new URLSearchParams();
    query.append("income", form.elements.income.value);
    form.querySelectorAll('input[name="deprived"]:checked').forEach(function (box) {
      query.append("deprived", box.value);
    });
    var number = ++asked;
    fetch(url + "?" + query.toString(), { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        return response.json();
      })
      .then(function (answer) {
        if (number === asked) show(answer); // an older answer arriving late is dropped
      })
      .catch(function () {
        if (preview) preview.style.display = ""; // offline: the button asks with the whole form
      });
  }

  function later() {
    window.clearTimeout(timer);
    timer = window.setTimeout(ask, 300);
  }

  form.elements.income.addEventListener("input", later);
  form.querySelectorAll('input[name="deprived"]').forEach(function (box) {
    box.addEventListener("change", ask);
  });
})();
