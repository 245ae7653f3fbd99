/* "Copy link" in the share box: copies the page's address and says so to screen
   readers. Plain JavaScript, loaded as a file (no inline script). */
(function () {
  "use strict";

  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text).then(function () { return true; }, function () { return false; });
    }
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.className = "odvn-offscreen";
    document.body.appendChild(area);
    area.select();
    var ok = false;
    try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
    document.body.removeChild(area);
    return Promise.resolve(ok);
  }

  function init() {
    document.querySelectorAll("[data-odvn-copy-link]").forEach(function (button) {
      button.addEventListener("click", function () {
        var status = button.parentNode.querySelector(".odvn-copy-link-status");
        copyText(button.getAttribute("data-odvn-copy-link")).then(function (ok) {
          if (status) {
            status.textContent = button.getAttribute(ok ? "data-copied" : "data-failed");
            status.classList.toggle("visually-hidden", !ok);
          }
          button.setAttribute("data-odvn-copied", ok ? "true" : "false");
        });
      });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
