// 公文校对 results: clicking a finding highlights its place in the text and back. Delegated from
// the document, so it also works on results that htmx swaps in, with no inline script.
(function () {
  "use strict";
  function activate(item) {
    var mark = document.getElementById(item.dataset.target);
    document.querySelectorAll("mark.pf.active, .finding.active").forEach(function (el) { el.classList.remove("active"); });
    item.classList.add("active");
    if (mark) { mark.classList.add("active"); mark.scrollIntoView({behavior: "smooth", block: "center"}); }
  }
  document.addEventListener("click", function (event) {
    var target = event.target;
    if (!target.closest) return;
    var item = target.closest(".finding");
    if (item) {
      if (target.tagName === "INPUT" || target.tagName === "LABEL") return;
      activate(item);
      return;
    }
    var mark = target.closest("mark.pf");
    if (mark) {
      var found = document.querySelector('.finding[data-target="' + mark.id + '"]');
      if (found) { activate(found); found.scrollIntoView({behavior: "smooth", block: "nearest"}); }
    }
  });
})();
