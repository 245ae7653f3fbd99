// The globals ckanext-datatablesview's script expects (gdataDict, gresviewId), read from
// the JSON block of templates/datatables/datatables_view.html instead of an inline script,
// and the refit button's click handler (was an inline onclick).
(function () {
  "use strict";
  var config = document.getElementById("odvn-datatables-config");
  if (config) {
    var data = JSON.parse(config.textContent);
    window.gdataDict = data.dict;
    window.gresviewId = data.view;
  }
  document.addEventListener("click", function (event) {
    if (event.target.closest && event.target.closest("#refit-button") && typeof window.fitColText === "function") {
      window.fitColText();
    }
  });
}());

// datatablesview.js calls `setTimeout(initFilterObserver(), 100)` on the language file's
// arrival: the observer is already set up by the call, and setTimeout then gets a
// non-function, which the browser would evaluate as a string (refused by the policy and
// reported as a violation). On this page a timer is only ever a function.
(function () {
  "use strict";
  var setTimeoutNative = window.setTimeout;
  window.setTimeout = function (handler) {
    if (typeof handler !== "function") { return 0; }
    return setTimeoutNative.apply(window, arguments);
  };
}());
