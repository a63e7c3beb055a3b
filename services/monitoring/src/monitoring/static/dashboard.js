// Berdaya officer dashboard. Reads monitoring's JSON API with the signed-in bearer token (kept
// in sessionStorage), so it shows exactly what the API shows that token. Text from the API is
// written with textContent only (never as HTML).
"use strict";
(function () {
  const TOKEN_KEY = "berdaya.dashboard.token";
  const started = performance.now();
  const $ = (id) => document.getElementById(id);
  const number = new Intl.NumberFormat("id-ID");
  const rupiah = (v) => (v === null || v === undefined ? "—" : "Rp " + number.format(Math.round(v)));
  const percent = (part, whole) => (whole ? Math.round((100 * part) / whole) + "%" : "—");
  const LEVEL = { province: "Provinsi", kota: "Kota", kecamatan: "Kecamatan", kelurahan: "Kelurahan" };
  const COLORS = ["#0b4f8a", "#a04000", "#1d6b35", "#6b2c91", "#7a5c00"];
  let options = null;
  let data = null;
  let charts = {};
  let currentList = null;

  function token() { return sessionStorage.getItem(TOKEN_KEY); }

  function el(tag, text, attrs) {
    const node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    Object.entries(attrs || {}).forEach(([k, v]) => node.setAttribute(k, v));
    return node;
  }

  function showMessage(text) {
    const box = $("message");
    box.textContent = text || "";
    box.hidden = !text;
  }

  async function api(path, params) {
    const url = new URL(path, window.location.origin);
    Object.entries(params || {}).forEach(([k, v]) => { if (v !== "" && v != null) url.searchParams.set(k, v); });
    const response = await fetch(url, { headers: { Authorization: "Bearer " + token(), "Accept-Language": "id" } });
    if (response.status === 401) {
      signOut("Sesi berakhir atau token tidak sah. Silakan masuk lagi.");
      throw new Error("unauthorized");
    }
    if (!response.ok) {
      let detail = "Permintaan gagal (" + response.status + ").";
      try { detail = (await response.json()).detail || detail; } catch (e) { /* not JSON */ }
      showMessage(detail);
      throw new Error(detail);
    }
    return response;
  }

  function signOut(reason) {
    sessionStorage.removeItem(TOKEN_KEY);
    $("dashboard").hidden = true;
    $("who").hidden = true;
    $("sign-in").hidden = false;
    showMessage(reason || "");
    $("token").focus();
  }

  async function signIn(value) {
    sessionStorage.setItem(TOKEN_KEY, value.trim());
    showMessage("");
    try {
      options = await (await api("/dashboard/options")).json();
    } catch (e) {
      if (e.message !== "unauthorized") signOut($("message").textContent);
      return;
    }
    $("sign-in").hidden = true;
    $("dashboard").hidden = false;
    $("who").hidden = false;
    $("who-text").textContent = "Masuk sebagai " + options.subject + " (" + options.roles.join(", ") + ")";
    fillFilters();
    await load();
    route();
  }

  function fillFilters() {
    const programme = $("f-programme");
    programme.replaceChildren(el("option", "Semua program", { value: "" }));
    options.programmes.forEach((p) => programme.append(el("option", p.code, { value: p.id })));
    const area = $("f-area");
    area.replaceChildren();
    const order = Object.keys(LEVEL);
    const top = order.indexOf(options.areas[0].level);
    options.areas.forEach((a) => area.append(el("option",
      "\u00a0\u00a0".repeat(order.indexOf(a.level) - top) + LEVEL[a.level] + " " + a.name, { value: a.code })));
    const today = new Date();
    const from = new Date(today.getFullYear() - 1, today.getMonth(), 1);
    $("f-from").value = from.toISOString().slice(0, 7);
    $("f-to").value = today.toISOString().slice(0, 7);
  }

  function filters() {
    const to = $("f-to").value;
    let periodTo = "";
    if (to) {
      const [y, m] = to.split("-").map(Number);
      periodTo = new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10); // last day of the month
    }
    return { area: $("f-area").value, programme_id: $("f-programme").value,
             period_from: $("f-from").value ? $("f-from").value + "-01" : "", period_to: periodTo };
  }

  async function load() {
    data = await (await api("/dashboard/data", filters())).json();
    render();
    const ms = Math.round(performance.now() - started);
    document.body.dataset.loadMs = String(ms);
    document.body.dataset.ready = "1";
    $("load-time").textContent = "Dimuat dalam " + number.format(ms) + " ms.";
  }

  function areaName(code) {
    const found = options.areas.find((a) => a.code === code);
    return found ? LEVEL[found.level] + " " + found.name : code;
  }

  const STATUS = { active_daily: "berproduksi harian", active_weekly: "berproduksi mingguan",
                   seasonal: "musiman (Lebaran/Natal)", stopped: "berhenti" };

  function cell(field, value) {
    if (value === null || value === undefined) return "";
    if (field === "kelurahan_code") return kelurahanName(value);
    if (field === "business_status") return STATUS[value] || value;
    if (typeof value === "number" && field.endsWith("amount")) return number.format(value);
    return value;
  }

  function kelurahanName(code) {
    const found = options.areas.find((a) => a.code === code);
    return found ? found.name : code;
  }

  function listLink(text, kind, key, label) {
    const a = el("a", text, { href: "#daftar/" + kind + "/" + encodeURIComponent(key || ""),
                              "data-testid": kind + ":" + (key || "semua") });
    if (label) a.setAttribute("aria-label", label);
    return a;
  }

  function kpi(label, value, note, extra) {
    const box = el("div", null, { class: "kpi" });
    box.append(el("div", label, { class: "label" }));
    const v = el("div", null, { class: "value" });
    if (value instanceof Node) v.append(value); else v.textContent = value;
    box.append(v);
    if (note) box.append(note instanceof Node ? note : el("div", note, { class: "note" }));
    if (extra) box.dataset.kpi = extra;
    return box;
  }

  function render() {
    const s = data.summary;
    $("kpi-area").textContent = areaName(data.area);
    $("kpi-asof").textContent = "Per " + data.as_of + (data.programme_id ? "" : ", semua program") + ".";
    const cards = [];
    const t = s.target;
    let targetNote = "Belum ada target untuk wilayah ini.";
    if (t) {
      const note = el("div", null, { class: "note" });
      note.append("Target " + number.format(t.new_entrepreneurs_min) + "–" + number.format(t.new_entrepreneurs_max) +
                  " (" + t.starts_on + " s.d. " + t.ends_on + "). Seharusnya per hari ini: " +
                  number.format(t.expected_to_date) + ". ");
      note.append(t.gap_to_expected > 0
        ? el("span", "Kurang " + number.format(t.gap_to_expected) + " dari laju target.", { class: "behind" })
        : el("span", "Sesuai laju target.", { class: "ahead" }));
      targetNote = note;
    }
    cards.push(kpi("Wirausaha baru", number.format(s.new_entrepreneurs), targetNote, "new_entrepreneurs"));
    cards.push(kpi("Lulusan dipantau", number.format(s.graduates), null, "graduates"));
    const active = s.active_daily + s.active_weekly;
    const share = (count, status, what) => listLink(percent(count, s.graduates), "lulusan", status,
                                                   "Daftar " + count + " lulusan " + what);
    cards.push(kpi("Masih berproduksi", share(active, "active", "yang masih berproduksi"),
                   number.format(active) + " lulusan (harian " + number.format(s.active_daily) + ", mingguan " + number.format(s.active_weekly) + ")", "active"));
    cards.push(kpi("Musiman (Lebaran/Natal)", share(s.seasonal, "seasonal", "yang berproduksi musiman"), number.format(s.seasonal) + " lulusan", "seasonal"));
    const stoppedNote = el("div", null, { class: "note" });
    stoppedNote.append(number.format(s.stopped) + " lulusan; ",
                       listLink(number.format(s.no_status_yet) + " belum dikunjungi", "lulusan", "none",
                                "Daftar " + s.no_status_yet + " lulusan yang belum dikunjungi"));
    cards.push(kpi("Berhenti", share(s.stopped, "stopped", "yang berhenti"), stoppedNote, "stopped"));
    cards.push(kpi("Median perubahan pendapatan", rupiah(s.income_change_median), "per bulan, terhadap pendapatan awal", "income_change_median"));
    cards.push(kpi("Paket usaha dipakai", number.format(s.kits_in_use) + " / " + number.format(s.kits_issued), "paket yang terlihat dipakai saat kunjungan", "kits_in_use"));
    const overdue = data.per_kelurahan.reduce((n, r) => n + r.overdue_visits, 0);
    const escalated = data.per_kelurahan.reduce((n, r) => n + r.escalated_visits, 0);
    const referrals = data.open_referrals.reduce((n, r) => n + r.open, 0);
    cards.push(kpi("Kunjungan terlambat", listLink(number.format(overdue), "terlambat", data.area, "Daftar " + overdue + " kunjungan terlambat"), null, "overdue"));
    cards.push(kpi("Eskalasi terbuka", listLink(number.format(escalated), "eskalasi", data.area, "Daftar " + escalated + " kunjungan dengan eskalasi terbuka"), null, "escalated"));
    cards.push(kpi("Rujukan terbuka", listLink(number.format(referrals), "rujukan", "", "Daftar " + referrals + " rujukan terbuka"), null, "referrals"));
    $("kpis").replaceChildren(...cards);

    const loadRows = data.per_kelurahan.map((r) => {
      const tr = el("tr", null, { "data-kelurahan": r.kelurahan_code });
      tr.append(el("th", r.name, { scope: "row" }));
      const o = el("td", null, { class: "num" });
      o.append(listLink(number.format(r.overdue_visits), "terlambat", r.kelurahan_code, r.overdue_visits + " kunjungan terlambat di " + r.name));
      const e = el("td", null, { class: "num" });
      e.append(listLink(number.format(r.escalated_visits), "eskalasi", r.kelurahan_code, r.escalated_visits + " eskalasi terbuka di " + r.name));
      tr.append(o, e);
      return tr;
    });
    fillBody("table-load", loadRows, 3, "Tidak ada kunjungan terlambat.");
    chart("chart-load", "bar", data.per_kelurahan.map((r) => r.name), [
      { label: "Kunjungan terlambat", data: data.per_kelurahan.map((r) => r.overdue_visits) },
      { label: "Eskalasi terbuka", data: data.per_kelurahan.map((r) => r.escalated_visits) }],
      "Grafik batang kunjungan terlambat dan eskalasi terbuka per kelurahan; angkanya ada di tabel di bawah.");

    const months = [...new Set(data.income_by_month.map((r) => r.month))].sort();
    const programmes = [...new Set(data.income_by_month.map((r) => r.programme_code))].sort();
    fillBody("table-income", data.income_by_month.map((r) => row([r.month, r.programme_code, [rupiah(r.income_change_mean)], [number.format(r.visits)]])), 4, "Belum ada kunjungan dengan pendapatan pada periode ini.");
    chart("chart-income", "line", months, programmes.map((p) => ({
      label: p, data: months.map((m) => { const f = data.income_by_month.find((r) => r.month === m && r.programme_code === p); return f ? f.income_change_mean : null; }),
      spanGaps: true })), "Grafik garis rata-rata perubahan pendapatan per bulan per program; angkanya ada di tabel di bawah.");

    fillBody("table-sales", data.sales_by_month.map((r) => row([r.month, [number.format(r.revenue)], [number.format(r.sales)]])), 3, "Belum ada penjualan pada periode ini.");
    chart("chart-sales", "bar", data.sales_by_month.map((r) => r.month), [
      { label: "Omzet (Rp)", data: data.sales_by_month.map((r) => r.revenue) }],
      "Grafik batang omzet per bulan; angkanya ada di tabel di bawah.");

    fillBody("table-referrals", data.open_referrals.map((r) => {
      const tr = el("tr");
      tr.append(el("th", r.name, { scope: "row" }));
      const td = el("td", null, { class: "num" });
      td.append(listLink(number.format(r.open), "rujukan", r.agency_code, r.open + " rujukan terbuka ke " + r.name));
      tr.append(td);
      return tr;
    }), 2, "Tidak ada rujukan terbuka.");
    chart("chart-referrals", "bar", data.open_referrals.map((r) => r.name), [
      { label: "Rujukan terbuka", data: data.open_referrals.map((r) => r.open) }],
      "Grafik batang rujukan terbuka per instansi; angkanya ada di tabel di bawah.");
  }

  function row(cells) {
    const tr = el("tr");
    cells.forEach((c) => tr.append(Array.isArray(c) ? el("td", c[0], { class: "num" }) : el("td", c)));
    return tr;
  }

  function fillBody(tableId, rows, columns, empty) {
    const body = $(tableId).querySelector("tbody");
    if (rows.length) body.replaceChildren(...rows);
    else { const tr = el("tr"); tr.append(el("td", empty, { colspan: String(columns) })); body.replaceChildren(tr); }
  }

  function chart(canvasId, type, labels, datasets, description) {
    const canvas = $(canvasId);
    canvas.setAttribute("aria-label", description);
    if (charts[canvasId]) charts[canvasId].destroy();
    if (!window.Chart) return;
    datasets.forEach((d, i) => { d.backgroundColor = COLORS[i % COLORS.length]; d.borderColor = COLORS[i % COLORS.length]; });
    charts[canvasId] = new window.Chart(canvas, {
      type, data: { labels, datasets },
      options: { responsive: true, maintainAspectRatio: false, animation: false, locale: "id-ID",
                 scales: { y: { beginAtZero: true, ticks: { color: "#1a1a1a", precision: 0 } }, x: { ticks: { color: "#1a1a1a" } } },
                 plugins: { legend: { labels: { color: "#1a1a1a" } } } } });
  }

  // Lists behind the numbers: #daftar/<terlambat|eskalasi|rujukan>/<kelurahan, area or agency>
  const LISTS = {
    terlambat: { title: "Kunjungan terlambat", path: "/work-list", csv: "/work-list",
                 params: (key, f) => ({ kelurahan_code: key || f.area, programme_id: f.programme_id, overdue_only: "true" }),
                 help: "Kunjungan terjadwal yang sudah lewat tanggalnya (dari daftar kerja API).",
                 columns: [["Nama", "full_name"], ["Kelurahan", "kelurahan_code"], ["Program", "programme_code"], ["Kunjungan ke-", "sequence"], ["Jatuh tempo", "due_on"], ["Hari terlambat", "days_overdue", true], ["Tingkat eskalasi", "escalation_level", true], ["Petugas", "assigned_to"]] },
    eskalasi: { title: "Kunjungan dengan eskalasi terbuka", path: "/work-list", csv: "/work-list",
                params: (key, f) => ({ kelurahan_code: key || f.area, programme_id: f.programme_id, escalated_only: "true" }),
                help: "Kunjungan terlambat yang sudah dinaikkan ke lurah, camat atau kota.",
                columns: [["Nama", "full_name"], ["Kelurahan", "kelurahan_code"], ["Program", "programme_code"], ["Jatuh tempo", "due_on"], ["Hari terlambat", "days_overdue", true], ["Tingkat eskalasi", "escalation_level", true], ["Petugas", "assigned_to"]] },
    lulusan: { title: "Lulusan", path: "/dashboard/graduates", csv: "/dashboard/graduates",
               params: (key, f) => ({ status: key, area: f.area, programme_id: f.programme_id }),
               help: "Lulusan menurut status usaha terakhir dari kunjungan (urut kelurahan dan nama).",
               titles: { active: "Lulusan yang masih berproduksi", seasonal: "Lulusan yang berproduksi musiman (Lebaran/Natal)",
                         stopped: "Lulusan yang berhenti berusaha", none: "Lulusan yang belum dikunjungi" },
               columns: [["Nama", "full_name"], ["Kelurahan", "kelurahan_code"], ["Program", "programme_code"], ["Status usaha", "business_status"], ["Perubahan pendapatan (Rp)", "income_change_amount", true]] },
    rujukan: { title: "Rujukan terbuka", path: "/dashboard/referrals", csv: "/dashboard/referrals",
               params: (key, f) => ({ agency_code: key, area: f.area, programme_id: f.programme_id }),
               help: "Rujukan yang sudah dikirim ke instansi dan belum ditutup, jatuh tempo terlama lebih dulu.",
               columns: [["Nama", "full_name"], ["Kelurahan", "kelurahan_code"], ["Program", "programme_code"], ["Instansi", "agency_code"], ["Kebutuhan", "need"], ["Status", "status"], ["Jatuh tempo", "due_on"]] },
  };

  async function showList(kind, key) {
    const spec = LISTS[kind];
    if (!spec) return showOverview();
    const params = spec.params(key, filters());
    currentList = { spec, params, kind };
    const isWork = spec.path === "/work-list";
    const body = await (await api(spec.path, { ...params, limit: 500 })).json();
    const items = isWork ? body.items : body;
    const where = key && kind !== "lulusan" ? (kind === "rujukan" ? key : areaName(key)) : areaName(params.area || data.area);
    $("list-title").textContent = ((spec.titles || {})[key] || spec.title) + " — " + where + " (" + number.format(items.length) + (isWork && body.next_cursor ? "+" : "") + ")";
    $("list-help").textContent = spec.help + (isWork && body.next_cursor ? " Menampilkan 500 pertama; unduh CSV untuk semuanya." : "");
    $("list-caption").textContent = spec.title;
    const head = el("tr");
    spec.columns.forEach(([label, , num]) => head.append(el("th", label, { scope: "col", class: num ? "num" : "" })));
    $("table-list").querySelector("thead").replaceChildren(head);
    fillBody("table-list", items.map((item) => {
      const tr = el("tr");
      spec.columns.forEach(([, field, num]) => tr.append(el("td", cell(field, item[field]), num ? { class: "num" } : {})));
      return tr;
    }), spec.columns.length, "Tidak ada data.");
    $("overview").hidden = true;
    $("list").hidden = false;
    $("list-title").focus();
  }

  function showOverview() {
    currentList = null;
    $("list").hidden = true;
    $("overview").hidden = false;
  }

  async function downloadCsv() {
    if (!currentList) return;
    const response = await api(currentList.spec.csv, { ...currentList.params, format: "csv" });
    const blob = await response.blob();
    const disposition = response.headers.get("Content-Disposition") || "";
    const match = /filename="([^"]+)"/.exec(disposition);
    const a = el("a", null, { href: URL.createObjectURL(blob), download: match ? match[1] : currentList.kind + ".csv" });
    document.body.append(a);
    a.click();
    a.remove();
  }

  function route() {
    if (!token() || !data) return;
    const match = /^#daftar\/(\w+)\/(.*)$/.exec(window.location.hash);
    if (match) showList(match[1], decodeURIComponent(match[2])).catch(() => {});
    else showOverview();
  }

  document.addEventListener("DOMContentLoaded", () => {
    $("sign-in-form").addEventListener("submit", (event) => {
      event.preventDefault();
      signIn($("token").value);
    });
    $("token").addEventListener("keydown", (event) => {  // a pasted token, then Enter
      if (event.key === "Enter" && !event.shiftKey) {
        event.preventDefault();
        $("sign-in-form").requestSubmit();
      }
    });
    $("sign-out").addEventListener("click", () => { signOut("Anda sudah keluar."); window.location.hash = ""; });
    $("filters").addEventListener("submit", (event) => {
      event.preventDefault();
      showMessage("");
      load().then(() => { if (currentList) route(); }).catch(() => {});
    });
    $("list-csv").addEventListener("click", () => { downloadCsv().catch(() => {}); });
    window.addEventListener("hashchange", route);
    if (token()) signIn(token()); else $("token").focus();
  });
})();
