// The store dashboard: reads GET /v1/stores/{store}/insights and the store's idle open carts with the
// store's API key, and makes recovery links for those carts. Everything it loads comes from this origin.
// Customer-controlled text (landing pages, referrers) is only ever written with textContent.
(function () {
  'use strict';

  // sessionStorage only: the key lives as long as this tab, never in local storage, a cookie or the URL.
  var STORED_STORE = 'redfour.dashboard.store';
  var STORED_KEY = 'redfour.dashboard.apiKey';
  var DAY_MS = 86400000;
  var CARTS_SHOWN = 10;

  var form = document.getElementById('query');
  var storeInput = document.getElementById('store');
  var keyInput = document.getElementById('apiKey');
  var fromInput = document.getElementById('from');
  var toInput = document.getElementById('to');
  var touchInput = document.getElementById('touch');
  var showButton = document.getElementById('show');
  var messages = document.getElementById('messages');
  var results = document.getElementById('results');
  var chart = null;

  function utcDate(ms) {
    return new Date(ms).toISOString().slice(0, 10);
  }

  function restore() {
    storeInput.value = sessionStorage.getItem(STORED_STORE) || '';
    keyInput.value = sessionStorage.getItem(STORED_KEY) || '';
    // the default window: the last 30 days including today (UTC), as the service's own default
    var today = Date.now();
    toInput.value = utcDate(today);
    fromInput.value = utcDate(today - 29 * DAY_MS);
  }

  // --- formatting: fixed, locale-independent, so that what people read is what tests assert ----------

  function count(n) {
    return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  }

  function percent(rate) {
    return (Math.round(rate * 10000) / 100).toFixed(2) + ' %';
  }

  // {"USD": 12.5, "EUR": 3} -> "EUR 3.00, USD 12.50"; {} -> "—"
  function money(amounts) {
    var codes = Object.keys(amounts || {}).sort();
    if (codes.length === 0) {
      return '—';
    }
    return codes.map(function (code) {
      return code + ' ' + Number(amounts[code]).toFixed(2);
    }).join(', ');
  }

  function hostOf(url) {
    try {
      return new URL(url).host;
    } catch (notAUrl) {
      return url;
    }
  }

  // --- talking to the service ------------------------------------------------------------------------

  // state: 'busy', 'done' or 'error' (styled, and what a test waits for)
  function say(text, state) {
    messages.textContent = text;
    messages.dataset.state = state;
  }

  function storePath() {
    return '/v1/stores/' + encodeURIComponent(storeInput.value.trim());
  }

  // A failed answer, told in words: the problem's title and detail when the service sent one.
  function failure(response, what) {
    var type = response.headers.get('Content-Type') || '';
    var told = type.indexOf('json') >= 0 ? response.json().catch(function () { return {}; }) : Promise.resolve({});
    return told.then(function (problem) {
      var text = what + ': ' + response.status + ' ' + (problem.title || response.statusText || 'failed');
      if (problem.detail) {
        text += ' — ' + problem.detail;
      }
      if (response.status === 401) {
        text += '. Check the API key.';
      } else if (response.status === 404) {
        text += '. Check the store: the key must belong to it.';
      }
      var error = new Error(text);
      error.told = true;
      throw error;
    });
  }

  function call(method, path, what, body) {
    var headers = {'Authorization': 'Bearer ' + keyInput.value, 'Accept': 'application/json'};
    var init = {method: method, headers: headers, cache: 'no-store', credentials: 'omit', referrerPolicy: 'no-referrer'};
    if (body !== undefined) {
      headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    return fetch(path, init).then(function (response) {
      return response.ok ? response.json() : failure(response, what);
    }, function () {
      var error = new Error(what + ': the service did not answer.');
      error.told = true;
      throw error;
    });
  }

  function insights(by, limit) {
    var query = new URLSearchParams({from: fromInput.value, to: toInput.value, by: by, touch: touchInput.value, limit: String(limit)});
    return call('GET', storePath() + '/insights?' + query, 'Insights by ' + by);
  }

  function idleCarts() {
    var query = new URLSearchParams({status: 'open', hasItems: 'true', idleFor: 'PT1H', limit: '200'});
    return call('GET', storePath() + '/sessions?' + query, 'Idle carts');
  }

  // --- rendering -------------------------------------------------------------------------------------

  function cell(row, text, className, header) {
    var element = document.createElement(header ? 'th' : 'td');
    if (header) {
      element.scope = 'row';
    }
    element.textContent = text;
    if (className) {
      element.className = className;
    }
    row.appendChild(element);
    return element;
  }

  function metric(name, text) {
    document.querySelectorAll('[data-metric="' + name + '"]').forEach(function (element) {
      element.textContent = text;
    });
  }

  function showFunnel(answer) {
    var totals = answer.totals;
    document.getElementById('window').textContent = answer.from + ' to ' + answer.to + ', ' + answer.touch + ' touch';
    metric('sessions', count(totals.sessions));
    metric('withItems', count(totals.withItems));
    metric('converted', count(totals.converted));
    metric('conversionRate', percent(totals.conversionRate));
    metric('abandoned', count(totals.abandoned));
    metric('recovered', count(totals.recovered));
    metric('revenue', money(totals.revenue));
    metric('averageOrderValue', money(totals.averageOrderValue));
    metric('abandonedValue', money(totals.abandonedValue));
    document.getElementById('withItemsRate').textContent =
        (totals.sessions === 0 ? percent(0) : percent(totals.withItems / totals.sessions)) + ' of sessions';
  }

  function showSources(answer) {
    document.getElementById('sources-caption').textContent = 'Sessions by source, ' + answer.touch + ' touch';
    var body = document.querySelector('#sources tbody');
    body.replaceChildren();
    answer.rows.forEach(function (source) {
      var row = document.createElement('tr');
      cell(row, source.key, null, true);
      cell(row, count(source.sessions), 'num');
      cell(row, count(source.withItems), 'num');
      cell(row, count(source.converted), 'num');
      cell(row, percent(source.conversionRate), 'num');
      cell(row, money(source.revenue), 'num');
      body.appendChild(row);
    });
  }

  // Days without sessions are not in the answer; the chart shows them as zero, the table lists the rest.
  function showDays(answer) {
    var byDay = {};
    answer.rows.forEach(function (day) {
      byDay[day.key] = day;
    });
    var xs = [], sessions = [], converted = [], abandoned = [];
    var first = Date.parse(answer.from + 'T00:00:00Z'), last = Date.parse(answer.to + 'T00:00:00Z');
    for (var at = first; at <= last; at += DAY_MS) {
      var day = byDay[utcDate(at)];
      xs.push(at / 1000);
      sessions.push(day ? day.sessions : 0);
      converted.push(day ? day.converted : 0);
      abandoned.push(day ? day.abandoned : 0);
    }
    var body = document.querySelector('#days tbody');
    body.replaceChildren();
    answer.rows.forEach(function (day) {
      var row = document.createElement('tr');
      cell(row, day.key, null, true);
      cell(row, count(day.sessions));
      cell(row, count(day.converted));
      cell(row, count(day.abandoned));
      body.appendChild(row);
    });
    drawChart([xs, sessions, converted, abandoned]);
  }

  function chartWidth() {
    return Math.max(280, document.getElementById('chart').clientWidth);
  }

  function drawChart(data) {
    var place = document.getElementById('chart');
    if (chart) {
      chart.destroy();
    }
    place.replaceChildren();
    if (typeof uPlot !== 'function') {
      say('The chart library did not load; the figures per day are in the table.', 'error');
      return;
    }
    chart = new uPlot({
      width: chartWidth(),
      height: 260,
      tzDate: function (seconds) { return uPlot.tzDate(new Date(seconds * 1000), 'Etc/UTC'); },
      scales: {x: {time: true}, y: {range: function (u, min, max) { return [0, Math.max(1, max)]; }}},
      axes: [{}, {label: 'Sessions'}],
      legend: {live: false},
      series: [
        {label: 'Day (UTC)', value: '{YYYY}-{MM}-{DD}'},
        {label: 'Sessions', stroke: '#1d4ed8', width: 2},
        {label: 'Converted', stroke: '#15803d', width: 2},
        {label: 'Abandoned', stroke: '#b91c1c', width: 2, dash: [6, 4]}
      ]
    }, data, place);
  }

  function cameFrom(summary) {
    var touch = summary.attribution && summary.attribution.first;
    if (!touch) {
      return '';
    }
    return touch.referrer ? hostOf(touch.referrer) + ' → ' + touch.landing : touch.landing;
  }

  function showCarts(listing) {
    var carts = listing.sessions.slice().sort(function (a, b) {
      return b.total - a.total || a.updatedAt.localeCompare(b.updatedAt);
    }).slice(0, CARTS_SHOWN);
    var body = document.querySelector('#carts tbody');
    body.replaceChildren();
    document.getElementById('carts-empty').hidden = carts.length > 0;
    carts.forEach(function (cart) {
      var row = document.createElement('tr');
      row.dataset.session = cart.key;
      var key = cell(row, '', 'key', true);
      var code = document.createElement('code');
      code.textContent = cart.key;
      key.appendChild(code);
      cell(row, count(cart.itemCount), 'num');
      cell(row, money(cart.currency ? {[cart.currency]: cart.total} : {}), 'num');
      cell(row, cart.updatedAt.replace('T', ' ').replace(/\.\d+Z$|Z$/, ''), 'when');
      cell(row, cameFrom(cart), 'from');
      var action = cell(row, '');
      var button = document.createElement('button');
      button.type = 'button';
      button.textContent = 'Create link';
      button.setAttribute('aria-label', 'Create link for ' + cart.key);
      button.addEventListener('click', function () { makeLink(cart.key, action, button); });
      action.appendChild(button);
      body.appendChild(row);
    });
  }

  function makeLink(sessionKey, place, button) {
    button.disabled = true;
    call('POST', storePath() + '/sessions/' + encodeURIComponent(sessionKey) + '/recovery-links', 'Recovery link',
        {campaign: 'dashboard'}).then(function (link) {
      var field = document.createElement('input');
      field.type = 'text';
      field.readOnly = true;
      field.className = 'link';
      field.value = link.url || link.token;
      field.setAttribute('aria-label', (link.url ? 'Recovery link' : 'Recovery token') + ' for ' + sessionKey);
      place.replaceChildren(field);
      field.focus();
      field.select();
      say('Recovery link made for ' + sessionKey + ', valid until ' + link.expiresAt
          + (link.url ? '' : ' (no link template is configured: this is the token)') + '.', 'done');
    }).catch(function (error) {
      button.disabled = false;
      say(error.told ? error.message : 'Recovery link: ' + error.message, 'error');
    });
  }

  // --- the form --------------------------------------------------------------------------------------

  function check() {
    if (storeInput.value.trim() === '') {
      storeInput.focus();
      return 'Enter the store.';
    }
    if (keyInput.value === '') {
      keyInput.focus();
      return 'Enter the API key.';
    }
    if (!fromInput.value || !toInput.value || fromInput.value > toInput.value) {
      fromInput.focus();
      return 'Choose a window: From must be a day on or before To.';
    }
    return null;
  }

  form.addEventListener('submit', function (event) {
    event.preventDefault();
    var wrong = check();
    if (wrong) {
      say(wrong, 'error');
      return;
    }
    sessionStorage.setItem(STORED_STORE, storeInput.value.trim());
    sessionStorage.setItem(STORED_KEY, keyInput.value);
    showButton.disabled = true;
    form.setAttribute('aria-busy', 'true');
    say('Loading…', 'busy');
    Promise.all([insights('source', 50), insights('day', 500), idleCarts()]).then(function (answers) {
      results.hidden = false;
      showFunnel(answers[0]);
      showSources(answers[0]);
      showDays(answers[1]);
      showCarts(answers[2]);
      say('Loaded ' + answers[0].from + ' to ' + answers[0].to + ' (' + answers[0].touch + ' touch).', 'done');
    }).catch(function (error) {
      results.hidden = true; // figures of an earlier Show must not pass for these
      say(error.told ? error.message : 'The figures could not be shown: ' + error.message, 'error');
    }).finally(function () {
      showButton.disabled = false;
      form.removeAttribute('aria-busy');
    });
  });

  window.addEventListener('resize', function () {
    if (chart) {
      chart.setSize({width: chartWidth(), height: 260});
    }
  });

  restore();
}());
