// The Runtime Events webview: filters, the table (one line per event, newest at the bottom or, by
// choice, at the top) and the failover timeline. Fed by client/src/views/eventsPanel.ts: a reset
// sends the table, then only new events and the oldest kept, so rows are added and removed, never
// all rebuilt. Plain script, no framework, so it loads instantly.
(function () {
  const vscode = acquireVsCodeApi();
  const rowsEl = document.getElementById("rows");
  const wrap = document.getElementById("wrap");
  const pairSelect = document.getElementById("pair");
  const textInput = document.getElementById("text");
  const countEl = document.getElementById("count");
  const timelineEl = document.getElementById("timeline");
  const newestFirstBox = document.getElementById("newestFirst");
  const severities = new Set(["error", "warning", "information"]);
  let events = [];
  /** The table row of each shown event, by sequence number. */
  const rowOf = new Map();
  let timelines = [];
  let minutes = 30;
  newestFirstBox.checked = !!(vscode.getState() || {}).newestFirst;

  const two = (n) => String(n).padStart(2, "0");
  function parts(iso) {
    const d = new Date(iso);
    return {
      date: `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())}`,
      time: `${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}.${String(d.getMilliseconds()).padStart(3, "0")}`,
    };
  }

  function visible(e) {
    if (!severities.has(e.severity)) return false;
    if (pairSelect.value && e.pair !== pairSelect.value) return false;
    const q = textInput.value.trim().toLowerCase();
    return !q || `${e.text} ${e.id} ${e.process} ${e.pair || ""}`.toLowerCase().includes(q);
  }

  function row(e) {
    const tr = document.createElement("tr");
    tr.className = e.severity;
    tr.dataset.seq = String(e.seq);
    const { date, time } = parts(e.time);
    for (const [value, cls] of [[time, "time"], [e.process, "process"], [e.pair || "–", "pair"], [e.side || "–", "side"], [e.severity, "severity"], [e.text, "text"]]) {
      const td = document.createElement("td");
      td.className = cls;
      td.textContent = value;
      tr.appendChild(td);
    }
    // one line per event, the columns narrow: the date, the process and the whole text on hover
    tr.title = `${date} ${time}  ${e.process}\n${e.text}\n${e.id}`;
    rowOf.set(e.seq, tr);
    return tr;
  }

  const newestFirst = () => newestFirstBox.checked;

  /** Where the newest rows are: the user who is looking there keeps seeing them arrive. */
  function atNewest() {
    return newestFirst() ? wrap.scrollTop < 24 : wrap.scrollHeight - wrap.scrollTop - wrap.clientHeight < 24;
  }

  function scrollToNewest() {
    wrap.scrollTop = newestFirst() ? 0 : wrap.scrollHeight;
  }

  function showCount() {
    countEl.textContent = `${rowsEl.childElementCount} of ${events.length} events`;
  }

  /** The whole table again: after a reset, a filter change or a change of order. */
  function renderAll() {
    rowOf.clear();
    const fragment = document.createDocumentFragment();
    const shown = events.filter(visible);
    if (newestFirst()) shown.reverse();
    for (const e of shown) fragment.appendChild(row(e));
    rowsEl.replaceChildren(fragment);
    showCount();
    scrollToNewest();
  }

  /** New events in, dropped ones out; the other rows stay as they are. */
  function appendRows(added, oldestKept) {
    const follow = atNewest();
    if (oldestKept !== undefined) {
      let dropped = 0;
      while (dropped < events.length && events[dropped].seq < oldestKept) dropped++;
      for (const e of events.splice(0, dropped)) {
        rowOf.get(e.seq)?.remove();
        rowOf.delete(e.seq);
      }
    }
    events.push(...added);
    const fragment = document.createDocumentFragment();
    const shown = added.filter(visible);
    if (newestFirst()) shown.reverse();
    for (const e of shown) fragment.appendChild(row(e));
    if (newestFirst()) rowsEl.prepend(fragment);
    else rowsEl.appendChild(fragment);
    showCount();
    if (follow) scrollToNewest();
  }

  function renderPairs() {
    const pairs = [...new Set(events.map((e) => e.pair).filter(Boolean))].sort();
    const chosen = pairSelect.value;
    pairSelect.replaceChildren(new Option("All pairs", ""), ...pairs.map((p) => new Option(p, p)));
    pairSelect.value = pairs.includes(chosen) ? chosen : "";
  }

  const SVG = "http://www.w3.org/2000/svg";
  function svg(name, attrs, parent) {
    const el = document.createElementNS(SVG, name);
    for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
    parent.appendChild(el);
    return el;
  }
  function div(cls, parent, text) {
    const el = document.createElement("div");
    el.className = cls;
    if (text !== undefined) el.textContent = text;
    parent.appendChild(el);
    return el;
  }

  // One lane per pair: coloured spans for the active side, markers for errors and warnings. Positions
  // are percentages of the lane, so the picture needs no measuring and follows the panel's width.
  // The window ends now and starts at the first event shown, at most `minutes` ago, at least 20 s.
  function renderTimeline() {
    timelineEl.replaceChildren();
    // a lane for each pair that was active somewhere: a disabled pair's warnings alone are no timeline
    const lanes = timelines.filter((t) => t.spans.length);
    if (!lanes.length) return;
    const end = Date.now();
    const first = Math.min(...lanes.flatMap((t) => [...t.spans.map((s) => new Date(s.from).getTime()), ...t.markers.map((m) => new Date(m.time).getTime())]));
    const start = Math.min(end - 20_000, Math.max(end - minutes * 60_000, first - 2_000));
    const pct = (ms) => `${(((Math.min(Math.max(ms, start), end) - start) / (end - start)) * 100).toFixed(3)}%`;
    const at = (iso) => new Date(iso).getTime();
    for (const t of lanes) {
      const row = div("lane-row", timelineEl);
      div("lane-label", row, t.pair);
      const lane = svg("svg", { class: "lane", width: "100%", height: 18 }, row);
      for (const s of t.spans) {
        const from = at(s.from), to = s.to ? at(s.to) : end;
        if (to < start) continue;
        const r = svg("rect", { x: pct(from), y: 2, width: `${Math.max(((Math.min(to, end) - Math.max(from, start)) / (end - start)) * 100, 0.3).toFixed(3)}%`, height: 14, rx: 3, class: `span ${s.side}` }, lane);
        svg("title", {}, r).textContent = `${s.side} active from ${parts(s.from).time}${s.to ? ` to ${parts(s.to).time}` : " until now"}`;
        svg("text", { x: pct(from), dx: 5, y: 13, class: "span-label" }, lane).textContent = s.side;
      }
      for (const m of t.markers) {
        if (at(m.time) < start) continue;
        const c = svg("circle", { cx: pct(at(m.time)), cy: 9, r: 4, class: `marker ${m.severity}` }, lane);
        svg("title", {}, c).textContent = `${parts(m.time).time} ${m.text}`;
      }
    }
    const axis = div("lane-row axis", timelineEl);
    div("lane-label", axis);
    const ticks = div("ticks", axis);
    const short = end - start > 10 * 60_000;
    for (let k = 0; k <= 4; k++) {
      const time = parts(new Date(start + ((end - start) * k) / 4).toISOString()).time;
      const tick = div(`tick t${k}`, ticks, short ? time.slice(0, 5) : time.slice(0, 8));
      tick.style.left = `${k * 25}%`;
    }
  }

  window.addEventListener("message", ({ data }) => {
    if (data.type === "reset") {
      events = data.events.slice();
      minutes = data.timelineMinutes;
      timelines = data.timelines;
      renderPairs();
      renderAll();
    } else if (data.type === "append") {
      if (data.timelines) timelines = data.timelines;
      appendRows(data.events, data.oldestKept);
      if (data.events.some((e) => e.pair && ![...pairSelect.options].some((o) => o.value === e.pair))) renderPairs();
    }
    renderTimeline();
  });

  for (const box of document.querySelectorAll("input[data-severity]")) {
    box.addEventListener("change", () => {
      box.checked ? severities.add(box.dataset.severity) : severities.delete(box.dataset.severity);
      renderAll();
    });
  }
  newestFirstBox.addEventListener("change", () => {
    vscode.setState({ ...(vscode.getState() || {}), newestFirst: newestFirstBox.checked });
    renderAll();
  });
  pairSelect.addEventListener("change", () => renderAll());
  textInput.addEventListener("input", () => renderAll());
  document.getElementById("saveAs").addEventListener("click", () => vscode.postMessage({ type: "saveAs" }));
  document.getElementById("reset").addEventListener("click", () => vscode.postMessage({ type: "reset" }));
  // the active span grows with the clock
  setInterval(renderTimeline, 2_000);
  vscode.postMessage({ type: "ready" });
})();
