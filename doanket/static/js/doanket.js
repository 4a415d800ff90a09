// Behaviour the pages declare with data attributes, so that no page needs an inline script or
// event handler (the Content Security Policy allows scripts from this site's files only).
"use strict";
// <select data-autosubmit>: choosing shows the choice at once (the <noscript> button does it without JS).
document.addEventListener("change", function (event) {
  var target = event.target;
  if (target instanceof HTMLSelectElement && target.hasAttribute("data-autosubmit") && target.form) {
    target.form.submit();
  }
});
// <form data-confirm="question">: asks before sending.
document.addEventListener("submit", function (event) {
  var form = event.target;
  var question = form instanceof HTMLFormElement ? form.getAttribute("data-confirm") : null;
  if (question && !window.confirm(question)) {
    event.preventDefault();
  }
});
