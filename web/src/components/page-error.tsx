import { Link } from "wouter";
import { errorMessage } from "@/lib/api-client";
import { FormError } from "./field";

/** A page whose data could not be loaded: the way back, and what went wrong in words. */
export function PageError({ error, backHref, backLabel }: { error: unknown; backHref: string; backLabel: string }) {
  return (
    <section className="page">
      <Link href={backHref} className="back-link">{`← ${backLabel}`}</Link>
      <FormError message={errorMessage(error)} />
    </section>
  );
}
