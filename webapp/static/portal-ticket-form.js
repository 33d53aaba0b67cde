// Shows a dependent ticket field only while its controlling field has the given value.
// Fields are in definition order and depend only on earlier ones, so one pass decides all.
// The server validates regardless; hidden fields are disabled so their values are not sent.
(function () {
  "use strict";
  var form = document.querySelector("[data-ticket-form]");
  if (!form) { return; }

  function control(wrapper) {
    return wrapper.querySelector("input, select, textarea");
  }

  function update() {
    var values = {};
    form.querySelectorAll("[data-field]").forEach(function (wrapper) {
      var name = wrapper.getAttribute("data-field");
      var controller = wrapper.getAttribute("data-show-when-field");
      var active = true;
      if (controller !== null) {
        var current = values[controller];
        active = current !== undefined && current !== null && current === wrapper.getAttribute("data-show-when-equals");
      }
      var input = control(wrapper);
      wrapper.hidden = !active;
      if (input) { input.disabled = !active; }
      values[name] = active && input && input.value.trim() !== "" ? input.value.trim() : null;
    });
  }

  form.addEventListener("change", update);
  form.addEventListener("input", update);
  update();
})();
