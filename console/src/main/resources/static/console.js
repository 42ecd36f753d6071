// FusionLedger console: live updates. Each market event (server-sent events from /events) is added
// to the side feed; a page watching all tasks, or the event's task, fetches itself again and swaps
// its <main> in place (no reload). Forms and scroll position stay as they are elsewhere.
(function () {
  'use strict';
  var live = document.getElementById('live');
  var feed = document.getElementById('live-feed');
  var refreshing = false, again = false;

  function watches(e) {
    var w = document.body.dataset.watch;
    return w === 'all' || (e.taskId && w === e.taskId);
  }

  function addToFeed(e) {
    var li = document.createElement('li');
    li.className = 'new';
    var name = document.createElement('span');
    name.className = 'ev';
    name.textContent = e.name;
    li.appendChild(name);
    li.appendChild(document.createTextNode(' block ' + e.blockNumber + ' '));
    if (e.taskId) {
      var a = document.createElement('a');
      a.href = '/tasks/' + encodeURIComponent(e.taskId);
      a.textContent = e.taskId.length > 16 ? e.taskId.substring(0, 12) + '\u2026' : e.taskId;
      li.appendChild(a);
    }
    feed.insertBefore(li, feed.firstChild);
    while (feed.children.length > 30) { feed.removeChild(feed.lastChild); }
  }

  function refresh() {
    if (refreshing) { again = true; return; }
    refreshing = true;
    fetch(location.href, { headers: { 'Accept': 'text/html' }, credentials: 'same-origin' })
      .then(function (r) { return r.text(); })
      .then(function (html) {
        var doc = new DOMParser().parseFromString(html, 'text/html');
        var fresh = doc.querySelector('main');
        var flash = document.getElementById('flash');
        if (fresh) {
          var kept = fresh.querySelector('#flash');
          if (!kept && flash) { fresh.insertBefore(flash, fresh.firstChild); }
          document.querySelector('main').replaceWith(fresh);
          document.body.dataset.refreshed = String((+document.body.dataset.refreshed || 0) + 1);
        }
      })
      .catch(function () { /* the next event tries again */ })
      .finally(function () {
        refreshing = false;
        if (again) { again = false; refresh(); }
      });
  }

  if (!window.EventSource) { return; }
  var es = new EventSource('/events');
  es.onopen = function () { live.className = 'live on'; };
  es.onerror = function () { live.className = 'live off'; };
  es.addEventListener('market', function (m) {
    var e = JSON.parse(m.data);
    addToFeed(e);
    if (watches(e)) { refresh(); }
  });
})();
