import "fake-indexeddb/auto";
import { cleanup } from "@testing-library/react";
import { afterEach } from "vitest";

afterEach(() => {
  cleanup();
  localStorage.clear();
});

// jsdom does not lay out, so it has no scrolling API.
if (!Element.prototype.scrollTo) Element.prototype.scrollTo = () => undefined;
