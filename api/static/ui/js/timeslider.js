// A time window over the transfers of a drawing: two range inputs (start, end) over the
// span of the TRANSFERRED links' times. Links of other types stay; the window is shown
// with its zone (Asia/Almaty) like every time on the page. The server-side date filter
// (From/To in the form) asks for a new neighbourhood; this only hides what is drawn.
import { h } from "./dom.js";
import { t } from "./i18n.js";
import { when, zoneNote } from "./format.js";

export const STEPS = 200;

export class TimeSlider {
  constructor(view) {
    this.view = view;
    this.min = 0;
    this.max = 0;
    const range = (name, value, label) => h("input", { type: "range", name, min: 0, max: STEPS, step: 1,
      value, "aria-label": label });
    this.from = range("window-from", 0, t("Window start"));
    this.to = range("window-to", STEPS, t("Window end"));
    this.out = h("output", { class: "mono", title: zoneNote() });
    this.count = h("span", { class: "hint" });
    const all = h("button", { type: "button", class: "quiet", text: t("Show all"), onclick: () => this.reset() });
    for (const r of [this.from, this.to]) r.addEventListener("input", () => this.apply());
    this.el = h("fieldset", { class: "timeslider", id: "time-window", hidden: true },
      h("legend", { text: t("Transfers in time") }), this.from, this.to, this.out, this.count, all);
  }

  /** After a draw: the span of the drawn transfers; the window is kept where it fits. */
  refresh() {
    const ts = this.view.transferTimes();
    if (ts.length < 2 || ts[0] === ts[ts.length - 1]) {
      this.el.hidden = true;
      this.view.setWindow(null);
      return;
    }
    this.min = ts[0];
    this.max = ts[ts.length - 1];
    this.el.hidden = false;
    this.apply();
  }

  reset() {
    this.from.value = "0";
    this.to.value = String(STEPS);
    this.apply();
  }

  tsAt(step) {
    return Math.round(this.min + ((this.max - this.min) * step) / STEPS);
  }

  /** Set the window to the sliders (either may be dragged past the other). */
  apply() {
    const a = Math.min(Number(this.from.value), Number(this.to.value));
    const b = Math.max(Number(this.from.value), Number(this.to.value));
    const from = this.tsAt(a);
    const to = this.tsAt(b);
    if (a === 0 && b === STEPS) this.view.setWindow(null);
    else this.view.setWindow(from, to);
    this.el.dataset.from = String(from);
    this.el.dataset.to = String(to);
    this.out.textContent = `${when(from)} – ${when(to)}`;
    const all = this.view.cy.edges("[type = 'TRANSFERRED']");
    const shown = all.not(".outside");
    this.count.textContent = t("Transfers shown: {shown} of {all}", { shown: shown.length, all: all.length });
  }
}
