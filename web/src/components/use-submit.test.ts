import { act, renderHook } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { ApiError } from "@/lib/api-client";
import { useSubmit } from "./use-submit";

describe("useSubmit", () => {
  it("is busy while the action runs, and clears the last error when it starts", async () => {
    const { result } = renderHook(() => useSubmit());
    act(() => result.current.setError("Please enter a valid e-mail address."));
    let finish: () => void = () => undefined;
    let running: Promise<void> = Promise.resolve();
    act(() => {
      running = result.current.run(() => new Promise<void>((resolve) => (finish = resolve)));
    });
    expect(result.current.busy).toBe(true);
    expect(result.current.error).toBeNull();
    await act(async () => {
      finish();
      await running;
    });
    expect(result.current.busy).toBe(false);
    expect(result.current.error).toBeNull();
  });

  it("shows a failure as the sentence the UI uses, and is ready again", async () => {
    const { result } = renderHook(() => useSubmit());
    await act(() =>
      result.current.run(() => Promise.reject(new ApiError(0, "offline", "You appear to be offline."))),
    );
    expect(result.current.error).toBe("You're offline. This needs a connection — try again when you're back online.");
    expect(result.current.busy).toBe(false);
  });
});
