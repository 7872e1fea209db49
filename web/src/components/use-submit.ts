import { useCallback, useState } from "react";
import { errorMessage } from "@/lib/api-client";

/** A form's submit: `busy` while the action runs, and its failure as a sentence for FormError.
 *  `setError` is there for the form's own checks, made before anything is sent. */
export function useSubmit(): {
  busy: boolean;
  error: string | null;
  setError: (message: string | null) => void;
  run: (action: () => Promise<void>) => Promise<void>;
} {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const run = useCallback(async (action: () => Promise<void>) => {
    setError(null);
    setBusy(true);
    try {
      await action();
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  }, []);
  return { busy, error, setError, run };
}
