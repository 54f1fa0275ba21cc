// Inbox keyboard shortcuts and small helpers. No framework: the desk works without it.
// List: j/k move the selection, Enter or r opens the conversation at its reply box,
// e opens it at the expert form. Conversation: r focuses the reply, e the expert question,
// c closes (after a confirmation). Keys are ignored while typing in a field.
(function () {
  "use strict";
  function typing(event) {
    var t = event.target;
    return t && (t.tagName === "INPUT" || t.tagName === "TEXTAREA" || t.tagName === "SELECT" || t.isContentEditable);
  }
  function setupList(table) {
    var rows = Array.prototype.slice.call(table.querySelectorAll("tbody tr[data-href]"));
    var index = rows.length ? 0 : -1;
    function select(i) {
      if (!rows.length) return;
      index = Math.max(0, Math.min(rows.length - 1, i));
      rows.forEach(function (row, n) { row.classList.toggle("is-selected", n === index); });
      rows[index].scrollIntoView({ block: "nearest" });
    }
    select(0);
    document.addEventListener("keydown", function (event) {
      if (typing(event) || event.metaKey || event.ctrlKey || event.altKey || index < 0) return;
      var href = rows[index].getAttribute("data-href");
      if (event.key === "j") { select(index + 1); }
      else if (event.key === "k") { select(index - 1); }
      else if (event.key === "Enter" || event.key === "r") { window.location = href + "#answer"; }
      else if (event.key === "e") { window.location = href + "#expert"; }
      else { return; }
      event.preventDefault();
    });
  }
  function setupConversation() {
    var text = document.getElementById("id_text");
    var counter = document.querySelector("[data-count-for]");
    var cites = document.querySelector("[data-cites]");
    var entry = document.querySelector("#reply-form input[name=kb_entry]");
    function count() { if (counter && text) counter.textContent = text.value.length; }
    if (text) { text.addEventListener("input", count); count(); }
    document.querySelectorAll("[data-use-suggestion]").forEach(function (button) {
      button.addEventListener("click", function () {
        if (!text) return;
        text.value = button.getAttribute("data-text");
        if (entry) entry.value = button.getAttribute("data-entry");
        if (cites) cites.textContent = button.getAttribute("data-entry");
        count();
        text.focus();
      });
    });
    if (window.location.hash === "#answer" && text) text.focus();
    var question = document.getElementById("id_question");
    if (window.location.hash === "#expert" && question) question.focus();
    document.addEventListener("keydown", function (event) {
      if (typing(event) || event.metaKey || event.ctrlKey || event.altKey) return;
      if (event.key === "r" && text) { text.focus(); }
      else if (event.key === "e" && question) { question.focus(); }
      else if (event.key === "c") {
        var close = document.getElementById("close-form");
        if (close && window.confirm(close.getAttribute("data-confirm") || "Close?")) close.submit();
      } else { return; }
      event.preventDefault();
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    var table = document.querySelector("[data-inbox-list]");
    if (table) setupList(table);
    if (document.getElementById("h-words")) setupConversation();
  });
})();
