// The "notices on this device" control of the interests page: registers the Web Push service
// worker, subscribes this browser with the platform's VAPID key and gives the subscription to the
// platform (or takes it back).
(function () {
  'use strict';
  var control = document.getElementById('push-control');
  if (!control) {
    return;
  }
  var state = document.getElementById('push-state');
  var on = document.getElementById('push-subscribe');
  var off = document.getElementById('push-unsubscribe');
  if (!('serviceWorker' in navigator) || !('PushManager' in window) || !('Notification' in window)) {
    control.dataset.state = 'unsupported';
    state.textContent = control.dataset.textUnsupported;
    return;
  }

  function show(subscribed, text) {
    control.dataset.state = subscribed ? 'on' : 'off';
    state.textContent = text || (subscribed ? control.dataset.textOn : control.dataset.textOff);
    on.hidden = subscribed;
    off.hidden = !subscribed;
    on.disabled = false;
    off.disabled = false;
  }

  function fail(text, err) {
    control.dataset.state = 'error';
    control.dataset.error = err && err.message ? err.message : '';
    state.textContent = text;
    on.disabled = false;
    off.disabled = false;
  }

  function key(base64url) {
    var padded = (base64url + '='.repeat((4 - base64url.length % 4) % 4)).replace(/-/g, '+').replace(/_/g, '/');
    var raw = atob(padded);
    var out = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) {
      out[i] = raw.charCodeAt(i);
    }
    return out;
  }

  function api(method, path, body) {
    return fetch(path, {
      method: method, credentials: 'same-origin',
      headers: body ? { 'Content-Type': 'application/json', 'Accept': 'application/json' } : { 'Accept': 'application/json' },
      body: body ? JSON.stringify(body) : undefined
    }).then(function (response) {
      if (!response.ok) {
        throw new Error('HTTP ' + response.status);
      }
      return response.status === 204 ? null : response.json();
    });
  }

  var registered = navigator.serviceWorker.register('/push-sw.js', { scope: '/' });
  registered
    .then(function (registration) { return registration.pushManager.getSubscription(); })
    .then(function (subscription) { show(subscription !== null); })
    .catch(function () { fail(control.dataset.textUnsupported); });

  on.addEventListener('click', function () {
    on.disabled = true;
    Notification.requestPermission()
      .then(function (permission) {
        if (permission !== 'granted') {
          throw new Error('denied');
        }
        return Promise.all([registered, api('GET', '/api/v1/webpush/key')]);
      })
      .then(function (both) {
        return both[0].pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: key(both[1].applicationServerKey) });
      })
      .then(function (subscription) {
        var json = subscription.toJSON();
        return api('POST', '/api/v1/me/push-subscriptions', { endpoint: json.endpoint, keys: json.keys });
      })
      .then(function () { show(true); })
      .catch(function (err) {
        fail(err && err.message === 'denied' ? control.dataset.textDenied : control.dataset.textFailed, err);
      });
  });

  off.addEventListener('click', function () {
    off.disabled = true;
    registered
      .then(function (registration) { return registration.pushManager.getSubscription(); })
      .then(function (subscription) {
        if (!subscription) {
          return null;
        }
        var endpoint = subscription.endpoint;
        return api('GET', '/api/v1/me/push-subscriptions')
          .then(function (list) {
            var mine = list.items.filter(function (s) { return s.endpoint === endpoint; });
            return Promise.all(mine.map(function (s) { return api('DELETE', '/api/v1/me/push-subscriptions/' + s.id); }));
          })
          .then(function () { return subscription.unsubscribe(); });
      })
      .then(function () { show(false); })
      .catch(function (err) { fail(control.dataset.textFailed, err); });
  });
})();
