/** A status as word + icon + colour: colour is never the only signal (issue §5). */
import type { Status } from "@/lib/status";
import { STATUS_WORD } from "@/lib/status";
import { AlertIcon, CheckIcon, ClockIcon, MinusIcon } from "./icons";

export function StatusIcon({ status, size }: { status: Status; size?: number }) {
  switch (status) {
    case "expired":
      return <AlertIcon size={size} />;
    case "due_soon":
      return <ClockIcon size={size} />;
    case "current":
      return <CheckIcon size={size} />;
    default:
      return <MinusIcon size={size} />;
  }
}

export function StatusBadge({
  status,
  size = "md",
}: {
  status: Status;
  size?: "md" | "lg";
}) {
  return (
    <span className={`status status--${status} status--${size}`} data-status={status}>
      <StatusIcon status={status} size={size === "lg" ? 22 : 16} />
      <span>{STATUS_WORD[status]}</span>
    </span>
  );
}

export function asStatus(value: string): Status {
  return value === "expired" || value === "due_soon" || value === "current" ? value : "no_expiry";
}
