(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('data').textContent);
  // Rows drawn at once; filtering narrows the rest down.
  var LIMIT = 1000;
  var STATE_ORDER = { missing: 0, stale: 1, unknown: 2, orphaned: 3, fresh: 4 };
  var tbody = document.querySelector('#articles tbody');
  var filter = document.getElementById('filter');
  var stateFilter = document.getElementById('state-filter');
  var localeFilter = document.getElementById('locale-filter');
  var shown = document.getElementById('shown');
  var more = document.getElementById('more');
  var panel = document.getElementById('diff-panel');
  var sortKey = null;
  var sortDirection = 1;

  function priorityRank(priority) {
    var value = (priority || '').trim().toLowerCase();
    if (['high', 'priority', 'p0', 'p1'].indexOf(value) >= 0) return 0;
    if (['low', 'p3', 'p4'].indexOf(value) >= 0) return 2;
    return 1;
  }

  function isLagging(cell) {
    return !!cell && (cell.state === 'stale' || cell.state === 'missing' || cell.state === 'unknown');
  }

  function keep(row) {
    var text = filter.value.trim().toLowerCase();
    if (text && row.path.toLowerCase().indexOf(text) < 0) return false;
    var cells = row.copies;
    if (localeFilter.value) cells = [row.copies[data.locales.indexOf(localeFilter.value)]];
    switch (stateFilter.value) {
      case 'lagging': return cells.some(isLagging);
      case 'stale': return cells.some(function (c) { return c && c.state === 'stale'; });
      case 'missing': return cells.some(function (c) { return c && c.state === 'missing'; });
      case 'errors': return cells.some(function (c) { return c && c.errors > 0; });
      default: return true;
    }
  }

  function sortValue(row, key) {
    if (key === 'path') return row.path;
    if (key === 'priority') return priorityRank(row.priority);
    if (key.indexOf('locale:') === 0) {
      var cell = row.copies[Number(key.slice(7))];
      return cell ? STATE_ORDER[cell.state] * 1e9 - (cell.commits || 0) : 9e18;
    }
    return row[key];
  }

  function text(tag, content, className) {
    var element = document.createElement(tag);
    element.textContent = content;
    if (className) element.className = className;
    return element;
  }

  function label(cell) {
    if (cell.state !== 'stale') return cell.state;
    var parts = [cell.change || 'stale'];
    if (cell.commits) parts.push(cell.commits + ' c');
    if (cell.days) parts.push(cell.days + ' d');
    return parts.join(' · ');
  }

  function showDiff(row, locale, index) {
    document.getElementById('diff-title').textContent = row.path + ' → ' + locale + ': source changes since the handoff';
    var pre = document.getElementById('diff');
    pre.replaceChildren();
    data.diffs[index].split('\n').forEach(function (line) {
      var className = '';
      if (line.charAt(0) === '+' && line.indexOf('+++') !== 0) className = 'add';
      else if (line.charAt(0) === '-' && line.indexOf('---') !== 0) className = 'del';
      pre.appendChild(text('span', line + '\n', className));
    });
    panel.hidden = false;
  }

  function makeRow(row) {
    var tr = document.createElement('tr');
    tr.dataset.path = row.path;
    tr.appendChild(text('td', row.path));
    tr.appendChild(text('td', row.priority || ''));
    tr.appendChild(text('td', String(row.words), 'num'));
    tr.appendChild(text('td', String(row.lagging), 'num'));
    tr.appendChild(text('td', String(row.score), 'num'));
    row.copies.forEach(function (cell, index) {
      var td = document.createElement('td');
      td.dataset.locale = data.locales[index];
      if (!cell) {
        tr.appendChild(td);
        return;
      }
      td.className = 'cell ' + cell.state;
      td.dataset.state = cell.state;
      if (cell.href) {
        var link = text('a', label(cell));
        link.href = cell.href;
        td.appendChild(link);
      } else {
        td.appendChild(document.createTextNode(label(cell)));
      }
      if (cell.errors) {
        var errors = text('span', '⚠ ' + cell.errors, 'errors');
        errors.title = cell.errors + (cell.errors === 1 ? ' error finding' : ' error findings');
        td.appendChild(errors);
      }
      if (cell.diff !== null && cell.diff !== undefined) {
        var button = text('button', 'diff');
        button.type = 'button';
        button.className = 'show-diff';
        button.addEventListener('click', function () { showDiff(row, data.locales[index], cell.diff); });
        td.appendChild(button);
      }
      tr.appendChild(td);
    });
    return tr;
  }

  function render() {
    var rows = data.rows.filter(keep);
    if (sortKey) {
      var positions = new Map(data.rows.map(function (row, position) { return [row, position]; }));
      rows.sort(function (a, b) {
        var x = sortValue(a, sortKey);
        var y = sortValue(b, sortKey);
        if (x < y) return -sortDirection;
        if (x > y) return sortDirection;
        return positions.get(a) - positions.get(b);
      });
    }
    var fragment = document.createDocumentFragment();
    rows.slice(0, LIMIT).forEach(function (row) { fragment.appendChild(makeRow(row)); });
    tbody.replaceChildren(fragment);
    shown.textContent = rows.length + ' of ' + data.rows.length + ' articles';
    more.textContent = rows.length > LIMIT ? 'Showing the first ' + LIMIT + '; filter to see the others.' : '';
  }

  document.querySelectorAll('th[data-sort]').forEach(function (th) {
    th.addEventListener('click', function () {
      var key = th.dataset.sort;
      sortDirection = sortKey === key ? -sortDirection : 1;
      sortKey = key;
      document.querySelectorAll('th[data-sort]').forEach(function (other) { other.removeAttribute('aria-sort'); });
      th.setAttribute('aria-sort', sortDirection === 1 ? 'ascending' : 'descending');
      render();
    });
  });
  [filter, stateFilter, localeFilter].forEach(function (control) {
    control.addEventListener('input', render);
    control.addEventListener('change', render);
  });
  document.getElementById('diff-close').addEventListener('click', function () { panel.hidden = true; });
  render();
  document.body.dataset.ready = 'true';
})();
