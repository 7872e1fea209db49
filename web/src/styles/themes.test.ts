import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

// Read from disk: Vitest does not process CSS, so a `?raw` import would come back empty.
const read = (path: string) => readFileSync(new URL(path, import.meta.url), "utf8");
const baseCss = read("./base.css");
const dashboardCss = read("../features/dashboard/components/dashboard.css");

/** The declarations of a rule, in order, whitespace aside. */
function declarations(body: string): string[] {
  return body
    .split(";")
    .map((d) => d.trim().replace(/\s+/g, " "))
    .filter(Boolean);
}

/** The dark theme's two copies of the rules for `target` ("" for :root itself): on a dark device
 *  unless the owner picked light, and when the owner picked dark. */
function darkCopies(css: string, target: string): { device: string[]; picked: string[] } {
  const escaped = target.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const device = new RegExp(
    String.raw`@media \(prefers-color-scheme: dark\) \{\s*:root:not\(\[data-theme="light"\]\)${escaped} \{([^}]*)\}`,
  ).exec(css);
  const picked = new RegExp(String.raw`:root\[data-theme="dark"\]${escaped} \{([^}]*)\}`).exec(css);
  expect(device, `system-dark rule for "${target}"`).not.toBeNull();
  expect(picked, `picked-dark rule for "${target}"`).not.toBeNull();
  return { device: declarations(device![1]!), picked: declarations(picked![1]!) };
}

describe("dark theme", () => {
  it.each([
    ["the palette", baseCss, ""],
    // White on the dark theme's light red --danger is unreadable (contrast ~2:1).
    ["the danger button", baseCss, " .button--danger"],
    ["the Quick Show button", dashboardCss, " .quick-show-button"],
  ])("is the same on a dark device as when picked: %s", (_, css, target) => {
    const { device, picked } = darkCopies(css, target);
    expect(device.length).toBeGreaterThan(0);
    expect(device).toEqual(picked);
  });
});
