// Form buttons without inline handlers or javascript: links (the Content-Security-Policy
// allows neither). The resource form's Upload / Link / Remove buttons (templates/package/
// snippets/resource_upload_field.html) name, in data-odvn-* attributes, the radio to
// check, the input to clear, the element to click or to focus. The "Add" link of
// scheming's multiple-text fields (templates/scheming/form_snippets/multiple_text.html)
// calls scheming's own MultipleText.multiple_add; its "Remove" link (handled by scheming)
// must not follow its href.
(function () {
  "use strict";
  function byId(id) { return id ? document.getElementById(id) : null; }
  document.addEventListener("click", function (event) {
    if (!event.target.closest) { return; }
    var add = event.target.closest("[data-odvn-multiple-add]");
    if (add) {
      event.preventDefault();
      if (window.MultipleText) { window.MultipleText.multiple_add(add.getAttribute("data-odvn-multiple-add")); }
      return;
    }
    if (event.target.closest('a[name="multiple-remove"]')) { event.preventDefault(); }
    var button = event.target.closest("[data-odvn-check], [data-odvn-click]");
    if (!button) { return; }
    var check = byId(button.getAttribute("data-odvn-check"));
    if (check) { check.checked = true; }
    var clear = byId(button.getAttribute("data-odvn-clear"));
    if (clear) { clear.value = ""; }
    var click = byId(button.getAttribute("data-odvn-click"));
    if (click) { click.click(); }
    var focus = byId(button.getAttribute("data-odvn-focus"));
    if (focus) { focus.focus(); }
  });
}());
