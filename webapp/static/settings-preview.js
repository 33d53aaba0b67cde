/* Settings pages: the portal's live preview and the editable rows (add, remove, reorder).
 *
 * Preview: a form marked [data-preview-form] re-renders the iframe #portal-preview whenever the
 * admin types; the draft travels in the preview URL's query string and is never stored.
 * Rows: a [data-rows] block holds a [data-row-list] of [data-row] items and a <template
 * data-row-template> whose names carry "__i__"; inputs are renumbered after every change so the
 * server reads them in the order shown.
 */
(function () {
  "use strict";

  function previewUrl(form, iframe) {
    var params = new URLSearchParams(new FormData(form));
    params.delete("csrf_token");
    return iframe.getAttribute("data-preview-url") + "?" + params.toString();
  }

  function setUpPreview(form) {
    var iframe = document.getElementById("portal-preview");
    if (!iframe) return;
    var timer = null;
    function refresh() {
      clearTimeout(timer);
      timer = setTimeout(function () { iframe.src = previewUrl(form, iframe); }, 150);
    }
    form.addEventListener("input", refresh);
    form.addEventListener("change", refresh);
    refresh();
  }

  function renumber(block) {
    var rows = block.querySelectorAll("[data-row-list] > [data-row]");
    var prefix = block.getAttribute("data-rows");
    rows.forEach(function (row, index) {
      row.querySelectorAll("[name]").forEach(function (input) {
        var rest = input.name.slice(prefix.length + 1).replace(/^(\d+|__i__)-/, "");
        input.name = prefix + "-" + index + "-" + rest;
        if (rest === "position") input.value = String(index + 1);
      });
    });
  }

  function changed(block) {
    renumber(block);
    var form = block.closest("form");
    if (form) form.dispatchEvent(new Event("input", { bubbles: true }));
  }

  function setUpRows(block) {
    var list = block.querySelector("[data-row-list]");
    var template = block.querySelector("template[data-row-template]");
    block.addEventListener("click", function (event) {
      var button = event.target.closest("button");
      if (!button || !block.contains(button)) return;
      var row = button.closest("[data-row]");
      if (button.hasAttribute("data-add-row") && template) {
        var html = template.innerHTML.replace(/__i__/g, String(list.children.length));
        list.insertAdjacentHTML("beforeend", html);
        var added = list.lastElementChild;
        var first = added && added.querySelector("input, select, textarea");
        if (first) first.focus();
      } else if (button.hasAttribute("data-remove-row") && row) {
        row.remove();
      } else if (button.getAttribute("data-move") === "up" && row && row.previousElementSibling) {
        list.insertBefore(row, row.previousElementSibling);
        button.focus();
      } else if (button.getAttribute("data-move") === "down" && row && row.nextElementSibling) {
        list.insertBefore(row.nextElementSibling, row);
        button.focus();
      } else {
        return;
      }
      event.preventDefault();
      changed(block);
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-rows]").forEach(setUpRows);
    document.querySelectorAll("form[data-preview-form]").forEach(setUpPreview);
    document.querySelectorAll("form[data-confirm]").forEach(function (form) {
      form.addEventListener("submit", function (event) {
        if (!window.confirm(form.getAttribute("data-confirm"))) event.preventDefault();
      });
    });
  });
})();
