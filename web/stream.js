// The early stream: opens the page's event stream while app.wasm is still
// loading, and keeps what arrives for the app to take over when it starts.
//
// The page carries its prerendered state in
//   <script type="application/json" id="herald-state">{"url":…,"id":…,"types":[…],"state":…}</script>
// This script, loaded with defer (the CSP allows scripts from 'self' only),
// opens an EventSource on url resumed after id, records every event of types
// in order as {type, id, data}, and exposes
//   window.heraldEarly = {url, id, types, source, events, take()}
// The app's eventsource package (app/eventsource, the wasm build) calls take()
// once, when it opens a Source on the same url from the same id: take()
// stops the recording and returns the events recorded so far; the Source then
// listens to source itself. A recording nobody takes is bounded: past
// maxEarlyEvents events or maxEarlyMillis, the stream closes and take()
// returns null, and the app opens its own from the page's id. Without the
// element, the script does nothing.
"use strict";

const maxEarlyEvents = 1000;
const maxEarlyMillis = 60000;

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
  const types = page.types.filter((t) => typeof t === "string");
  // Another tab of the app that holds the stream's Web Lock (app/eventsource
  // names it "herald " and the absolute URL) holds the stream and relays it
  // to this one: then this page opens none.
  let lock;
  try {
    lock = "herald " + new URL(page.url, location.href).href;
  } catch (err) {
    console.warn("herald: the #herald-state element's url is not a URL:", err);
    return;
  }
  if (navigator.locks && navigator.locks.query) {
    navigator.locks.query().then(
      (locks) => locks.held.some((l) => l.name === lock) || openEarly(page.url, id, types),
      () => openEarly(page.url, id, types),
    );
  } else {
    openEarly(page.url, id, types);
  }
})();

// openEarly opens the stream at url after id, records its events of types,
// and exposes it as window.heraldEarly.
function openEarly(url, id, types) {
  const sep = url.includes("?") ? "&" : "?";
  const source = new EventSource(url + sep + "lastEventId=" + encodeURIComponent(id));
  const events = [];
  let taken = false;
  const record = (e) => {
    if (events.length === 0 && !taken) {
      performance.mark("herald:early-event"); // the first event, before the app
    }
    events.push({ type: e.type, id: e.lastEventId, data: e.data });
    if (events.length >= maxEarlyEvents) {
      stop();
    }
  };
  for (const t of types) {
    source.addEventListener(t, record);
  }

  // take stops the recording and returns the events recorded, once; later
  // calls return null. Call it and add the listeners that replace the
  // recording within the same task, so that no event falls between.
  const take = () => {
    if (taken) {
      return null;
    }
    taken = true;
    clearTimeout(timer);
    for (const t of types) {
      source.removeEventListener(t, record);
    }
    return events.splice(0, events.length);
  };
  // stop ends a recording nobody took in time: the app, when it starts,
  // opens its own stream from the page's id.
  const stop = () => {
    if (take() !== null) {
      source.close();
      events.length = 0;
    }
  };
  const timer = setTimeout(stop, maxEarlyMillis);

  window.heraldEarly = { url: url, id: id, types: types, source: source, events: events, take: take };
}
