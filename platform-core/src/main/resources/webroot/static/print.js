// The print button of the residence code letter (kept in a file: the content security policy allows no inline script).
document.addEventListener('DOMContentLoaded', function () {
  var button = document.getElementById('print-letter');
  if (button) {
    button.addEventListener('click', function () { window.print(); });
  }
});
