// The Runtime Events webview: filters, the table (newest at the bottom) and the failover timeline.
// Fed by client/src/views/eventsPanel.ts; plain script, no framework, so it loads instantly.
(function () {
  const vscode = acquireVsCodeApi();
  const rowsEl = document.getElementById("rows");
  const wrap = document.getElementById("wrap");
  const pairSelect = document.getElementById("pair");
  const textInput = document.getElementById("text");
  const countEl = document.getElementById("count");
  const timelineEl = document.getElementById("timeline");
  const severities = new Set(["error", "warning", "information"]);
  let events = [];
  let timelines = [];
  let minutes = 30;

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
    tr.title = e.id;
    const { date, time } = parts(e.time);
    for (const [value, cls] of [[date, "date"], [time, "time"], [e.process, "process"], [e.pair || "–", "pair"], [e.side || "–", "side"], [e.severity, "severity"], [e.text, "text"]]) {
      const td = document.createElement("td");
      td.className = cls;
      td.textContent = value;
      tr.appendChild(td);
    }
    return tr;
  }

  function atBottom() {
    return wrap.scrollHeight - wrap.scrollTop - wrap.clientHeight < 24;
  }

  function renderRows(list, append) {
    const follow = atBottom();
    const fragment = document.createDocumentFragment();
    for (const e of list) if (visible(e)) fragment.appendChild(row(e));
    if (!append) rowsEl.replaceChildren();
    rowsEl.appendChild(fragment);
    countEl.textContent = `${rowsEl.childElementCount} of ${events.length} events`;
    if (follow || !append) wrap.scrollTop = wrap.scrollHeight;
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

  // One lane per pair: coloured spans for the active side, markers for errors and warnings.
  function renderTimeline() {
    timelineEl.replaceChildren();
    if (!timelines.length) return;
    const width = Math.max(timelineEl.clientWidth, 300);
    const label = 140, lane = 18, axis = 16;
    const end = Date.now(), start = end - minutes * 60_000;
    const x = (iso) => label + ((Math.max(new Date(iso).getTime(), start) - start) / (end - start)) * (width - label - 8);
    const root = svg("svg", { width, height: timelines.length * (lane + 4) + axis, role: "img" }, timelineEl);
    timelines.forEach((t, i) => {
      const y = i * (lane + 4);
      svg("text", { x: 0, y: y + 13, class: "lane-label" }, root).textContent = t.pair;
      svg("rect", { x: label, y, width: width - label - 8, height: lane, class: "lane" }, root);
      for (const s of t.spans) {
        const x0 = x(s.from), x1 = s.to ? x(s.to) : x(new Date(end).toISOString());
        if (x1 <= label) continue;
        const r = svg("rect", { x: x0, y: y + 2, width: Math.max(x1 - x0, 2), height: lane - 4, rx: 3, class: `span ${s.side}` }, root);
        svg("title", {}, r).textContent = `${s.side} active from ${parts(s.from).time}${s.to ? ` to ${parts(s.to).time}` : ""}`;
        if (x1 - x0 > 60) svg("text", { x: x0 + 6, y: y + 13, class: "span-label" }, root).textContent = s.side;
      }
      for (const m of t.markers) {
        if (new Date(m.time).getTime() < start) continue;
        const c = svg("circle", { cx: x(m.time), cy: y + lane / 2, r: 4, class: `marker ${m.severity}` }, root);
        svg("title", {}, c).textContent = `${parts(m.time).time} ${m.text}`;
      }
    });
    const axisY = timelines.length * (lane + 4) + 12;
    for (let k = 0; k <= 4; k++) {
      const t = start + ((end - start) * k) / 4;
      svg("text", { x: label + ((width - label - 8) * k) / 4, y: axisY, class: "axis", "text-anchor": k === 0 ? "start" : k === 4 ? "end" : "middle" }, root).textContent = parts(new Date(t).toISOString()).time.slice(0, 5);
    }
  }

  window.addEventListener("message", ({ data }) => {
    if (data.type === "reset") {
      events = data.events.slice();
      minutes = data.timelineMinutes;
      timelines = data.timelines;
      renderPairs();
      renderRows(events, false);
    } else if (data.type === "append") {
      events.push(...data.events);
      timelines = data.timelines;
      if (data.events.some((e) => e.pair && ![...pairSelect.options].some((o) => o.value === e.pair))) renderPairs();
      renderRows(data.events, true);
    }
    renderTimeline();
  });

  for (const box of document.querySelectorAll("input[data-severity]")) {
    box.addEventListener("change", () => {
      box.checked ? severities.add(box.dataset.severity) : severities.delete(box.dataset.severity);
      renderRows(events, false);
    });
  }
  pairSelect.addEventListener("change", () => renderRows(events, false));
  textInput.addEventListener("input", () => renderRows(events, false));
  document.getElementById("saveAs").addEventListener("click", () => vscode.postMessage({ type: "saveAs" }));
  document.getElementById("reset").addEventListener("click", () => vscode.postMessage({ type: "reset" }));
  new ResizeObserver(renderTimeline).observe(timelineEl);
  setInterval(renderTimeline, 10_000);
  vscode.postMessage({ type: "ready" });
})();
