import { describe, expect, it } from "vitest";
import { addDays, describeExpiry, formatSavedAt, isIsoDate, todayIn, validTimeZone } from "./dates";

describe("todayIn", () => {
  // 2026-11-27 12:30 UTC: already the 28th in Auckland (UTC+13), still the 27th in Los Angeles.
  const instant = new Date(Date.UTC(2026, 10, 27, 12, 30));
  it("is the calendar date in the owner's zone", () => {
    expect(todayIn("Pacific/Auckland", instant)).toBe("2026-11-28");
    expect(todayIn("America/Los_Angeles", instant)).toBe("2026-11-27");
    expect(todayIn("UTC", instant)).toBe("2026-11-27");
  });
  it("falls back to UTC for an unknown zone", () => {
    expect(todayIn("Mars/Olympus_Mons", instant)).toBe("2026-11-27");
    expect(validTimeZone("Mars/Olympus_Mons")).toBe(false);
    expect(validTimeZone("Europe/Berlin")).toBe(true);
  });
});

describe("calendar helpers", () => {
  it("validates ISO dates strictly", () => {
    expect(isIsoDate("2026-02-28")).toBe(true);
    expect(isIsoDate("2026-02-29")).toBe(false);
    expect(isIsoDate("2026-2-1")).toBe(false);
  });
  it("adds days across years", () => {
    expect(addDays("2026-12-31", 1)).toBe("2027-01-01");
    expect(addDays("2027-01-01", -365)).toBe("2026-01-01");
  });
  it("describes expiry in words", () => {
    expect(describeExpiry(null)).toBe("no expiry date");
    expect(describeExpiry(0)).toBe("expires today");
    expect(describeExpiry(10)).toBe("expires in 10 days");
    expect(describeExpiry(-1)).toBe("expired yesterday");
    expect(describeExpiry(-20)).toBe("expired 20 days ago");
  });
  it("says when something was saved", () => {
    const now = Date.UTC(2026, 10, 27, 12, 0);
    expect(formatSavedAt(now - 5 * 60_000, now, "en-GB")).toMatch(/^today \d\d:\d\d$/);
    expect(formatSavedAt(now - 30 * 86_400_000, now, "en-GB")).toMatch(/28 Oct, \d\d:\d\d/);
  });
});
