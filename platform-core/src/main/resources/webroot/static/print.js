// Print buttons (the residence code letter, printable circulars); kept in a file: the content security policy allows no inline script.
document.addEventListener('DOMContentLoaded', function () {
  var buttons = document.querySelectorAll('#print-letter, [data-print]');
  for (var i = 0; i < buttons.length; i++) {
    buttons[i].addEventListener('click', function () { window.print(); });
  }
});
