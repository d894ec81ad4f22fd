// The draft's document editor (reports/draft_edit.html). Each block of the paper is
// contenteditable; its plain text is kept in a hidden textarea the server reads, so saving is an
// ordinary form post. Figures are non-editable chips (they can be deleted whole, never retyped);
// a line break (Enter) in a paragraph becomes a new paragraph on save; pasted text comes in plain.
// The proofreader's findings are underlined; clicking one offers its suggestion to accept or
// ignore. No inline script or handler anywhere: the CSP allows only this file.
(function () {
  "use strict";
  var form = document.getElementById("editor-form");
  if (!form) return;
  var pop = document.getElementById("pf-pop");
  var current = null;

  function textOf(node) {
    var out = "";
    node.childNodes.forEach(function (child) {
      if (child.nodeType === 3) {
        out += child.nodeValue;
      } else if (child.nodeType === 1) {
        if (child.tagName === "BR") {
          out += "\n";
        } else if (child.tagName === "DIV" || child.tagName === "P") {
          // browsers wrap a new line in a <div> when Enter slips through
          if (out && out.slice(-1) !== "\n") out += "\n";
          out += textOf(child);
        } else {
          out += textOf(child);
        }
      }
    });
    return out;
  }

  function field(block) {
    return form.querySelector('textarea[hidden][name="' + block.dataset.name + '"]');
  }

  function sync(block) {
    var target = field(block);
    if (target) target.value = textOf(block).replace(/\u00a0/g, " ").replace(/\u200b/g, "");
  }

  function count() {
    var counter = document.getElementById("pf-count");
    if (counter) counter.textContent = String(form.querySelectorAll(".pf").length);
  }

  function unwrap(span, text) {
    var block = span.closest(".ed-block");
    span.replaceWith(document.createTextNode(text));
    if (block) {
      block.normalize();
      sync(block);
    }
    form.dataset.dirty = "1";
    count();
  }

  function closePop() {
    if (current) current.classList.remove("active");
    current = null;
    if (pop) pop.hidden = true;
  }

  function openPop(span) {
    if (!pop) return;
    closePop();
    current = span;
    span.classList.add("active");
    var has = span.dataset.hasSuggestion === "1";
    pop.querySelector(".pf-msg").textContent = span.dataset.message || "";
    pop.querySelector(".pf-sug").textContent = has
      ? (span.dataset.suggestion ? "建议改为：“" + span.dataset.suggestion + "”" : "建议删去“" + span.textContent + "”")
      : "没有自动修改建议，请直接改写。";
    pop.querySelector(".pf-accept").hidden = !has;
    pop.hidden = false;
    var rect = span.getBoundingClientRect();
    var width = pop.offsetWidth;
    var left = Math.min(window.scrollX + rect.left, window.scrollX + document.documentElement.clientWidth - width - 8);
    pop.style.left = Math.max(8, left) + "px";
    pop.style.top = window.scrollY + rect.bottom + 6 + "px";
  }

  form.querySelectorAll(".ed-block").forEach(function (block) {
    block.querySelectorAll(".pf").forEach(function (span) { span.dataset.original = span.textContent; });
    function settle() {
      // a finding the officer retyped is no longer the proofreader's: drop its underline
      block.querySelectorAll(".pf").forEach(function (span) {
        if (span.textContent !== span.dataset.original) unwrap(span, span.textContent);
      });
      sync(block);
      form.dataset.dirty = "1";
    }
    block.addEventListener("input", function (event) {
      // while a Chinese input method composes, changing the DOM would cancel the composition
      if (event.isComposing) return;
      settle();
    });
    block.addEventListener("compositionend", settle);
    block.addEventListener("keydown", function (event) {
      if (event.key !== "Enter" || event.isComposing || event.keyCode === 229) return;
      event.preventDefault();
      if (block.dataset.kind === "paragraph") {
        document.execCommand("insertLineBreak");
        sync(block);
      }
    });
    block.addEventListener("paste", function (event) {
      event.preventDefault();
      var text = (event.clipboardData || window.clipboardData).getData("text/plain") || "";
      if (block.dataset.kind !== "paragraph") text = text.replace(/\s*\n\s*/g, "");
      document.execCommand("insertText", false, text);
    });
    block.addEventListener("drop", function (event) { event.preventDefault(); });
  });

  document.addEventListener("click", function (event) {
    var target = event.target;
    if (!target.closest) return;
    var span = target.closest(".pf");
    if (span && form.contains(span)) {
      openPop(span);
      return;
    }
    if (pop && !pop.contains(target)) closePop();
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") closePop();
  });
  if (pop) {
    pop.querySelector(".pf-accept").addEventListener("click", function () {
      if (current) unwrap(current, current.dataset.suggestion || "");
      closePop();
    });
    pop.querySelector(".pf-ignore").addEventListener("click", function () {
      if (current) unwrap(current, current.textContent);
      closePop();
    });
  }

  form.addEventListener("submit", function () {
    form.querySelectorAll(".ed-block").forEach(sync);
    form.dataset.dirty = "";
  });
  window.addEventListener("beforeunload", function (event) {
    if (form.dataset.dirty === "1") {
      event.preventDefault();
      event.returnValue = "";
    }
  });
})();
