// Drag a scheduled post onto another day: the same time of day, that date. The drop fills
// and submits the page's plain reschedule form, so the server path is the no-JS one.
(function () {
  "use strict";
  function ready(fn) {
    if (document.readyState !== "loading") fn(); else document.addEventListener("DOMContentLoaded", fn);
  }
  ready(function () {
    var form = document.getElementById("drag-form");
    if (!form) return;
    var dragged = null;
    document.querySelectorAll("[data-reschedule-url]").forEach(function (post) {
      post.addEventListener("dragstart", function (event) {
        dragged = post;
        event.dataTransfer.effectAllowed = "move";
        event.dataTransfer.setData("text/plain", post.dataset.rescheduleUrl);
        post.classList.add("dragging");
      });
      post.addEventListener("dragend", function () { post.classList.remove("dragging"); });
    });
    document.querySelectorAll("td[data-date]").forEach(function (cell) {
      cell.addEventListener("dragover", function (event) {
        if (!dragged) return;
        event.preventDefault();
        cell.classList.add("drop-target");
      });
      cell.addEventListener("dragleave", function () { cell.classList.remove("drop-target"); });
      cell.addEventListener("drop", function (event) {
        event.preventDefault();
        cell.classList.remove("drop-target");
        if (!dragged || dragged.dataset.date === cell.dataset.date) { dragged = null; return; }
        form.action = dragged.dataset.rescheduleUrl;
        form.querySelector("input[name=date]").value = cell.dataset.date;
        dragged = null;
        form.submit();
      });
    });
  });
})();
