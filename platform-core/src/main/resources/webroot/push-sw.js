// The service worker of notices by Web Push. Served from the site root (/push-sw.js) so that its
// scope is the whole site; it handles no fetches, only push messages and notification clicks.
'use strict';

self.addEventListener('install', function () {
  self.skipWaiting();
});

self.addEventListener('activate', function (event) {
  event.waitUntil(self.clients.claim());
});

/** The notice a push message carries (the platform sends JSON: id, title, url, kind, tenantCode). */
function noticeOf(event) {
  try {
    return event.data ? event.data.json() : null;
  } catch (e) {
    return null;
  }
}

/** The notification a notice is shown as; a message without a readable notice still shows one (userVisibleOnly). */
function notificationFor(notice) {
  if (!notice || typeof notice.title !== 'string' || notice.title === '') {
    return { title: 'つなぐ', options: { body: '新しいお知らせがあります / You have a new notice', tag: 'notice', data: { url: '/inbox' } } };
  }
  var prefix = notice.kind === 'updated' ? '【更新】' : notice.kind === 'withdrawn' ? '【掲載終了】' : '';
  return {
    title: prefix + notice.title,
    options: {
      body: notice.summary || '',
      tag: 'notice-' + notice.id,
      data: { id: notice.id, url: notice.url || '/inbox' }
    }
  };
}

self.addEventListener('push', function (event) {
  var shown = notificationFor(noticeOf(event));
  event.waitUntil(self.registration.showNotification(shown.title, shown.options));
});

/** A click opens the notice and reports the opening (the citizen's session cookie goes with it). */
self.addEventListener('notificationclick', function (event) {
  event.notification.close();
  var data = event.notification.data || {};
  var report = typeof data.id === 'number'
    ? fetch('/api/v1/me/notifications/' + data.id + '/opened', {
        method: 'POST', credentials: 'same-origin', headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ channel: 'webpush' })
      }).catch(function () { return null; })
    : Promise.resolve(null);
  event.waitUntil(Promise.all([report, self.clients.openWindow(data.url || '/inbox')]));
});
