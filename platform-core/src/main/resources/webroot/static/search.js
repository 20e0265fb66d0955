// Suggestions while typing in the search box (kept in a file: the content security policy allows no inline script).
// The titles go into the box's datalist, which browsers and screen readers offer as the box's choices.
document.addEventListener('DOMContentLoaded', function () {
  var box = document.getElementById('q');
  var list = document.getElementById('q-suggestions');
  var tenant = document.getElementById('tenant');
  if (!box || !list) {
    return;
  }
  var timer = null;
  var asked = 0;
  function suggest() {
    var text = box.value.trim();
    if (text.length === 0 || text.length > 100) {
      list.replaceChildren();
      return;
    }
    var mine = ++asked;
    var url = '/api/v1/search/suggestions?limit=8&q=' + encodeURIComponent(text);
    if (tenant && tenant.value) {
      url += '&tenant=' + encodeURIComponent(tenant.value);
    }
    fetch(url, {headers: {'Accept': 'application/json'}, credentials: 'same-origin'})
      .then(function (r) { return r.ok ? r.json() : {items: []}; })
      .then(function (body) {
        if (mine !== asked) {
          return;
        }
        list.replaceChildren.apply(list, body.items.map(function (title) {
          var option = document.createElement('option');
          option.value = title;
          return option;
        }));
      })
      .catch(function () { /* suggestions are a convenience; the search works without them */ });
  }
  box.addEventListener('input', function () {
    clearTimeout(timer);
    timer = setTimeout(suggest, 150);
  });
});
