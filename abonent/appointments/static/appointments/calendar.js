// The calendar page: @event-calendar's standalone build, fed by the server's JSON; the server decides conflicts.
(function () {
  "use strict";
  const config = JSON.parse(document.getElementById("calendar-config").textContent);
  const element = document.getElementById("calendar");
  const errorBox = document.getElementById("calendar-error");
  const csrf = document.body.getAttribute("hx-headers") ? JSON.parse(document.body.getAttribute("hx-headers"))["X-CSRFToken"] : "";
  const pad = (n) => String(n).padStart(2, "0");
  // Wall-clock time, no offset: the server reads it in the user's time zone, as it sent the events.
  const local = (d) => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}:00`;
  const showError = (text) => {
    errorBox.textContent = text;
    errorBox.classList.toggle("d-none", !text);
  };
  const freeSlots = [];
  const sources = [{url: config.eventsUrl, extraParams: () => config.teamParam ? {team: config.teamParam} : {}}];
  if (config.freeUrl) {
    sources.push({
      events: (info, success, failure) => {
        const params = new URLSearchParams({start: local(info.start), end: local(info.end), party: config.party});
        fetch(`${config.freeUrl}?${params}`, {credentials: "same-origin"})
          .then((r) => r.json())
          .then((slots) => {
            freeSlots.length = 0;
            slots.forEach((run) => run.extendedProps.slots.forEach((offer) =>
              freeSlots.push({start: offer.start, bookUrl: offer.bookUrl, resourceId: run.resourceId})));
            success(slots);
          })
          .catch(failure);
      },
    });
  }
  const views = config.resourceView
    ? {day: "resourceTimeGridDay", week: "resourceTimeGridWeek", month: "resourceTimeGridWeek", list: "listWeek"}
    : {day: "timeGridDay", week: "timeGridWeek", month: "dayGridMonth", list: "listWeek"};
  const weekView = views.week;
  const buttons = config.resourceView
    ? "resourceTimeGridDay,resourceTimeGridWeek,listWeek"
    : "timeGridDay,timeGridWeek,dayGridMonth,listWeek";
  const options = {
    view: views[config.view] || weekView,
    locale: config.locale,
    firstDay: 1,
    height: "auto",
    nowIndicator: true,
    allDaySlot: false,
    slotDuration: "00:30",
    slotMinTime: config.slotMinTime,
    slotMaxTime: config.slotMaxTime,
    headerToolbar: {start: "prev,next today", center: "title", end: buttons},
    buttonText: {
      today: config.texts.today, resourceTimeGridDay: config.texts.day, resourceTimeGridWeek: config.texts.week,
      timeGridDay: config.texts.day, timeGridWeek: config.texts.week, dayGridMonth: config.texts.month,
      listWeek: config.texts.list,
    },
    // Five days: the working week (weekend hidden); seven: the whole week; any other number: from the day shown.
    views: {[weekView]: config.days === 5 ? {hiddenDays: [0, 6]} : config.days === 7 ? {} : {duration: {days: config.days}}},
    eventSources: sources,
    editable: config.canWrite,
    eventDurationEditable: false,
    eventClick: (info) => {
      const props = info.event.extendedProps || {};
      if (props.url) window.location.href = props.url;
    },
    dateClick: (info) => {
      if (!config.freeUrl) return;
      const clicked = local(info.date);
      const resourceId = info.resource ? String(info.resource.id) : null;
      const slot = freeSlots.find((s) => s.start.slice(0, 16) === clicked.slice(0, 16) &&
        (resourceId === null || String(s.resourceId) === resourceId));
      if (slot) {
        window.location.href = slot.bookUrl;
      } else {
        showError(config.texts.noFreeSlot);
      }
    },
    eventDrop: (info) => {
      showError("");
      const id = info.event.id;
      const body = {start: local(info.event.start), end: local(info.event.end)};
      if (info.newResource) body.rep = info.newResource.id;
      fetch(config.moveUrl.replace("/0/", `/${id}/`), {
        method: "POST", credentials: "same-origin",
        headers: {"Content-Type": "application/json", "X-CSRFToken": csrf},
        body: JSON.stringify(body),
      }).then((r) => r.json().then((data) => ({ok: r.ok, data})))
        .then(({ok, data}) => {
          if (!ok) {
            info.revert();
            showError(data.error || config.texts.moveFailed);
          }
          calendar.refetchEvents();
        })
        .catch(() => { info.revert(); showError(config.texts.moveFailed); });
    },
  };
  if (config.resourceView) options.resources = config.resources;
  // On a weekend the working week shown would be the one just over: open on the coming Monday instead.
  const today = new Date();
  if (config.date) {
    const [y, m, d] = config.date.split("-").map(Number);
    options.date = new Date(y, m - 1, d);
  } else if (config.days === 5 && (today.getDay() === 0 || today.getDay() === 6)) {
    options.date = new Date(today.getFullYear(), today.getMonth(), today.getDate() + (today.getDay() === 0 ? 1 : 2));
  }
  const calendar = EventCalendar.create(element, options);
  window.abonentCalendar = calendar;
})();
