// Entry point: picks the page from the last path element and wires the header.
import { renderQuery } from "./query.js";
import { renderAlerts } from "./alerts.js";
import { renderRules } from "./rules.js";
import { renderTsdbStatus, renderConfig, renderFlags, renderStatus, renderTargets }
  from "./status.js";

const pages = {
  query: renderQuery,
  alerts: renderAlerts,
  rules: renderRules,
  "tsdb-status": renderTsdbStatus,
  config: renderConfig,
  flags: renderFlags,
  status: renderStatus,
  targets: renderTargets,
};

const page = location.pathname.split("/").pop();
for (const a of document.querySelectorAll("nav a")) {
  a.classList.toggle("active", a.dataset.page === page);
}
document.getElementById("theme").addEventListener("click", () => {
  const next = document.documentElement.dataset.theme === "dark" ? "light" : "dark";
  document.documentElement.dataset.theme = next;
  localStorage.setItem("theme", next);
  window.dispatchEvent(new Event("themechange"));
});
(pages[page] || renderQuery)(document.getElementById("app"));
