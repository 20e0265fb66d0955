// The live inbox: new notifications arrive over server-sent events and are put at the top of the list;
// opening one reports it as opened.
(function () {
  'use strict';
  var list = document.getElementById('notifications');
  if (!list || !window.EventSource) {
    return;
  }
  // Opening a notice from the inbox is its "opened" receipt (the link goes on as usual; keepalive lets the report finish).
  list.addEventListener('click', function (event) {
    var item = event.target.closest ? event.target.closest('li[data-id]') : null;
    if (!item || !event.target.closest('a')) {
      return;
    }
    fetch('/api/v1/me/notifications/' + item.dataset.id + '/opened', {
      method: 'POST', keepalive: true, credentials: 'same-origin', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ channel: 'inbox' })
    }).catch(function () { return null; });
  });
  var counter = document.getElementById('unread-count');
  var empty = document.getElementById('no-notifications');
  var source = new EventSource(list.dataset.stream);
  source.onopen = function () {
    list.dataset.live = 'open';
  };
  source.onerror = function () {
    list.dataset.live = 'reconnecting';
  };
  source.addEventListener('notification', function (event) {
    var n = JSON.parse(event.data);
    if (list.querySelector('[data-id="' + n.id + '"]')) {
      return;
    }
    var item = document.createElement('li');
    item.className = 'circular notification unread live';
    item.dataset.id = String(n.id);
    var link = document.createElement('a');
    link.href = n.url;
    var title = document.createElement('span');
    title.className = 'title';
    title.textContent = n.title;
    var meta = document.createElement('span');
    meta.className = 'meta';
    meta.textContent = list.dataset['label' + n.kind.charAt(0).toUpperCase() + n.kind.slice(1)] || n.kind;
    link.appendChild(title);
    link.appendChild(meta);
    item.appendChild(link);
    list.insertBefore(item, list.firstChild);
    if (empty) {
      empty.hidden = true;
    }
    if (counter) {
      var unread = Number(counter.dataset.unread || '0') + 1;
      counter.dataset.unread = String(unread);
      counter.textContent = list.dataset.unreadTemplate.replace(/999[,.]?999/, String(unread));
    }
  });
})();
