// Small behaviours shared by every page. They live here, not inline in the templates, so the
// Content-Security-Policy can allow scripts from our own files only.
(function () {
  "use strict";
  var phone = window.matchMedia("(max-width: 720px)").matches;

  function init(root) {
    // On a phone, fold panels (tree, filters) and the tree's deeper levels so the page comes first.
    if (phone) {
      root.querySelectorAll("[data-fold-on-phone], .tree details[data-fold]").forEach(function (d) {
        d.removeAttribute("open");
      });
    }
    // <datalist data-list-for="id_field">: attach suggestions to a form field rendered by Django.
    root.querySelectorAll("datalist[data-list-for]").forEach(function (list) {
      var input = document.getElementById(list.getAttribute("data-list-for"));
      if (input) input.setAttribute("list", list.id);
    });
  }

  // <select data-autosubmit>: choosing a value submits its form.
  document.addEventListener("change", function (event) {
    var el = event.target;
    if (el.matches && el.matches("[data-autosubmit]") && el.form) el.form.submit();
  });
  // <input data-lookup> (a search field inside a form): Enter searches now instead of
  // submitting the form around it; htmx listens for the "lookup" event.
  document.addEventListener("keydown", function (event) {
    var el = event.target;
    if (event.key === "Enter" && el.matches && el.matches("input[data-lookup]")) {
      event.preventDefault();
      el.dispatchEvent(new Event("lookup"));
    }
  });
  // <input data-select-on-click>: one click selects the whole value (a feed address to copy).
  document.addEventListener("click", function (event) {
    var el = event.target;
    if (el.matches && el.matches("[data-select-on-click]")) el.select();
  });

  // The phone menu: one button folds the navigation and the user box away (CSS does the rest).
  var toggle = document.querySelector(".menu-toggle");
  if (toggle) {
    var bar = toggle.closest(".topbar");
    bar.classList.add("menu-folds");
    toggle.hidden = false;
    toggle.addEventListener("click", function () {
      var open = bar.classList.toggle("menu-open");
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
    });
  }

  init(document);
  // Content that htmx swaps in gets the same treatment.
  document.addEventListener("htmx:load", function (event) {
    if (event.detail && event.detail.elt && event.detail.elt.querySelectorAll) init(event.detail.elt);
  });
})();
