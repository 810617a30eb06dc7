// The early stream: opens the page's event stream while app.wasm is still
// loading, and keeps what arrives for the app to take over when it starts.
//
// The page carries its prerendered state in
//   <script type="application/json" id="herald-state">{"url":…,"id":…,"types":[…],"state":…}</script>
// This script, loaded with defer (the CSP allows scripts from 'self' only),
// opens an EventSource on url resumed after id, records every event of types
// in order as {type, id, data}, and exposes
//   window.heraldEarly = {url, id, source, events, take()}
// The app's eventsource package (app/eventsource, the wasm build) calls take()
// once, when it opens a Source on the same url from the same id: take()
// stops the recording and returns the events recorded so far; the Source then
// listens to source itself. Without the element, the script does nothing.
"use strict";

(() => {
  const el = document.getElementById("herald-state");
  if (!el || !window.EventSource || window.heraldEarly) {
    return;
  }
  let page;
  try {
    page = JSON.parse(el.textContent);
  } catch (err) {
    console.warn("herald: the #herald-state element is not JSON:", err);
    return;
  }
  if (!page || typeof page.url !== "string" || !Array.isArray(page.types)) {
    return;
  }
  const id = typeof page.id === "string" ? page.id : "";
  const sep = page.url.includes("?") ? "&" : "?";
  const source = new EventSource(page.url + sep + "lastEventId=" + encodeURIComponent(id));
  const events = [];
  const types = page.types.filter((t) => typeof t === "string");
  const record = (e) => {
    if (events.length === 0 && !taken) {
      performance.mark("herald:early-event"); // the first event, before the app
    }
    events.push({ type: e.type, id: e.lastEventId, data: e.data });
  };
  for (const t of types) {
    source.addEventListener(t, record);
  }
  let taken = false;

  // take stops the recording and returns the events recorded, once; later
  // calls return null. Call it and add the listeners that replace the
  // recording within the same task, so that no event falls between.
  const take = () => {
    if (taken) {
      return null;
    }
    taken = true;
    for (const t of types) {
      source.removeEventListener(t, record);
    }
    return events.splice(0, events.length);
  };

  window.heraldEarly = { url: page.url, id: id, source: source, events: events, take: take };
})();
